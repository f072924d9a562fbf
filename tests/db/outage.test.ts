import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded';
import { registerUser, startTestApp, waitFor, type TestApp } from '../support/app';

// This file runs its own FerretDB so it can stop and restart it without disturbing the others.
let db: EmbeddedDatabase;
let app: TestApp;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccv-outage-'));

beforeAll(async () => {
  db = await startEmbeddedDatabase({ dataDir });
  app = await startTestApp({ uri: db.uri });
});
afterAll(async () => {
  await app.close();
  await db.stop();
});

describe('when the database goes away and comes back', () => {
  it('keeps serving, reports 503, answers data routes with 503, then recovers', async () => {
    const user = await registerUser(app, 'Survivor');
    expect((await app.http.get('/health')).status).toBe(200);

    await db.stop();
    const health = await app.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'DEGRADED', database: { ok: false } });

    const login = await app.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password });
    expect(login.status).toBe(503);
    expect(login.body.code).toBe('DATABASE_UNAVAILABLE');
    // Routes that need no database still answer.
    expect((await app.http.get('/openapi.json')).status).toBe(200);

    db = await startEmbeddedDatabase({ dataDir, port: db.port });
    await waitFor(async () => (await app.http.get('/health')).status === 200, 30_000);
    const again = await app.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password });
    expect(again.status).toBe(200);
    expect(again.body.user.name).toBe('Survivor');
  }, 60_000);
});
