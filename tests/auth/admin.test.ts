import { User } from '../../src/auth/user.model';
import { registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('admin-only routes', () => {
  it('refuse a normal user with 403 and answer an admin', async () => {
    const user = await registerUser(app);
    const denied = await app.http.get('/api/admin/overview').set(user.auth);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    expect((await app.http.get('/api/admin/overview')).status).toBe(401);

    const admin = await registerUser(app, 'Ada Admin');
    await User.updateOne({ _id: admin.id }, { $set: { role: 'admin' } });
    const ok = await app.http.get('/api/admin/overview').set(admin.auth);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ users: expect.any(Number), ai: { provider: 'offline' } });
    expect(ok.body.users).toBeGreaterThanOrEqual(2);
    // The role comes from the database, never from the token or the body.
    const me = await app.http.get('/api/auth/me').set(admin.auth);
    expect(me.body.role).toBe('admin');
  });
});
