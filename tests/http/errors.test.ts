import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('one error path', () => {
  it('answers malformed JSON with a JSON 400', async () => {
    const res = await app.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.com", ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body).toEqual({
      message: 'Malformed JSON in request body',
      error: 'Malformed JSON in request body',
      code: 'INVALID_JSON',
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.http.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(res.body.message).toBe(res.body.error);
  });

  it('answers an oversized body with 413, not 500', async () => {
    const res = await app.http
      .post('/api/auth/login')
      .send({ email: 'a@b.com', password: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['an array body', [1, 2, 3]],
    ['a string body', '"just a string"'],
    ['nested objects', { email: { $gt: '' }, password: { $ne: null } }],
    ['null', 'null'],
  ])('never answers 5xx for %s', async (_label, body) => {
    const res = await app.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('sets a request id and security headers', async () => {
    const res = await app.http.get('/health').set('X-Request-Id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('lets the frontend origin preflight with Authorization and Content-Type', async () => {
    const res = await app.http
      .options('/api/agents')
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const stranger = await app.http.options('/api/agents').set('Origin', 'https://evil.example');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /health', () => {
  it('reports status, database, AI provider, version and uptime', async () => {
    const res = await app.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'OK',
      message: 'Server is running',
      database: { state: 'connected', ok: true },
      ai: { provider: 'offline' },
      version: expect.any(String),
    });
    expect(new Date(res.body.timestamp).toString()).not.toBe('Invalid Date');
    expect(typeof res.body.uptimeSeconds).toBe('number');
  });
});
