import type { AppContext } from '../context';
import { ApiRouter, ErrorBody, type AuthGuards } from '../http/api';
import { currentUser } from '../http/auth-guards';
import { AppError } from '../http/errors';
import {
  CreateRoomResponse,
  DeleteRoomResponse,
  JoinRoomResponse,
  RoomInfo,
  roomBody,
  roomCallBody,
  roomParams,
  TEST_ROOM,
  TestRoomResponse,
  tokenBody,
  TokenResponse,
} from './livekit.schema';
import { LivekitService } from './livekit.service';

export { livekitWebhookRouter } from './livekit.webhook';

/** The old backend's settings for the shared test room. */
const TEST_ROOM_OPTIONS = { emptyTimeout: 600, maxParticipants: 20 };

const unavailable = {
  description: 'LiveKit server unreachable, timed out or refused (code SERVICE_UNAVAILABLE)',
  schema: ErrorBody,
};

/**
 * /api/livekit. Unlike the old backend every route needs a signed-in user, and the participant
 * identity in every token is the caller's user id from the verified JWT: a body's
 * participantIdentity is accepted (the frontend sends it) but never used, so nobody can mint a
 * token that impersonates someone else.
 */
export function livekitRoutes(ctx: AppContext, guards: AuthGuards, service?: LivekitService) {
  const livekit = service ?? new LivekitService(ctx.config.livekit, ctx.logger);
  const api = new ApiRouter('/api/livekit', 'LiveKit', guards);

  api.route(
    {
      method: 'post',
      path: '/create-room',
      summary: 'Create (or reuse) a room on the LiveKit server and get tokens for it',
      description:
        "Creates the room on the server for real and records the caller as its owner unless another user already owns that name; in that case the caller simply gets tokens to join it (the frontend calls create-room before every join). The participant identity is the caller's user id; participantIdentity from the body is ignored. roomToken is kept for compatibility with the old response: for the owner it adds roomAdmin for this room only, for others it equals participantToken.",
      auth: 'user',
      body: roomCallBody,
      responses: {
        200: { description: 'Room ready', schema: CreateRoomResponse },
        503: unavailable,
      },
    },
    async ({ body }, req, res) => {
      const user = currentUser(req);
      let owner = false;
      if (body.roomName === TEST_ROOM) {
        // The shared test room belongs to nobody (see create-test-room).
        await livekit.createRoom(TEST_ROOM, TEST_ROOM_OPTIONS);
      } else {
        owner = (await livekit.createOwnedRoom(body.roomName, user.id)).owner;
      }
      const base = { identity: user.id, name: body.participantName, roomName: body.roomName };
      const participantToken = await livekit.token(base);
      const roomToken = owner
        ? await livekit.token({ ...base, roomAdmin: true })
        : participantToken;
      res.json({
        roomToken,
        participantToken,
        wsUrl: livekit.wsUrl,
        roomName: body.roomName,
        identity: user.id,
        owner,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/join-room',
      summary: 'Get a token to join a room',
      description:
        "Mints a token only (no call to the LiveKit server). Identity: the caller's user id; participantIdentity from the body is ignored.",
      auth: 'user',
      body: roomCallBody,
      responses: { 200: { description: 'Join token', schema: JoinRoomResponse } },
    },
    async ({ body }, req, res) => {
      const user = currentUser(req);
      const participantToken = await livekit.token({
        identity: user.id,
        name: body.participantName,
        roomName: body.roomName,
      });
      res.json({
        participantToken,
        wsUrl: livekit.wsUrl,
        roomName: body.roomName,
        identity: user.id,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/create-test-room',
      summary: 'Open the shared room "test-room" and get a token for it',
      description:
        'Creates "test-room" (emptyTimeout 600 s, at most 20 participants) if it is not open. Every user joins with their own identity (their user id), so a second user does not disconnect the first. The room has no owner: it is not listed, deletable or recorded as a call.',
      auth: 'user',
      responses: {
        200: { description: 'Test room ready', schema: TestRoomResponse },
        503: unavailable,
      },
    },
    async (_input, req, res) => {
      const user = currentUser(req);
      await livekit.createRoom(TEST_ROOM, TEST_ROOM_OPTIONS);
      const token = await livekit.token({
        identity: user.id,
        name: user.name,
        roomName: TEST_ROOM,
      });
      res.json({ name: TEST_ROOM, token, wsUrl: livekit.wsUrl, identity: user.id });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/token',
      summary: 'Mint a join token for a room (identity: the caller)',
      auth: 'user',
      body: tokenBody,
      responses: { 200: { description: 'Join token', schema: TokenResponse } },
    },
    async ({ body }, req, res) => {
      const user = currentUser(req);
      const token = await livekit.token({
        identity: user.id,
        name: user.name,
        roomName: body.roomName,
        canPublish: body.canPublish,
        canSubscribe: body.canSubscribe,
      });
      res.json({ token, wsUrl: livekit.wsUrl, roomName: body.roomName, identity: user.id });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/room',
      summary: 'Create a room owned by the caller',
      description:
        'Creates the room on the LiveKit server and records the caller as owner. 201 when newly created, 200 when the caller already owned it, 409 when another user owns the name.',
      auth: 'user',
      body: roomBody,
      responses: {
        200: { description: 'The caller already owned this room', schema: RoomInfo },
        201: { description: 'Room created', schema: RoomInfo },
        409: { description: 'Another user owns a room with this name', schema: ErrorBody },
        503: unavailable,
      },
    },
    async ({ body }, req, res) => {
      const user = currentUser(req);
      if (body.roomName === TEST_ROOM) {
        throw new AppError(409, 'CONFLICT', `"${TEST_ROOM}" is the shared test room`);
      }
      const claim = await livekit.claimRoom(body.roomName, user.id);
      if (claim.ownerId !== user.id) {
        throw new AppError(409, 'CONFLICT', 'A room with this name already exists');
      }
      const { roomName, ...options } = body;
      let room;
      try {
        room = await livekit.createRoom(roomName, options);
      } catch (err) {
        if (claim.created) await livekit.releaseRoom(roomName, user.id).catch(() => undefined);
        throw err;
      }
      const record = await livekit.ownedRoom(roomName, user.id);
      res
        .status(claim.created ? 201 : 200)
        .json(livekit.view(roomName, record?.createdAt ?? new Date(), room));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/rooms',
      summary: 'Rooms the caller created, with their live state on the server',
      description:
        'Only rooms created by the caller (create-room as first creator, or POST /room). Rooms that LiveKit has since closed are listed with active: false until deleted here.',
      auth: 'user',
      responses: {
        200: { description: "The caller's rooms, newest first", schema: RoomInfo.array() },
        503: unavailable,
      },
    },
    async (_input, req, res) => {
      res.json(await livekit.roomsOf(currentUser(req).id));
    },
  );

  for (const path of ['/room/:roomName', '/rooms/:roomName']) {
    api.route(
      {
        method: 'delete',
        path,
        summary: 'Close a room the caller created (disconnects everyone in it)',
        description:
          'Both /room/:roomName (as the old README advertised) and /rooms/:roomName (the old route) work. Rooms the caller did not create answer 404, whether or not they exist.',
        auth: 'user',
        params: roomParams,
        responses: {
          200: { description: 'Deleted', schema: DeleteRoomResponse },
          404: { description: 'No room with this name created by the caller', schema: ErrorBody },
          503: unavailable,
        },
      },
      async ({ params }, req, res) => {
        const user = currentUser(req);
        const record = await livekit.ownedRoom(params.roomName, user.id);
        if (!record) throw new AppError(404, 'NOT_FOUND', 'Room not found');
        await livekit.deleteRoom(params.roomName);
        await livekit.releaseRoom(params.roomName, user.id);
        res.json({ message: 'Room deleted successfully' });
      },
    );
  }

  return api.router;
}
