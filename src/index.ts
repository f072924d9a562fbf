import 'dotenv/config';
import { aiOptionsFromEnv, createAiEngine } from './ai';
import { ConfigError, loadConfig } from './config';
import { createContext, type AppContext } from './context';
import { openDatabase } from './db/connection';
import { createLogger } from './logger';
import { startServer } from './server';

/** Process entry: config, database, AI, HTTP + Socket.io, graceful shutdown. */
async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const logger = createLogger(config.logLevel);
  for (const warning of warnings) logger.warn(warning);

  let db: AppContext['db'];
  try {
    db = await openDatabase(config, logger);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const ai = createAiEngine(aiOptionsFromEnv(process.env), { logger });
  const server = await startServer(createContext({ config, logger, db, ai }));
  logger.info(
    { url: server.url, ai: ai.name, db: db.embedded?.engine ?? 'external' },
    'server listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A bad request must never take the process down with every live chat: log and keep serving.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
}

void main();
