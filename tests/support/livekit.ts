import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { ensureTool } from '../../src/db/tools';

/**
 * A real livekit-server (the project's pinned build, .bin/livekit-server) for one test file:
 * dev mode, loopback only, free ports, its own key pair and optional webhook URLs.
 *
 * Two steps because the app and the server point at each other: prepare() picks the port and
 * keys (pass `env` to startTestApp), start() launches the server once the app's webhook URL is
 * known.
 */
export interface LivekitTestServer {
  port: number;
  /** ws://127.0.0.1:<port>, what the app hands to browsers. */
  wsUrl: string;
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  /** LIVEKIT_* variables for testConfig/startTestApp. */
  env: Record<string, string>;
  rooms: RoomServiceClient;
  start(options?: { webhookUrls?: string[]; autoCreate?: boolean }): Promise<void>;
  /** The server's output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForOk(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`livekit-server exited (${child.exitCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok && (await res.text()).trim() === 'OK') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`livekit-server did not answer OK at ${url} within ${timeoutMs} ms`);
}

export async function prepareLivekit(): Promise<LivekitTestServer> {
  const port = await freePort();
  const apiKey = 'devkey';
  // livekit-server wants 32+ character secrets outside dev mode; use one anyway.
  const apiSecret = randomBytes(24).toString('hex');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccv-livekit-'));
  // ICE ports are only opened for real WebRTC peers (none in these tests); a random window keeps
  // parallel test runs apart anyway.
  const udpStart = 40000 + Math.floor(Math.random() * 2000) * 10;
  let child: ChildProcess | null = null;
  let log = '';

  const server: LivekitTestServer = {
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    env: {
      LIVEKIT_URL: `ws://127.0.0.1:${port}`,
      LIVEKIT_API_KEY: apiKey,
      LIVEKIT_API_SECRET: apiSecret,
    },
    rooms: new RoomServiceClient(`http://127.0.0.1:${port}`, apiKey, apiSecret, {
      requestTimeout: 5,
    }),

    async start({ webhookUrls = [], autoCreate = false } = {}) {
      const binary = await ensureTool('livekit-server');
      const yaml = [
        `port: ${port}`,
        'bind_addresses: [127.0.0.1]',
        'development: true',
        'log_level: warn',
        'rtc:',
        // tcp_port 0: livekit's ICE/TCP listener cannot be bound to loopback, so it stays off.
        '  tcp_port: 0',
        `  port_range_start: ${udpStart}`,
        `  port_range_end: ${udpStart + 9}`,
        '  use_external_ip: false',
        '  node_ip: 127.0.0.1',
        '  enable_loopback_candidate: true',
        '  ips:',
        '    includes: [127.0.0.1/32]',
        'keys:',
        `  ${apiKey}: ${apiSecret}`,
        'room:',
        // Off by default here, so a token for a room that was never created is refused (404),
        // which lets the tests see which room a token is bound to.
        `  auto_create: ${autoCreate}`,
        ...(webhookUrls.length > 0
          ? ['webhook:', `  api_key: ${apiKey}`, '  urls:', ...webhookUrls.map((u) => `    - ${u}`)]
          : []),
      ].join('\n');
      const configPath = path.join(dir, 'livekit.yaml');
      writeFileSync(configPath, yaml + '\n');
      child = spawn(binary, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      const collect = (d: Buffer) => {
        log = (log + d.toString()).slice(-20_000);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      try {
        await waitForOk(`http://127.0.0.1:${port}/`, child, 20_000);
      } catch (err) {
        await server.stop();
        throw new Error(`${(err as Error).message}\n${log.slice(-3000)}`);
      }
    },

    output: () => log,

    async stop() {
      const proc = child;
      child = null;
      if (proc && proc.exitCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        // livekit-server drains rooms on SIGTERM; do not let that hold up the test run.
        const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
