import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import { toAuthUser, userFromToken } from '../auth/auth.service';
import type { AppContext } from '../context';
import { speak } from '../conversations/speech';
import { agentFor } from '../conversations/turn';
import { Conversation } from '../conversations/conversation.model';
import { operatorsOf } from '../handoff/handoff.service';
import { registerChatHandlers, room } from './chat.handlers';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './events';
import { IpLimiter, TokenBucket } from './limits';
import { registerOperatorHandlers } from './operator.handlers';

export type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type AppIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** A token from handshake auth.token, the Authorization header, or the token query. */
function handshakeToken(socket: AppSocket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token) return auth.token.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (match) return match[1];
  }
  const query = socket.handshake.query.token;
  return typeof query === 'string' && query ? query : undefined;
}

export function attachRealtime(ctx: AppContext, httpServer: http.Server): () => Promise<void> {
  const limits = ctx.config.realtime;
  const io: AppIo = new Server(httpServer, {
    cors: { origin: ctx.config.http.corsOrigins, methods: ['GET', 'POST'], credentials: true },
    // Base64 audio never travels client -> server; text messages are small.
    maxHttpBufferSize: 64 * 1024,
    pingTimeout: 20_000,
  });
  const ips = new IpLimiter(limits);

  io.use(async (socket, next) => {
    socket.data.visitorKey = randomUUID();
    socket.data.conversations = new Set();
    socket.data.ip = socket.handshake.address;
    socket.data.user = null;
    // Text-only clients (chat widgets without speakers) skip speech, the costliest step.
    const auth = socket.handshake.auth as { audio?: unknown; audioChunks?: unknown } | undefined;
    socket.data.wantsAudio = auth?.audio !== false && socket.handshake.query.audio !== 'false';
    // Voice clients that play the reply sentence by sentence opt in (it costs more TTS work).
    socket.data.audioChunks =
      socket.data.wantsAudio &&
      (auth?.audioChunks === true || socket.handshake.query.audioChunks === 'true');
    if (!ips.connect(socket.data.ip))
      return next(new Error('Too many connections from this address'));
    socket.once('disconnect', () => ips.disconnect(socket.data.ip));
    const token = handshakeToken(socket);
    if (!token) return next();
    try {
      const check = await userFromToken(ctx.config.auth, token);
      if (!check.ok) return next(new Error('Invalid token'));
      socket.data.user = toAuthUser(check.user);
      next();
    } catch {
      next(new Error('Authentication is temporarily unavailable'));
    }
  });

  io.on('connection', (socket) => {
    const bucket = new TokenBucket(limits.socketBurst, limits.socketPerSecond);
    let violations = 0;
    const allow = () => {
      if (bucket.take() && ips.take(socket.data.ip)) return true;
      violations += 1;
      // An abusive client is cut off; a well-behaved one never gets near this bound.
      if (violations > limits.maxViolations) setImmediate(() => socket.disconnect(true));
      return false;
    };
    if (socket.data.user) void socket.join(room.user(socket.data.user.id));
    registerChatHandlers(ctx, socket, allow);
    registerOperatorHandlers(ctx, socket, allow);
  });

  forwardConversationEvents(ctx, io);

  return async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
  };
}

/** Domain events -> the sockets of the customer, the operators and the owner. */
function forwardConversationEvents(ctx: AppContext, io: AppIo) {
  const { events } = ctx;
  events.on('handoff_requested', async (e) => {
    const conversation = await Conversation.findById(e.conversationId, { agentId: 1, userId: 1 });
    if (!conversation) return;
    const payload = {
      conversationId: e.conversationId,
      reason: e.reason,
      title: e.title,
      agentId: e.agentId,
    };
    for (const userId of await operatorsOf(conversation))
      io.to(room.user(userId)).emit('handoff_requested', payload);
  });
  events.on('handoff_taken', (e) => {
    io.to(room.conversation(e.conversationId))
      .to(room.operators(e.conversationId))
      .emit('handoff_taken', e);
  });
  events.on('handoff_released', (e) => {
    io.to(room.conversation(e.conversationId))
      .to(room.operators(e.conversationId))
      .emit('handoff_released', e);
  });
  events.on('customer_message', (e) => {
    io.to(room.operators(e.conversationId)).emit('customer_message', e);
  });
  events.on('operator_message', async (e) => {
    io.to(room.operators(e.conversationId)).emit('operator_message', e);
    // The customer hears the operator in the agent's voice, as the agent's message.
    const conversation = await Conversation.findById(e.conversationId);
    const voice = conversation ? (await agentFor(conversation)).profile.voice : 'alloy';
    const speech = await speak(ctx, e.message.content, voice, 'inline');
    io.to(room.conversation(e.conversationId)).emit('ai_response', {
      message: e.message.content,
      conversationId: e.conversationId,
      messageId: e.message._id,
      operator: true,
      ...speech,
    });
  });
  events.on('conversation_ended', (e) => {
    io.to(room.conversation(e.conversationId))
      .to(room.operators(e.conversationId))
      .emit('conversation_ended', e);
  });
}
