import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { createAiEngine } from '../../src/ai';
import type { AiEngine } from '../../src/ai/engine';
import { loadConfig, type Config } from '../../src/config';
import { createContext, type AppContext } from '../../src/context';
import { openDatabase } from '../../src/db/connection';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';

export interface TestApp {
  url: string;
  ctx: AppContext;
  server: RunningServer;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A database name of its own for each test file, on the run's shared server. */
export function testDatabaseName(): string {
  const file = path.basename(expect.getState().testPath ?? 'test').replace(/\W+/g, '_');
  return `t_${file.slice(0, 40)}_${randomBytes(3).toString('hex')}`;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: path.join(os.tmpdir(), 'ccv-test-data'),
    AUDIO_PATH: path.join(os.tmpdir(), `ccv-audio-${randomBytes(3).toString('hex')}`),
    UPLOAD_PATH: path.join(os.tmpdir(), `ccv-uploads-${randomBytes(3).toString('hex')}`),
    AUTH_RATE_LIMIT_MAX: '1000',
    ...env,
  }).config as Config;
}

/** The real server on an ephemeral port, against the real test database. */
export async function startTestApp(
  options: { env?: Record<string, string>; uri?: string; ai?: AiEngine } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const uri = options.uri ?? process.env.MONGODB_TEST_URI;
  if (!uri) throw new Error('MONGODB_TEST_URI is not set: run tests through jest (global setup)');
  const db = await openDatabase(config, logger, { uri, dbName: testDatabaseName() });
  await waitFor(() => db.state() === 'connected', 10_000);
  const ai = options.ai ?? createAiEngine({}, { logger });
  const ctx: AppContext = createContext({ config, logger, db, ai });
  const server = await startServer(ctx, 0, '127.0.0.1');
  return {
    url: server.url,
    ctx,
    server,
    http: request(server.url),
    async close() {
      await server.close();
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let counter = 0;
/** Registers a fresh user and returns its tokens and id. */
export async function registerUser(app: TestApp, name = 'Test User') {
  counter += 1;
  const email = `user${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const password = 'Secret123';
  const res = await app.http.post('/api/auth/register').send({ name, email, password });
  if (res.status !== 201)
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user._id as string,
    email,
    password,
    token: res.body.token as string,
    refreshToken: res.body.refreshToken as string,
    auth: { Authorization: `Bearer ${res.body.token as string}` },
  };
}

export interface CreatedAgent {
  _id: string;
  name: string;
  companyName: string;
  operators: string[];
  [key: string]: unknown;
}

/** Creates an agent for `user` through the API (a blender shop unless overridden). */
export async function createAgent(
  app: TestApp,
  user: { auth: Record<string, string> },
  fields: Record<string, unknown> = {},
): Promise<CreatedAgent> {
  const res = await app.http
    .post('/api/agents')
    .set(user.auth)
    .send({
      name: 'Nova',
      companyName: 'Acme',
      personality: 'kind',
      companyInfo: 'Acme sells blenders. Refunds within 30 days of delivery.',
      ...fields,
    });
  if (res.status !== 201)
    throw new Error(`create agent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CreatedAgent;
}
