import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../../src/db/embedded';

/**
 * One real database server per test run: FerretDB on a free port with a throw-away data
 * directory, unless MONGODB_TEST_URI points at a MongoDB you run. Test files each use their own
 * database on it (tests/support/db.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_TEST_URI) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccv-test-db-'));
  const db = await startEmbeddedDatabase({ dataDir });
  process.env.MONGODB_TEST_URI = db.uri;
  (globalThis as { __TEST_DB__?: typeof db }).__TEST_DB__ = db;
}
