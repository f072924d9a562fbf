import { z } from 'zod';
import { registry } from '../http/api';

/**
 * Request and response schemas for /api/livekit. The frontend's three calls keep the old
 * backend's error text ("Missing required parameters") and response keys; the rest are new.
 */

export const MISSING_PARAMETERS = 'Missing required parameters';
/** The room used by the frontend's "Join test room" button, shared by every user. */
export const TEST_ROOM = 'test-room';

const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/;
export const ROOM_NAME_RULE = 'roomName must be 1-128 characters: letters, digits, _ or -';
export const isRoomName = (value: string) => ROOM_NAME.test(value);

const roomName = z
  .string({ error: MISSING_PARAMETERS })
  .trim()
  .min(1, MISSING_PARAMETERS)
  .regex(ROOM_NAME, ROOM_NAME_RULE)
  .openapi({ example: 'support-call-42', pattern: ROOM_NAME.source });

function fail(ctx: z.core.$RefinementCtx, message: string) {
  ctx.addIssue({ code: 'custom', message });
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * create-room and join-room: all three keys are required, and a missing one is reported before
 * a malformed one (as the old backend did). participantIdentity is required only for
 * compatibility: the identity in the token is always the caller's user id.
 */
export const roomCallBody = z
  .object({
    roomName: z.unknown().optional(),
    participantName: z.unknown().optional(),
    participantIdentity: z.unknown().optional(),
  })
  .openapi('LivekitRoomCallRequest', {
    example: {
      roomName: 'support-call-42',
      participantName: 'Ada Lovelace',
      participantIdentity: '665f1c2b9d3e4a0012345678',
    },
  })
  .transform((raw, ctx) => {
    const name = text(raw.roomName);
    const participantName = text(raw.participantName);
    const participantIdentity = text(raw.participantIdentity);
    if (!name || !participantName || !participantIdentity) {
      return (fail(ctx, MISSING_PARAMETERS), z.NEVER);
    }
    if (!ROOM_NAME.test(name)) return (fail(ctx, ROOM_NAME_RULE), z.NEVER);
    if (participantName.length > 100) {
      return (fail(ctx, 'participantName cannot exceed 100 characters'), z.NEVER);
    }
    return { roomName: name, participantName, participantIdentity };
  });

export const tokenBody = z
  .object({
    roomName,
    canPublish: z.boolean().optional().describe('Default true'),
    canSubscribe: z.boolean().optional().describe('Default true'),
  })
  .openapi('LivekitTokenRequest');

export const roomBody = z
  .object({
    roomName,
    emptyTimeout: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .describe('Seconds an empty room is kept before LiveKit closes it (server default if unset)'),
    maxParticipants: z.number().int().min(0).max(1000).optional().describe('0 or unset: no limit'),
  })
  .openapi('LivekitRoomRequest');

export const roomParams = z.object({ roomName });

const token = z.string().describe('LiveKit access token (JWT signed with the API secret)');
const wsUrl = z.string().describe('LIVEKIT_URL as configured (ws:// or wss://)');
const identity = z.string().describe("The participant identity: the caller's user id");

export const CreateRoomResponse = registry.register(
  'LivekitCreateRoomResponse',
  z.object({
    roomToken: token.describe(
      "For the room's owner: a token for this room with roomAdmin; for anyone else: the same as participantToken. Never roomCreate.",
    ),
    participantToken: token,
    wsUrl,
    roomName: z.string(),
    identity,
    owner: z.boolean().describe('Whether the caller owns (created) the room'),
  }),
);

export const JoinRoomResponse = registry.register(
  'LivekitJoinRoomResponse',
  z.object({ participantToken: token, wsUrl, roomName: z.string(), identity }),
);

export const TestRoomResponse = registry.register(
  'LivekitTestRoomResponse',
  z.object({ name: z.literal(TEST_ROOM), token, wsUrl, identity }),
);

export const TokenResponse = registry.register(
  'LivekitTokenResponse',
  z.object({ token, wsUrl, roomName: z.string(), identity }),
);

export const RoomInfo = registry.register(
  'LivekitRoom',
  z.object({
    name: z.string(),
    sid: z.string().nullable().describe('LiveKit room sid; null when the room is not open now'),
    active: z.boolean().describe('Whether the room currently exists on the LiveKit server'),
    numParticipants: z.number(),
    numPublishers: z.number(),
    emptyTimeout: z.number().nullable(),
    maxParticipants: z.number().nullable(),
    creationTime: z.string().nullable().describe('When LiveKit opened the room (ISO)'),
    createdAt: z.string().describe('When the caller created the room here (ISO)'),
    metadata: z.string(),
  }),
);

export const DeleteRoomResponse = z.object({ message: z.literal('Room deleted successfully') });
