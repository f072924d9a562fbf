import { z } from 'zod';
import { objectId } from '../http/api';
import { DEMO_AGENT } from '../agents/demo-agent';
import type { AppContext } from '../context';
import { toAppError } from '../http/error-handler';
import { handleCustomerMessage, startConversation, type Actor } from '../conversations/turn';
import { endAsCustomer, rateAsCustomer } from '../conversations/conversation.service';
import type { AppSocket } from './server';
import type { Ack, AckFn } from './events';

/**
 * The customer side of the chat: the frontend's start_conversation / user_message, plus
 * streaming chunks, acknowledgements, idempotent resends, typing and ratings.
 */

const objectIdString = objectId('conversationId');

// userId, agentInfo and anything else the client adds are accepted and ignored: the agent is
// loaded from the database and the user is who the token says.
const startPayload = z.object({
  agentId: objectId('agentId').optional(),
  isCallSimulator: z.boolean().optional(),
});

export const userMessagePayload = (maxChars: number) =>
  z.object({
    conversationId: objectIdString,
    message: z
      .string()
      .trim()
      .min(1, 'message is empty')
      .max(maxChars, `message exceeds ${maxChars} characters`),
    clientMessageId: z.string().min(1).max(100).optional(),
    isCallSimulator: z.boolean().optional(),
  });

export function toAck(ack: unknown): AckFn | undefined {
  return typeof ack === 'function' ? (ack as AckFn) : undefined;
}

export function actorOf(socket: AppSocket): Actor {
  return { userId: socket.data.user?.id, visitorKey: socket.data.visitorKey };
}

/** Customers of a conversation, its operators, and each signed-in user's sockets. */
export const room = {
  conversation: (id: string) => `conversation:${id}`,
  operators: (id: string) => `operators:${id}`,
  user: (id: string) => `user:${id}`,
};

/** Rate-limit check for one event: false means refused (the caller answers with an error). */
export type Allow = () => boolean;

const RATE_LIMITED = 'Too many messages: slow down';

export function registerChatHandlers(ctx: AppContext, socket: AppSocket, allow: Allow) {
  const limits = ctx.config.realtime;

  socket.on('start_conversation', async (payload, rawAck) => {
    const ack = toAck(rawAck);
    const fail = (details: string, code = 'VALIDATION_FAILED') => {
      socket.emit('error', { message: 'Failed to start conversation', details, code });
      ack?.({ ok: false, error: details, code });
    };
    if (!allow()) return fail(RATE_LIMITED, 'RATE_LIMITED');
    const parsed = startPayload.safeParse(payload ?? {});
    if (!parsed.success) return fail('Invalid start_conversation payload: agentId must be an id');
    const demo = parsed.data.isCallSimulator === true;
    if (!demo && !parsed.data.agentId)
      return fail('agentId is required (or isCallSimulator: true)');
    try {
      const started = await startConversation(ctx, {
        actor: actorOf(socket),
        agentId: demo ? undefined : parsed.data.agentId,
        channel: demo ? 'simulator' : 'chat',
        speak: socket.data.wantsAudio ? 'inline' : 'none',
      });
      const id = started.conversation._id.toString();
      socket.data.conversations.add(id);
      await socket.join(room.conversation(id));
      socket.emit('conversation_started', {
        conversationId: id,
        welcomeMessage: {
          role: 'assistant',
          content: started.welcome.content,
          timestamp: started.welcome.timestamp.toISOString(),
          ...started.speech,
        },
        ...(demo ? { demoAgent: { ...DEMO_AGENT } } : {}),
      });
      ack?.({ ok: true, conversationId: id, messageId: started.welcome._id.toString() });
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) ctx.logger.error({ err }, 'start_conversation failed');
      fail(error.status >= 500 ? 'Internal error' : error.message, error.code);
    }
  });

  socket.on('user_message', async (payload, rawAck) => {
    const ack = toAck(rawAck);
    // Liveness: whatever happens below, exactly one ai_response or error, then typing false.
    socket.emit('typing', true);
    let answered = false;
    const fail = (code: string, details?: string) => {
      if (answered) return;
      answered = true;
      socket.emit('error', {
        message: 'Failed to process message',
        code,
        ...(details ? { details } : {}),
      });
      ack?.({ ok: false, error: details ?? 'Failed to process message', code });
    };
    try {
      if (!allow()) return fail('RATE_LIMITED', RATE_LIMITED);
      const parsed = userMessagePayload(limits.maxMessageChars).safeParse(payload);
      if (!parsed.success) return fail('VALIDATION_FAILED', parsed.error.issues[0]?.message);
      const { conversationId, message, clientMessageId } = parsed.data;
      const demoAgent = (isDemo: boolean) => (isDemo ? { demoAgent: { ...DEMO_AGENT } } : {});
      const turn = await handleCustomerMessage(ctx, {
        actor: actorOf(socket),
        conversationId,
        text: message,
        clientMessageId,
        speak: socket.data.wantsAudio ? 'inline' : 'none',
        onDelta: (delta, index) =>
          socket.emit('ai_response_chunk', { conversationId, index, delta }),
        onAudio: !socket.data.audioChunks
          ? undefined
          : (piece) =>
              socket.emit('ai_audio_chunk', {
                conversationId,
                index: piece.index,
                text: piece.text,
                audioData: piece.audio.toString('base64'),
                audioType: 'audio/mpeg',
                final: piece.final,
              }),
        onReply: (reply, speech, isDemo) => {
          answered = true;
          socket.emit('ai_response', {
            message: reply.content,
            conversationId,
            messageId: reply._id.toString(),
            ...speech,
            ...demoAgent(isDemo),
          });
        },
      });
      await socket.join(room.conversation(conversationId));
      if (!answered) {
        if (turn.reply) {
          // A resend of a message already answered: the stored reply again (without audio).
          socket.emit('ai_response', {
            message: turn.reply.content,
            conversationId,
            messageId: turn.reply._id.toString(),
            ...turn.speech,
            ...demoAgent(turn.isDemo),
          });
        } else {
          // A human has the conversation: the message reached the operator and the AI stays
          // quiet. The liveness rule still needs one answer; an error event clears the client's
          // busy state without showing an empty reply bubble.
          socket.emit('error', {
            message: 'A team member has this conversation and will reply here',
            code: 'HANDOFF_ACTIVE',
          });
        }
        answered = true;
      }
      if (turn.handoffReason)
        socket.emit('handoff_started', { conversationId, reason: turn.handoffReason });
      const result: Ack = {
        ok: true,
        conversationId,
        messageId: turn.reply?._id.toString() ?? null,
        userMessageId: turn.userMessage._id.toString(),
        duplicate: turn.duplicate,
      };
      ack?.(result);
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) ctx.logger.error({ err }, 'user_message failed');
      fail(error.code, error.status >= 500 ? undefined : error.message);
    } finally {
      socket.emit('typing', false);
    }
  });

  socket.on('customer_typing', (payload) => {
    if (!allow()) return;
    const parsed = z
      .object({ conversationId: objectIdString, typing: z.boolean() })
      .safeParse(payload);
    if (!parsed.success || !socket.rooms.has(room.conversation(parsed.data.conversationId))) return;
    socket.to(room.operators(parsed.data.conversationId)).emit('customer_typing', parsed.data);
  });

  socket.on('rate_conversation', async (payload, rawAck) => {
    const ack = toAck(rawAck);
    if (!allow()) {
      socket.emit('error', { message: RATE_LIMITED, code: 'RATE_LIMITED' });
      return ack?.({ ok: false, code: 'RATE_LIMITED' });
    }
    const parsed = z
      .object({ conversationId: objectIdString, rating: z.number().int().min(1).max(5) })
      .safeParse(payload);
    if (!parsed.success) {
      socket.emit('error', { message: 'Failed to rate conversation', code: 'VALIDATION_FAILED' });
      return ack?.({ ok: false, code: 'VALIDATION_FAILED' });
    }
    try {
      await rateAsCustomer(actorOf(socket), parsed.data.conversationId, parsed.data.rating);
      ack?.({ ok: true, conversationId: parsed.data.conversationId });
    } catch (err) {
      const error = toAppError(err);
      socket.emit('error', { message: 'Failed to rate conversation', code: error.code });
      ack?.({ ok: false, code: error.code });
    }
  });

  socket.on('end_conversation', async (payload, rawAck) => {
    const ack = toAck(rawAck);
    const fail = (code: string, details: string) => {
      socket.emit('error', { message: 'Failed to end conversation', code, details });
      ack?.({ ok: false, code, error: details });
    };
    if (!allow()) return fail('RATE_LIMITED', RATE_LIMITED);
    const parsed = z.object({ conversationId: objectIdString }).safeParse(payload);
    if (!parsed.success) return fail('VALIDATION_FAILED', 'conversationId must be an id');
    try {
      await endAsCustomer(ctx, actorOf(socket), parsed.data.conversationId);
      ack?.({ ok: true, conversationId: parsed.data.conversationId });
    } catch (err) {
      const error = toAppError(err);
      fail(error.code, error.status >= 500 ? 'Internal error' : error.message);
    }
  });
}
