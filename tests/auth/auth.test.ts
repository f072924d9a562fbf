import jwt from 'jsonwebtoken';
import { User } from '../../src/auth/user.model';
import { RefreshToken } from '../../src/auth/refresh-token.model';
import { registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('POST /api/auth/register', () => {
  it('creates the user and answers 201 with token, refreshToken and the four user keys', async () => {
    const res = await app.http
      .post('/api/auth/register')
      .send({ name: '  Ada Lovelace ', email: ' Ada+Test@Example.INFO ', password: 'Secret123' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.user).sort()).toEqual(['_id', 'email', 'name', 'role']);
    expect(res.body.user).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada+test@example.info',
      role: 'user',
    });
    expect(res.body.user._id).toMatch(/^[0-9a-f]{24}$/);
    const claims = jwt.decode(res.body.token) as { userId: string; exp: number; iat: number };
    expect(claims.userId).toBe(res.body.user._id);
    expect(claims.exp - claims.iat).toBe(24 * 3600);
    expect(typeof res.body.refreshToken).toBe('string');
    const stored = await User.findById(res.body.user._id).select('+password');
    expect(stored?.password).toMatch(/^\$2[aby]\$/);
    expect(JSON.stringify(res.body)).not.toContain(stored!.password);
  });

  it('lists every missing field', async () => {
    const res = await app.http.post('/api/auth/register').send({ email: 'x@y.com' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: 'All fields are required',
      error: 'All fields are required',
      code: 'VALIDATION_FAILED',
      fields: { name: 'Name is required', email: null, password: 'Password is required' },
    });
  });

  it.each([
    [
      { name: 'A', email: 'a@b.com', password: 'Secret123' },
      'Name must be at least 2 characters long',
    ],
    [
      { name: 'A'.repeat(51), email: 'a@b.com', password: 'Secret123' },
      'Name cannot exceed 50 characters',
    ],
    [
      { name: 'Ann', email: 'not-an-email', password: 'Secret123' },
      'Please provide a valid email address',
    ],
    [
      { name: 'Ann', email: 'a@b.com', password: 'S1a' },
      'Password must be at least 6 characters long',
    ],
    [{ name: 'Ann', email: 'a@b.com', password: 'Aa1' + 'x'.repeat(130) }, 'Password is too long'],
    [
      { name: 'Ann', email: 'a@b.com', password: 'alllowercase1' },
      'Password must contain at least one uppercase letter, one lowercase letter, and one number',
    ],
    [{ name: 12, email: 'a@b.com', password: 'Secret123' }, 'All fields are required'],
  ])('rejects %j with "%s"', async (body, message) => {
    const res = await app.http.post('/api/auth/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
  });

  it('refuses a second account with the same email, in any case', async () => {
    const user = await registerUser(app);
    const res = await app.http
      .post('/api/auth/register')
      .send({ name: 'Copy', email: user.email.toUpperCase(), password: 'Secret123' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('User already exists with this email');
    expect(await User.countDocuments({ email: user.email })).toBe(1);
  });

  it('answers a crafted email that made the old regex backtrack quickly', async () => {
    const started = Date.now();
    const res = await app.http
      .post('/api/auth/register')
      .send({ name: 'Evil', email: 'a'.repeat(5000) + '!', password: 'Secret123' });
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with the right password', async () => {
    const user = await registerUser(app, 'Grace Hopper');
    const res = await app.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      _id: user.id,
      name: 'Grace Hopper',
      email: user.email,
      role: 'user',
    });
    expect(typeof res.body.token).toBe('string');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const user = await registerUser(app);
    const wrong = await app.http
      .post('/api/auth/login')
      .send({ email: user.email, password: 'Wrong1234' });
    const unknown = await app.http
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'Wrong1234' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.message).toBe('Invalid credentials');
  });

  it('requires both fields and a valid email', async () => {
    const missing = await app.http.post('/api/auth/login').send({ email: 'a@b.com' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      message: 'Email and password are required',
      fields: { email: null, password: 'Password is required' },
    });
    const bad = await app.http.post('/api/auth/login').send({ email: 'nope', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Please provide a valid email address');
  });
});

describe('GET /api/auth/me', () => {
  it('returns the flat user for a valid token', async () => {
    const user = await registerUser(app, 'Flat User');
    const res = await app.http.get('/api/auth/me').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ _id: user.id, name: 'Flat User', email: user.email, role: 'user' });
  });

  it('answers 401 without a token, 401 for garbage, 404 once the user is gone', async () => {
    expect((await app.http.get('/api/auth/me')).body).toMatchObject({
      message: 'No token provided',
    });
    const garbage = await app.http.get('/api/auth/me').set('Authorization', 'Bearer garbage');
    expect(garbage.status).toBe(401);
    expect(garbage.body.message).toBe('Invalid token');
    const forged = jwt.sign({ userId: '0123456789abcdef01234567' }, 'not-the-secret');
    expect(
      (await app.http.get('/api/auth/me').set('Authorization', `Bearer ${forged}`)).status,
    ).toBe(401);
    const user = await registerUser(app);
    await User.deleteOne({ _id: user.id });
    const gone = await app.http.get('/api/auth/me').set(user.auth);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('User not found');
  });

  it('rejects an expired token', async () => {
    const user = await registerUser(app);
    const expired = jwt.sign(
      { userId: user.id, tv: 0, exp: Math.floor(Date.now() / 1000) - 10 },
      app.ctx.config.auth.jwtSecret,
    );
    const res = await app.http.get('/api/auth/me').set('Authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates: the new pair works and the old refresh token is spent', async () => {
    const user = await registerUser(app);
    const first = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(first.body.user._id).toBe(user.id);
    const me = await app.http
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${first.body.token}`);
    expect(me.status).toBe(200);
    const second = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
  });

  it('revokes the whole family when a spent token is presented again', async () => {
    const user = await registerUser(app);
    const rotated = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    const replay = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/reuse/i);
    // The thief's replay also kills the legitimate holder's newer token.
    const victim = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: rotated.body.refreshToken });
    expect(victim.status).toBe(401);
    const family = await RefreshToken.find({ userId: user.id });
    expect(family.length).toBeGreaterThanOrEqual(2);
    expect(family.every((t) => t.revokedAt)).toBe(true);
  });

  it('rejects unknown and malformed refresh tokens with 4xx', async () => {
    expect((await app.http.post('/api/auth/refresh').send({ refreshToken: 'nope' })).status).toBe(
      401,
    );
    expect((await app.http.post('/api/auth/refresh').send({})).status).toBe(400);
    expect((await app.http.post('/api/auth/refresh').send({ refreshToken: 42 })).status).toBe(400);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the refresh token family', async () => {
    const user = await registerUser(app);
    const res = await app.http
      .post('/api/auth/logout')
      .set(user.auth)
      .send({ refreshToken: user.refreshToken });
    expect(res.status).toBe(200);
    const after = await app.http
      .post('/api/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(after.status).toBe(401);
  });

  it('requires a signed-in user', async () => {
    const res = await app.http.post('/api/auth/logout').send({});
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Please authenticate.');
  });
});

describe('GET and PUT /api/auth/profile', () => {
  it('reads and updates name and avatar', async () => {
    const user = await registerUser(app, 'Before');
    const got = await app.http.get('/api/auth/profile').set(user.auth);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ _id: user.id, name: 'Before', avatar: null });
    const put = await app.http
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ name: 'After', avatar: '/public/avatars/avatar-1.svg' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'After', avatar: '/public/avatars/avatar-1.svg' });
    expect((await User.findById(user.id))?.name).toBe('After');
  });

  it('changes the password only with the current one, and ends old sessions', async () => {
    const user = await registerUser(app);
    const noCurrent = await app.http
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ newPassword: 'NewSecret9' });
    expect(noCurrent.status).toBe(400);
    const wrongCurrent = await app.http
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ currentPassword: 'Wrong1234', newPassword: 'NewSecret9' });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.message).toBe('Current password is incorrect');
    const ok = await app.http
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ currentPassword: user.password, newPassword: 'NewSecret9' });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.token).toBe('string');
    expect((await app.http.get('/api/auth/me').set(user.auth)).status).toBe(401);
    expect(
      (await app.http.get('/api/auth/me').set('Authorization', `Bearer ${ok.body.token}`)).status,
    ).toBe(200);
    const login = await app.http
      .post('/api/auth/login')
      .send({ email: user.email, password: 'NewSecret9' });
    expect(login.status).toBe(200);
  });

  it('refuses unknown fields, an unsafe avatar, and a role change', async () => {
    const user = await registerUser(app);
    const role = await app.http.put('/api/auth/profile').set(user.auth).send({ role: 'admin' });
    expect(role.status).toBe(400);
    const avatar = await app.http
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ avatar: 'javascript:alert(1)' });
    expect(avatar.status).toBe(400);
    expect((await User.findById(user.id))?.role).toBe('user');
  });
});
