/**
 * npm run make-admin -- <email>
 * Gives an existing account the admin role, in the configured database (MONGODB_URI, or the
 * embedded one under DATA_DIR: stop the dev server first, they share its files).
 */
import 'dotenv/config';
import { User } from '../src/auth/user.model';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/connection';
import { createLogger } from '../src/logger';

async function main(): Promise<void> {
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email) throw new Error('usage: npm run make-admin -- <email>');
  const { config } = loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    const user = await User.findOneAndUpdate({ email }, { $set: { role: 'admin' } }, { new: true });
    if (!user) throw new Error(`no account with email ${email}`);
    process.stdout.write(`${user.email} is now an admin\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
