import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { AppContext } from './context';
import { attachRealtime } from './realtime/server';
import { scheduleAudioRetention } from './voice/audio-retention';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  close(): Promise<void>;
}

/**
 * Starts HTTP and Socket.io on `port` (0 picks a free one, which the
 * tests use) and returns the bound address.
 */
export async function startServer(
  ctx: AppContext,
  port = ctx.config.port,
  host = ctx.config.host,
): Promise<RunningServer> {
  const app = createApp(ctx);
  const httpServer = http.createServer(app);
  const stoppers: Array<() => Promise<void>> = [
    attachRealtime(ctx, httpServer),
    scheduleAudioRetention(ctx.audio, ctx.config.files.audioRetentionDays, ctx.logger),
  ];
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    httpServer,
    async close() {
      for (const stop of stoppers) await stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
