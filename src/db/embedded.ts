import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureTool, ToolUnavailableError } from './tools';

/**
 * An embedded MongoDB-compatible server for development and tests: FerretDB v1 over SQLite
 * (built from tools/ferretdb), or a `mongod` found on PATH when EMBEDDED_DB=mongod.
 */
export interface EmbeddedDatabase {
  uri: string;
  port: number;
  engine: 'ferretdb' | 'mongod';
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  engine?: 'ferretdb' | 'mongod';
}

export const NO_DATABASE_HELP =
  'No database: MONGODB_URI is unset and the embedded FerretDB cannot be built or started.\n' +
  'Choose one of:\n' +
  '  1. set MONGODB_URI to a MongoDB you run (Atlas, mongod, ...),\n' +
  '  2. install Go (https://go.dev/dl) so FerretDB can be built into .bin/, or\n' +
  '  3. run `docker compose up` (app + mongo).';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`database exited with code ${child.exitCode}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`database did not listen on port ${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const engine = options.engine ?? 'ferretdb';
  const port = options.port ?? (await freePort());
  const dataDir = path.resolve(options.dataDir, engine);
  mkdirSync(dataDir, { recursive: true });

  let command: string;
  let args: string[];
  if (engine === 'mongod') {
    command = 'mongod';
    args = ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'];
  } else {
    try {
      command = await ensureTool('ferretdb');
    } catch (err) {
      if (err instanceof ToolUnavailableError)
        throw new Error(`${NO_DATABASE_HELP}\n(${err.message})`);
      throw err;
    }
    args = ['-listen-addr', `127.0.0.1:${port}`, '-data-dir', dataDir, '-log-level', 'error'];
  }

  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    await Promise.race([waitForPort(port, child, 20_000), spawnError]);
  } catch (err) {
    await stopChild(child);
    throw new Error(`embedded ${engine} failed to start: ${(err as Error).message}\n${stderr}`);
  }

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    engine,
    stop: () => stopChild(child),
  };
}
