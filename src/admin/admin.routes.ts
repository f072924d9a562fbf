import { z } from 'zod';
import { Agent } from '../agents/agent.model';
import { User } from '../auth/user.model';
import { Conversation } from '../conversations/conversation.model';
import type { AppContext } from '../context';
import { getAiFailureCounts } from '../ai';
import { ApiRouter, type AuthGuards } from '../http/api';

/** Operator-of-the-platform views; role admin only (make one with `npm run make-admin`). */
export function adminRoutes(ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('/api/admin', 'Admin', guards);

  api.route(
    {
      method: 'get',
      path: '/overview',
      summary: 'Platform totals and AI provider failures (admin only)',
      auth: 'admin',
      responses: {
        200: {
          description: 'Totals',
          schema: z.object({
            users: z.number(),
            agents: z.number(),
            conversations: z.number(),
            ai: z.object({ provider: z.string(), failures: z.record(z.string(), z.unknown()) }),
          }),
        },
      },
    },
    async (_input, _req, res) => {
      const [users, agents, conversations] = await Promise.all([
        User.estimatedDocumentCount(),
        Agent.estimatedDocumentCount(),
        Conversation.estimatedDocumentCount(),
      ]);
      res.json({
        users,
        agents,
        conversations,
        ai: { provider: ctx.ai.name, failures: getAiFailureCounts() },
      });
    },
  );

  return api.router;
}
