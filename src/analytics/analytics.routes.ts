import { Types } from 'mongoose';
import { z } from 'zod';
import { getOwnedAgent } from '../agents/agent.service';
import type { AppContext } from '../context';
import { ApiRouter, objectId, type AuthGuards } from '../http/api';
import { currentUser } from '../http/auth-guards';
import { AppError } from '../http/errors';
import { overview } from './analytics.service';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are YYYY-MM-DD');
const rangeQuery = z.object({ from: day.optional(), to: day.optional() }).strict();

const Overview = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    totals: z.object({ conversations: z.number(), messages: z.number(), handoffs: z.number() }),
    byDay: z.array(z.object({ day: z.string(), conversations: z.number(), messages: z.number() })),
    sentiment: z.record(z.string(), z.number()),
    intents: z.record(z.string(), z.number()),
    channels: z.record(z.string(), z.number()),
    averageDurationSeconds: z.number().nullable(),
    averageFirstResponseMs: z.number().nullable(),
    handoffRate: z.number(),
    satisfaction: z.object({ average: z.number().nullable(), rated: z.number() }),
  })
  .openapi('AnalyticsOverview');

/** Default range: the last 30 days (UTC), both ends included. */
function resolveRange(q: { from?: string; to?: string }) {
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from =
    q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    throw new AppError(400, 'VALIDATION_FAILED', 'Invalid date');
  }
  if (from > to) throw new AppError(400, 'VALIDATION_FAILED', '"from" must not be after "to"');
  return { from, to };
}

export function analyticsRoutes(_ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('/api/analytics', 'Analytics', guards);

  api.route(
    {
      method: 'get',
      path: '/overview',
      summary: 'Analytics over all your conversations in a date range (default: last 30 days)',
      auth: 'user',
      query: rangeQuery,
      responses: { 200: { description: 'Overview', schema: Overview } },
    },
    async ({ query }, req, res) => {
      res.json(
        await overview({ userId: new Types.ObjectId(currentUser(req).id), ...resolveRange(query) }),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/agents/:id',
      summary: "Analytics of one of your agents' conversations",
      auth: 'user',
      params: z.object({ id: objectId('agent id') }),
      query: rangeQuery,
      responses: {
        200: { description: 'Overview', schema: Overview },
        404: { description: 'Agent not found' },
      },
    },
    async ({ params, query }, req, res) => {
      const me = currentUser(req);
      const agent = await getOwnedAgent(me.id, params.id);
      res.json(
        await overview({
          userId: new Types.ObjectId(me.id),
          agentId: agent._id,
          ...resolveRange(query),
        }),
      );
    },
  );

  return api.router;
}
