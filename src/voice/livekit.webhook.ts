import express, { Router, type Request } from 'express';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AppContext } from '../context';
import { Conversation } from '../conversations/conversation.model';
import { isDuplicateKey } from '../db/errors';
import { ErrorBody, registry } from '../http/api';
import { AppError } from '../http/errors';
import type { Logger } from '../logger';
import { LivekitCall, LivekitRoom } from './room.model';

export const WEBHOOK_PATH = '/api/livekit/webhook';

/** The events that make up a call; LiveKit sends others (tracks, egress) that we do not store. */
const CALL_EVENTS = new Set([
  'room_started',
  'participant_joined',
  'participant_left',
  'room_finished',
]);

export type WebhookOutcome = 'stored' | 'duplicate' | 'ignored';

const seconds = (value: bigint | number | undefined) => Number(value ?? 0);

/** When the room opened: creationTimeMs on current servers, creationTime (seconds) on older. */
function roomStart(event: WebhookEvent, fallback: Date): Date {
  const ms = seconds(event.room?.creationTimeMs);
  if (ms > 0) return new Date(ms);
  const s = seconds(event.room?.creationTime);
  return s > 0 ? new Date(s * 1000) : fallback;
}

/**
 * Turns LiveKit webhooks into voice Conversations owned by the room's creator. Each room session
 * (room sid) gets one LivekitCall record and one Conversation. Deliveries may be retried and may
 * arrive out of order, so each event is applied at most once (its id is recorded atomically with
 * its effect) and its effect is order-independent: start is a $min, end a $max, participants a
 * set. The Conversation is then rewritten from that record.
 */
export class CallRecorder {
  /** Serialises the events of one room in this process, so conversation writes never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  record(event: WebhookEvent): Promise<WebhookOutcome> {
    const roomName = event.room?.name;
    if (!CALL_EVENTS.has(event.event) || !roomName) return Promise.resolve('ignored');
    const previous = this.queues.get(roomName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.apply(event, roomName));
    this.queues.set(roomName, next);
    void next
      .finally(() => {
        if (this.queues.get(roomName) === next) this.queues.delete(roomName);
      })
      .catch(() => undefined);
    return next;
  }

  private async apply(event: WebhookEvent, roomName: string): Promise<WebhookOutcome> {
    const roomSid = event.room?.sid || `name:${roomName}`;
    // A session already being recorded keeps its owner (room_finished usually arrives after the
    // owner deleted the room and its record). Otherwise the room's current owner, if any: rooms
    // nobody created through this API (the shared test room, rooms auto-created by a join) have
    // nobody whose history the call belongs to.
    const known = await LivekitCall.findOne({ roomSid }, { ownerId: 1 }).lean();
    const ownerId = known?.ownerId ?? (await LivekitRoom.findOne({ roomName }).lean())?.ownerId;
    if (!ownerId) return 'ignored';

    const eventTime =
      seconds(event.createdAt) > 0 ? new Date(seconds(event.createdAt) * 1000) : new Date();
    const eventKey =
      event.id || `${event.event}:${event.participant?.sid ?? ''}:${seconds(event.createdAt)}`;

    const update: Record<string, unknown> = {
      $setOnInsert: { roomName, ownerId, conversationId: new Types.ObjectId() },
      $push: { eventIds: eventKey },
      $min: { startedAt: roomStart(event, eventTime) },
    };
    if (event.event === 'room_finished') update.$max = { endedAt: eventTime };
    const identity = event.participant?.identity;
    if (event.event === 'participant_joined' && identity) {
      update.$addToSet = { participants: identity };
    }

    const call = await this.claim(roomSid, eventKey, update);
    if (!call) return 'duplicate';

    const startedAt = call.startedAt ?? eventTime;
    const endedAt = call.endedAt ?? null;
    const duration = endedAt
      ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000))
      : 0;
    await Conversation.updateOne(
      { _id: call.conversationId },
      {
        $setOnInsert: {
          userId: call.ownerId,
          channel: 'voice',
          title: `Voice call in ${roomName}`,
          'metadata.created': startedAt,
        },
        $set: {
          'voice.roomName': roomName,
          'voice.participants': call.participants,
          'voice.startedAt': startedAt,
          'voice.endedAt': endedAt,
          'metadata.duration': duration,
          'metadata.updated': new Date(),
          status: endedAt ? 'ended' : 'active',
        },
      },
      { upsert: true, setDefaultsOnInsert: true },
    );
    this.logger.debug({ event: event.event, roomName, roomSid }, 'voice call event recorded');
    return 'stored';
  }

  /**
   * Applies `update` to the session's record unless `eventKey` was applied before. The filter's
   * `$ne` makes "not seen yet" and "apply" one atomic step; when the record exists and has seen
   * the event, the upsert collides with the unique roomSid: that is the duplicate signal.
   */
  private async claim(roomSid: string, eventKey: string, update: Record<string, unknown>) {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await LivekitCall.findOneAndUpdate(
          { roomSid, eventIds: { $ne: eventKey } },
          update,
          {
            upsert: true,
            new: true,
            setDefaultsOnInsert: true,
          },
        ).lean();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const seen = await LivekitCall.exists({ roomSid, eventIds: eventKey });
        if (seen) return null;
        // Two first events of one session raced to insert (another process): try once more.
      }
    }
    throw new Error(`could not record LiveKit event ${eventKey}`);
  }
}

function authorization(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  // LiveKit sends the bare JWT; accept a "Bearer " prefix too (some proxies add one).
  return header.trim().replace(/^Bearer\s+/i, '');
}

registry.registerPath({
  method: 'post',
  path: WEBHOOK_PATH,
  tags: ['LiveKit'],
  summary: 'LiveKit webhook receiver (called by the LiveKit server, not by browsers)',
  description:
    'Verifies the signature LiveKit puts in the Authorization header (a JWT signed with the API secret whose sha256 claim is the body hash). room_started, participant_joined, participant_left and room_finished for rooms created through this API become a voice Conversation of the room owner; repeated deliveries are applied once.',
  request: {
    body: {
      required: true,
      content: {
        'application/webhook+json': { schema: z.object({ event: z.string() }).passthrough() },
      },
    },
  },
  responses: {
    200: {
      description: 'Accepted',
      content: {
        'application/json': {
          schema: z.object({
            received: z.literal(true),
            outcome: z.enum(['stored', 'duplicate', 'ignored']),
          }),
        },
      },
    },
    400: {
      description: 'Validly signed but malformed body (code INVALID_JSON)',
      content: { 'application/json': { schema: ErrorBody } },
    },
    401: {
      description: 'Missing or invalid signature',
      content: { 'application/json': { schema: ErrorBody } },
    },
    413: {
      description: 'Body larger than 256 kB',
      content: { 'application/json': { schema: ErrorBody } },
    },
    500: {
      description: 'Unexpected server error',
      content: { 'application/json': { schema: ErrorBody } },
    },
    503: {
      description: 'Database temporarily unavailable',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

/**
 * The webhook needs the exact bytes LiveKit signed, so it has its own raw-body parser and must be
 * mounted before the app's express.json() (which would consume the body).
 */
export function livekitWebhookRouter(ctx: AppContext, recorder = new CallRecorder(ctx.logger)) {
  const receiver = new WebhookReceiver(ctx.config.livekit.apiKey, ctx.config.livekit.apiSecret);
  const router = Router();
  router.post(
    WEBHOOK_PATH,
    express.raw({ type: ['application/webhook+json', 'application/json'], limit: '256kb' }),
    async (req, res) => {
      const auth = authorization(req);
      if (!auth) throw new AppError(401, 'UNAUTHENTICATED', 'Missing webhook signature');
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let event: WebhookEvent;
      try {
        event = await receiver.receive(body, auth);
      } catch (err) {
        // The SDK verifies first and parses second: a parse error means a valid signature.
        if (err instanceof SyntaxError || /^cannot decode/i.test((err as Error).message)) {
          throw new AppError(400, 'INVALID_JSON', 'Malformed webhook body');
        }
        throw new AppError(401, 'INVALID_TOKEN', 'Invalid webhook signature');
      }
      const outcome = await recorder.record(event);
      res.json({ received: true, outcome });
    },
  );
  return router;
}
