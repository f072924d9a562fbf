import { AccessToken, RoomServiceClient, TwirpError, type Room } from 'livekit-server-sdk';
import { Types } from 'mongoose';
import type { Config } from '../config';
import { isDuplicateKey } from '../db/errors';
import { AppError } from '../http/errors';
import type { Logger } from '../logger';
import { LivekitRoom } from './room.model';

export type LivekitConfig = Config['livekit'];

/**
 * Seconds to wait for the LiveKit server API. Short on purpose: a browser waiting to join a call
 * should get a clear 503 quickly rather than hang. Below 5 s the SDK also skips its LiveKit Cloud
 * region failover, so one request never takes longer than this.
 */
export const LIVEKIT_TIMEOUT_SECONDS = 4;

export interface TokenRequest {
  identity: string;
  name?: string;
  roomName: string;
  canPublish?: boolean;
  canSubscribe?: boolean;
  /** Lets the holder moderate this one room (mute, remove participants); never roomCreate. */
  roomAdmin?: boolean;
}

export interface RoomOptions {
  emptyTimeout?: number;
  maxParticipants?: number;
}

export interface RoomView {
  name: string;
  sid: string | null;
  active: boolean;
  numParticipants: number;
  numPublishers: number;
  emptyTimeout: number | null;
  maxParticipants: number | null;
  creationTime: string | null;
  createdAt: string;
  metadata: string;
}

const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/** What the LiveKit SDK throws when the server answered with an error status. */
function isServerError(err: unknown): err is TwirpError {
  return (
    err instanceof TwirpError ||
    (err instanceof Error && typeof (err as TwirpError).status === 'number')
  );
}

/**
 * Every LiveKit API failure becomes a 503 SERVICE_UNAVAILABLE: the caller can do nothing but
 * retry, and a 500 would hide that the voice server (not this backend) is the problem.
 */
export function livekitUnavailable(err: unknown, action: string, logger: Logger): AppError {
  if (err instanceof AppError) return err;
  if (isServerError(err)) {
    logger.error(
      // LiveKit echoes the rejected API token in its message: never log it.
      { status: err.status, code: err.code, msg: err.message.replace(JWT, '<token>') },
      `LiveKit ${action} failed`,
    );
    if (err.status === 401 || err.status === 403) {
      return new AppError(
        503,
        'SERVICE_UNAVAILABLE',
        "The voice server (LiveKit) refused this backend's API key or secret",
      );
    }
    return new AppError(
      503,
      'SERVICE_UNAVAILABLE',
      `The voice server (LiveKit) could not ${action}`,
    );
  }
  // fetch failed (refused, DNS), or the AbortSignal timeout fired.
  logger.warn({ err: (err as Error)?.message }, `LiveKit unreachable during ${action}`);
  return new AppError(
    503,
    'SERVICE_UNAVAILABLE',
    'The voice server (LiveKit) is unreachable. Please try again later.',
  );
}

const toIso = (seconds: bigint | number) =>
  Number(seconds) > 0 ? new Date(Number(seconds) * 1000).toISOString() : null;

export class LivekitService {
  private readonly client: RoomServiceClient;

  constructor(
    private readonly config: LivekitConfig,
    private readonly logger: Logger,
    timeoutSeconds = LIVEKIT_TIMEOUT_SECONDS,
  ) {
    this.client = new RoomServiceClient(config.url, config.apiKey, config.apiSecret, {
      requestTimeout: timeoutSeconds,
      failover: false,
    });
  }

  /**
   * The URL browsers connect to, exactly as configured: a local server is ws://, LiveKit Cloud
   * is wss://. (The old backend forced wss://, which made a local server unusable.)
   */
  get wsUrl(): string {
    return this.config.url;
  }

  /** A join token for one room; identity is always supplied by the caller's verified JWT. */
  async token(req: TokenRequest): Promise<string> {
    const at = new AccessToken(this.config.apiKey, this.config.apiSecret, {
      identity: req.identity,
      name: req.name,
      ttl: this.config.tokenTtl,
    });
    at.addGrant({
      roomJoin: true,
      room: req.roomName,
      canPublish: req.canPublish ?? true,
      canSubscribe: req.canSubscribe ?? true,
      ...(req.roomAdmin ? { roomAdmin: true } : {}),
    });
    return at.toJwt();
  }

  /** Creates the room on the server; LiveKit answers with the existing room if it is open. */
  async createRoom(name: string, options: RoomOptions = {}): Promise<Room> {
    try {
      return await this.client.createRoom({ name, ...options });
    } catch (err) {
      throw livekitUnavailable(err, 'create the room', this.logger);
    }
  }

  async listRooms(names: string[]): Promise<Room[]> {
    if (names.length === 0) return [];
    try {
      return await this.client.listRooms(names);
    } catch (err) {
      throw livekitUnavailable(err, 'list rooms', this.logger);
    }
  }

  /** Closes the room and disconnects everyone; a room that is already gone is not an error. */
  async deleteRoom(name: string): Promise<void> {
    try {
      await this.client.deleteRoom(name);
    } catch (err) {
      if (isServerError(err) && err.status === 404) return;
      throw livekitUnavailable(err, 'delete the room', this.logger);
    }
  }

  /**
   * Records `userId` as the room's owner unless someone already owns it. Returns the owner and
   * whether this call created the record (so a failed server call can undo it).
   */
  async claimRoom(
    roomName: string,
    userId: string,
  ): Promise<{ ownerId: string; created: boolean }> {
    try {
      const doc = await LivekitRoom.create({ roomName, ownerId: new Types.ObjectId(userId) });
      return { ownerId: doc.ownerId.toString(), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await LivekitRoom.findOne({ roomName }).lean();
      if (!existing) throw err;
      return { ownerId: existing.ownerId.toString(), created: false };
    }
  }

  async releaseRoom(roomName: string, userId: string): Promise<void> {
    await LivekitRoom.deleteOne({ roomName, ownerId: new Types.ObjectId(userId) });
  }

  /** Claims the name, then creates the room; a claim made by this call is undone on failure. */
  async createOwnedRoom(
    roomName: string,
    userId: string,
    options: RoomOptions = {},
  ): Promise<{ room: Room; owner: boolean; created: boolean }> {
    // Claim first: LiveKit's room_started webhook can arrive before createRoom returns, and the
    // webhook only records calls for rooms with a known owner.
    const claim = await this.claimRoom(roomName, userId);
    try {
      const room = await this.createRoom(roomName, options);
      return { room, owner: claim.ownerId === userId, created: claim.created };
    } catch (err) {
      if (claim.created) await this.releaseRoom(roomName, userId).catch(() => undefined);
      throw err;
    }
  }

  async ownedRoom(roomName: string, userId: string) {
    return LivekitRoom.findOne({ roomName, ownerId: new Types.ObjectId(userId) }).lean();
  }

  /** The caller's rooms, newest first, merged with what the server says about each now. */
  async roomsOf(userId: string): Promise<RoomView[]> {
    const records = await LivekitRoom.find({ ownerId: new Types.ObjectId(userId) })
      .sort({ createdAt: -1 })
      .limit(500)
      .lean();
    const live = await this.listRooms(records.map((r) => r.roomName));
    const byName = new Map(live.map((r) => [r.name, r]));
    return records.map((r) => this.view(r.roomName, r.createdAt, byName.get(r.roomName)));
  }

  view(name: string, createdAt: Date, room?: Room): RoomView {
    return {
      name,
      sid: room?.sid || null,
      active: Boolean(room),
      numParticipants: room?.numParticipants ?? 0,
      numPublishers: room?.numPublishers ?? 0,
      emptyTimeout: room ? room.emptyTimeout : null,
      maxParticipants: room ? room.maxParticipants : null,
      creationTime: room ? toIso(room.creationTime) : null,
      createdAt: createdAt.toISOString(),
      metadata: room?.metadata ?? '',
    };
  }
}
