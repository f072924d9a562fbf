import { z } from 'zod';
import type { AppContext } from '../context';
import { toFullConversation, toWireMessage } from '../conversations/conversation.view';
import { ApiRouter, objectId, type AuthGuards } from '../http/api';
import { currentUser } from '../http/auth-guards';
import { handoffQueue, operatorReply, release, takeOver } from './handoff.service';

const idParams = z.object({ id: objectId('conversation id') });
const Queued = z
  .object({
    _id: z.string(),
    title: z.string(),
    status: z.literal('handoff'),
    handoff: z.record(z.string(), z.unknown()),
  })
  .passthrough()
  .openapi('HandoffConversation');

export function handoffRoutes(ctx: AppContext, guards: AuthGuards) {
  const api = new ApiRouter('/api/handoffs', 'Handoff', guards);

  api.route(
    {
      method: 'get',
      path: '/',
      summary:
        'Conversations waiting for (or with) a human, for agents you own or operate, oldest first',
      auth: 'user',
      responses: { 200: { description: 'Queue', schema: z.array(Queued) } },
    },
    async (_input, req, res) => {
      res.json((await handoffQueue(currentUser(req).id)).map(toFullConversation));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/take',
      summary: 'Take over a conversation: the AI stops replying, you answer as the agent',
      auth: 'user',
      params: idParams,
      responses: {
        200: { description: 'Taken', schema: Queued },
        404: { description: 'Conversation not found' },
        409: { description: 'Conversation has ended' },
      },
    },
    async ({ params }, req, res) => {
      const user = currentUser(req);
      res.json(
        toFullConversation(await takeOver(ctx.events, { id: user.id, name: user.name }, params.id)),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/release',
      summary: 'Give the conversation back to the AI',
      auth: 'user',
      params: idParams,
      responses: {
        200: {
          description: 'Released',
          schema: z.object({ _id: z.string(), status: z.literal('active') }).passthrough(),
        },
        404: { description: 'Conversation not found' },
        409: { description: 'Not with a human' },
      },
    },
    async ({ params }, req, res) => {
      res.json(toFullConversation(await release(ctx.events, currentUser(req).id, params.id)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/:id/messages',
      summary: 'Reply to the customer as the agent (takes the conversation over if needed)',
      auth: 'user',
      params: idParams,
      body: z
        .object({ content: z.string().trim().min(1, 'content is required').max(4000) })
        .strict(),
      responses: {
        201: {
          description: 'Stored and delivered',
          schema: z.object({
            _id: z.string(),
            role: z.literal('assistant'),
            content: z.string(),
            timestamp: z.string(),
          }),
        },
        404: { description: 'Conversation not found' },
      },
    },
    async ({ params, body }, req, res) => {
      const user = currentUser(req);
      const message = await operatorReply(
        ctx.events,
        { id: user.id, name: user.name },
        params.id,
        body.content,
      );
      res.status(201).json(toWireMessage(message));
    },
  );

  return api.router;
}
