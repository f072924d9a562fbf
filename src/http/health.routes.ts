import { z } from 'zod';
import type { AppContext } from '../context';
import { ApiRouter, type AuthGuards } from './api';

const HealthResponse = z
  .object({
    status: z.enum(['OK', 'DEGRADED']),
    message: z.string(),
    timestamp: z.string(),
    database: z.object({ state: z.string(), ok: z.boolean() }),
    ai: z.object({ provider: z.string() }),
    version: z.string(),
    uptimeSeconds: z.number(),
  })
  .openapi('Health');

export function healthRoutes(ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('', 'Health', guards);
  api.route(
    {
      method: 'get',
      path: '/health',
      summary: 'Liveness and dependencies: 200 when the database answers, 503 when it does not',
      auth: 'none',
      responses: {
        200: { description: 'Healthy', schema: HealthResponse },
        503: {
          description: 'Database unreachable (the server keeps running)',
          schema: HealthResponse,
        },
      },
    },
    async (_input, _req, res) => {
      const ok = await ctx.db.ping();
      res.status(ok ? 200 : 503).json({
        status: ok ? 'OK' : 'DEGRADED',
        message: ok ? 'Server is running' : 'Server is running; database unreachable',
        timestamp: new Date().toISOString(),
        database: { state: ok ? 'connected' : ctx.db.state(), ok },
        ai: { provider: ctx.ai.name },
        version: ctx.config.version,
        uptimeSeconds: Math.round(process.uptime()),
      });
    },
  );
  return api.router;
}
