import { z } from 'zod';
import { objectId } from '../http/api';
import type { AppContext } from '../context';
import { toWireMessage } from '../conversations/conversation.view';
import { toAppError } from '../http/error-handler';
import { getOperableConversation, operatorReply, release } from '../handoff/handoff.service';
import { room, toAck, type Allow } from './chat.handlers';
import type { AppSocket } from './server';
import type { AckFn } from './events';

/**
 * The operator side of a handoff, for authenticated sockets only: join a conversation (and see
 * its history), reply as the agent, show typing, release back to the AI.
 */

const objectIdString = objectId('conversationId');
const target = z.object({ conversationId: objectIdString });

export function registerOperatorHandlers(ctx: AppContext, socket: AppSocket, allow: Allow) {
  const fail = (event: string, ack: AckFn | undefined, code: string, message: string) => {
    socket.emit('error', { message: `Failed to ${event}`, details: message, code });
    ack?.({ ok: false, error: message, code });
  };

  /** Runs an operator action with auth, rate limit and validation in one place. */
  const operatorAction = <T extends z.ZodType>(
    event: 'join_conversation' | 'leave_conversation' | 'operator_message' | 'release_conversation',
    label: string,
    schema: T,
    run: (user: { id: string; name: string }, input: z.infer<T>, ack?: AckFn) => Promise<void>,
  ) => {
    socket.on(event, async (payload: unknown, rawAck: unknown) => {
      const ack = toAck(rawAck);
      const user = socket.data.user;
      if (!user)
        return fail(label, ack, 'UNAUTHENTICATED', 'Operators must connect with an access token');
      if (!allow()) return fail(label, ack, 'RATE_LIMITED', 'Too many events: slow down');
      const parsed = schema.safeParse(payload);
      if (!parsed.success)
        return fail(
          label,
          ack,
          'VALIDATION_FAILED',
          parsed.error.issues[0]?.message ?? 'Invalid payload',
        );
      try {
        await run(user, parsed.data, ack);
      } catch (err) {
        const error = toAppError(err);
        if (error.status >= 500) ctx.logger.error({ err }, `${event} failed`);
        fail(label, ack, error.code, error.status >= 500 ? 'Internal error' : error.message);
      }
    });
  };

  operatorAction(
    'join_conversation',
    'join conversation',
    target,
    async (user, { conversationId }, ack) => {
      const conversation = await getOperableConversation(user.id, conversationId);
      await socket.join(room.operators(conversationId));
      socket.emit('conversation_history', {
        conversationId,
        status: conversation.status,
        messages: conversation.messages.filter((m) => m.role !== 'system').map(toWireMessage),
      });
      ack?.({ ok: true, conversationId });
    },
  );

  operatorAction(
    'leave_conversation',
    'leave conversation',
    target,
    async (_user, { conversationId }, ack) => {
      await socket.leave(room.operators(conversationId));
      ack?.({ ok: true, conversationId });
    },
  );

  operatorAction(
    'operator_message',
    'send operator message',
    target.extend({ message: z.string().trim().min(1).max(ctx.config.realtime.maxMessageChars) }),
    async (user, { conversationId, message }, ack) => {
      const stored = await operatorReply(ctx.events, user, conversationId, message);
      await socket.join(room.operators(conversationId));
      ack?.({ ok: true, conversationId, messageId: stored._id.toString() });
    },
  );

  operatorAction(
    'release_conversation',
    'release conversation',
    target,
    async (user, { conversationId }, ack) => {
      await release(ctx.events, user.id, conversationId);
      ack?.({ ok: true, conversationId });
    },
  );

  socket.on('operator_typing', async (payload) => {
    const user = socket.data.user;
    if (!user || !allow()) return;
    const parsed = target.extend({ typing: z.boolean() }).safeParse(payload);
    if (!parsed.success || !socket.rooms.has(room.operators(parsed.data.conversationId))) return;
    // The customer's frontend shows its typing indicator from the plain boolean event.
    socket.to(room.conversation(parsed.data.conversationId)).emit('typing', parsed.data.typing);
  });
}
