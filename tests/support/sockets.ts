import type { TestApp } from './app';
import { io, type Socket } from 'socket.io-client';

/** A socket.io-client connection to the test server, with helpers to await events in order. */
export interface TestSocket {
  socket: Socket;
  /** Every event received so far, in order. */
  log: Array<{ event: string; payload: unknown }>;
  next<T = unknown>(event: string, timeoutMs?: number): Promise<T>;
  emitAck<T = unknown>(event: string, payload: unknown, timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function connect(
  url: string,
  options: {
    token?: string;
    headers?: Record<string, string>;
    auth?: Record<string, unknown>;
  } = {},
): Promise<TestSocket> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token || options.auth ? { ...options.auth, token: options.token } : undefined,
    extraHeaders: options.headers,
  });
  const log: TestSocket['log'] = [];
  const waiters: Array<{ event: string; resolve: (p: unknown) => void; from: number }> = [];
  let cursor = 0;
  socket.onAny((event: string, payload: unknown) => {
    log.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  const ts: TestSocket = {
    socket,
    log,
    next<T>(event: string, timeoutMs = 10_000): Promise<T> {
      // Events already received after the last consumed one count: no race with fast servers.
      const idx = log.findIndex((e, i) => i >= cursor && e.event === event);
      if (idx !== -1) {
        cursor = idx + 1;
        return Promise.resolve(log[idx]!.payload as T);
      }
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for "${event}"`)),
          timeoutMs,
        );
        waiters.push({
          event,
          from: cursor,
          resolve: (p) => {
            clearTimeout(timer);
            cursor = log.length;
            resolve(p as T);
          },
        });
      });
    },
    emitAck<T>(event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
      return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
    },
    close() {
      socket.disconnect();
    },
  };
  return ts;
}

/** Events of one name received so far. */
export const eventsNamed = (ts: TestSocket, name: string) =>
  ts.log.filter((e) => e.event === name).map((e) => e.payload);

/**
 * Registers the hooks of a socket test file: one real server for the file, and every socket
 * opened with `open()` closed after each test.
 */
export function useSocketTestApp(start: () => Promise<TestApp>) {
  let app: TestApp | undefined;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    app = await start();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => app?.close());
  return {
    get app(): TestApp {
      if (!app) throw new Error('the test app is not started yet');
      return app;
    },
    async open(options: { token?: string; auth?: Record<string, unknown> } = {}) {
      const s = await connect(this.app.url, options);
      sockets.push(s);
      return s;
    },
  };
}
