import type { EmbeddedDatabase } from '../../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __TEST_DB__?: EmbeddedDatabase }).__TEST_DB__;
  await db?.stop();
}
