import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_MS: '60000' },
  });
});
afterAll(() => app.close());

describe('login and register rate limits', () => {
  it('answers 429 with Retry-After once a client IP passes the limit', async () => {
    const attempt = () =>
      app.http.post('/api/auth/login').send({ email: 'a@b.com', password: 'Wrong1234' });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.message).toBe(limited.body.error);
    const register = await app.http
      .post('/api/auth/register')
      .send({ name: 'Late', email: 'late@example.com', password: 'Secret123' });
    expect(register.status).toBe(429);
  });
});
