import mongoose from 'mongoose';
import type { Config } from '../config';
import { redactUri, type Logger } from '../logger';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';

// Fail fast while the database is down (503) instead of queueing requests until they time out.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);
// Models would otherwise try to create collections and indexes the moment they are compiled,
// before any connection exists; ensureIndexes() does it once a connection is up.
mongoose.set('autoCreate', false);
mongoose.set('autoIndex', false);

/** Creates every registered model's indexes (idempotent); called after each (re)connect. */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((m) => m.createIndexes()));
}

export type DatabaseState = 'connected' | 'connecting' | 'disconnected';

export interface Database {
  /** The URI in use, credentials removed (safe to show). */
  readonly displayUri: string;
  readonly embedded: EmbeddedDatabase | null;
  state(): DatabaseState;
  /** A real round trip, bounded in time: what /health reports. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

/**
 * Connects in the background with retry and backoff: the HTTP server starts and answers (503
 * where the database is needed) while the database is unreachable, and recovers on its own.
 */
export async function openDatabase(
  config: Pick<Config, 'db' | 'dataDir'>,
  logger: Logger,
  options: { uri?: string; dbName?: string } = {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let uri = options.uri ?? config.db.uri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      engine: config.db.embeddedEngine,
    });
    uri = `${embedded.uri}customercare`;
    logger.info({ engine: embedded.engine, port: embedded.port }, 'embedded database started');
  }
  const displayUri = redactUri(uri);
  let closed = false;

  const connectOnce = () =>
    mongoose.connect(uri, {
      dbName: options.dbName,
      serverSelectionTimeoutMS: 5000,
      heartbeatFrequencyMS: 2000,
    });

  const connectWithRetry = async () => {
    for (let attempt = 0; !closed; attempt++) {
      try {
        await connectOnce();
        await ensureIndexes();
        logger.info({ db: displayUri }, 'database connected');
        return;
      } catch (err) {
        const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
        logger.warn(
          { err: (err as Error).message, retryInMs: wait },
          'database unreachable, retrying',
        );
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };

  mongoose.connection.on('disconnected', () => !closed && logger.warn('database disconnected'));
  mongoose.connection.on('reconnected', () => logger.info('database reconnected'));

  const first = connectWithRetry();
  // With an embedded server we know it is up: wait so the first requests do not see 503.
  if (embedded) await first;

  return {
    displayUri,
    embedded,
    state() {
      switch (mongoose.connection.readyState) {
        case mongoose.ConnectionStates.connected:
          return 'connected';
        case mongoose.ConnectionStates.connecting:
          return 'connecting';
        default:
          return 'disconnected';
      }
    },
    async ping(timeoutMs = 1500) {
      const db = mongoose.connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ping = db
        .admin()
        .ping()
        .then(() => true)
        .catch(() => false);
      const ok = await Promise.race([ping, timeout]);
      clearTimeout(timer);
      return ok;
    },
    async close() {
      closed = true;
      await mongoose.disconnect();
      await embedded?.stop();
    },
  };
}
