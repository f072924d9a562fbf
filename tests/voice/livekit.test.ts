import { createHash } from 'node:crypto';
import net from 'node:net';
import express from 'express';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { AccessToken } from 'livekit-server-sdk';
import request from 'supertest';
import WebSocket from 'ws';
import { Conversation } from '../../src/conversations/conversation.model';
import { createAuthGuards } from '../../src/http/auth-guards';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler';
import { AppError } from '../../src/http/errors';
import { createLogger } from '../../src/logger';
import { livekitRoutes } from '../../src/voice/livekit.routes';
import { LivekitService } from '../../src/voice/livekit.service';
import { LivekitCall, LivekitRoom } from '../../src/voice/room.model';
import { registerUser, startTestApp, waitFor, type TestApp } from '../support/app';
import { freePort, prepareLivekit, type LivekitTestServer } from '../support/livekit';

type User = Awaited<ReturnType<typeof registerUser>>;

interface LivekitClaims {
  sub: string;
  iss: string;
  name?: string;
  exp: number;
  nbf: number;
  video: Record<string, unknown>;
}

let lk: LivekitTestServer;
let app: TestApp;
let alice: User;
let bob: User;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  lk = await prepareLivekit();
  app = await startTestApp({ env: lk.env });
  await lk.start({ webhookUrls: [`${app.url}/api/livekit/webhook`] });
  alice = await registerUser(app, 'Alice Caller');
  bob = await registerUser(app, 'Bob Caller');
}, 60_000);

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await app?.close();
  await lk?.stop();
});

const claims = (token: string) => jwt.decode(token) as LivekitClaims;
const callBody = (roomName: string, user: User, extra: Record<string, unknown> = {}) => ({
  roomName,
  participantName: 'Alice Caller',
  participantIdentity: user.id,
  ...extra,
});
let roomCounter = 0;
const uniqueRoom = (prefix = 'room') => `${prefix}-${Date.now().toString(36)}-${++roomCounter}`;

async function serverRoom(name: string) {
  const [room] = await lk.rooms.listRooms([name]);
  return room;
}

/** GET /rtc/validate: the check livekit-server runs before accepting a signalling connection. */
async function validate(token: string, extra = '') {
  const res = await fetch(`${lk.httpUrl}/rtc/validate?access_token=${token}${extra}`);
  return { status: res.status, text: await res.text() };
}

/** Opens the signalling WebSocket the way livekit-client does; resolves once the server answers. */
function joinRoom(token: string): Promise<{ ws: WebSocket; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `${lk.wsUrl}/rtc?access_token=${token}&protocol=15&sdk=js&auto_subscribe=1`,
    );
    sockets.push(ws);
    ws.once('message', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

async function participantsOf(room: string): Promise<string[]> {
  return (await lk.rooms.listParticipants(room)).map((p) => p.identity).sort();
}

describe('authentication', () => {
  it.each([
    ['post', '/api/livekit/create-room'],
    ['post', '/api/livekit/join-room'],
    ['post', '/api/livekit/create-test-room'],
    ['post', '/api/livekit/token'],
    ['post', '/api/livekit/room'],
    ['get', '/api/livekit/rooms'],
    ['delete', '/api/livekit/room/some-room'],
    ['delete', '/api/livekit/rooms/some-room'],
  ] as const)('%s %s answers 401 without a token', async (method, path) => {
    const res = await app.http[method](path).send({});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ message: 'Please authenticate.', code: 'UNAUTHENTICATED' });
  });

  it('401 with a forged bearer token', async () => {
    const res = await app.http
      .post('/api/livekit/create-test-room')
      .set('Authorization', 'Bearer not.a.token');
    expect(res.status).toBe(401);
  });
});

describe('POST /api/livekit/create-room', () => {
  it.each([
    [{}],
    [{ roomName: 'x', participantName: 'A' }],
    [{ roomName: 'x', participantIdentity: 'id' }],
    [{ participantName: 'A', participantIdentity: 'id' }],
    [{ roomName: '   ', participantName: 'A', participantIdentity: 'id' }],
    [{ roomName: 5, participantName: 'A', participantIdentity: 'id' }],
  ])('400 "Missing required parameters" for %j', async (body) => {
    const res = await app.http.post('/api/livekit/create-room').set(alice.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: 'Missing required parameters',
      error: 'Missing required parameters',
      code: 'VALIDATION_FAILED',
    });
  });

  it.each(['bad room', 'a/b', 'x'.repeat(129), 'é'])('400 for room name %j', async (roomName) => {
    const res = await app.http
      .post('/api/livekit/create-room')
      .set(alice.auth)
      .send(callBody(roomName, alice));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/roomName must be 1-128 characters/);
  });

  it('creates the room on the server and returns tokens bound to the caller', async () => {
    const roomName = uniqueRoom();
    const res = await app.http
      .post('/api/livekit/create-room')
      .set(alice.auth)
      // A claimed identity that is not the caller is ignored.
      .send(callBody(roomName, alice, { participantIdentity: 'someone-else' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ wsUrl: lk.wsUrl, roomName, identity: alice.id, owner: true });
    expect(Object.keys(res.body).sort()).toEqual(
      ['identity', 'owner', 'participantToken', 'roomName', 'roomToken', 'wsUrl'].sort(),
    );

    const room = await serverRoom(roomName);
    expect(room?.name).toBe(roomName);

    const p = claims(res.body.participantToken);
    expect(p).toMatchObject({ sub: alice.id, iss: lk.apiKey, name: 'Alice Caller' });
    expect(p.video).toEqual({
      roomJoin: true,
      room: roomName,
      canPublish: true,
      canSubscribe: true,
    });
    expect(p.exp - p.nbf).toBe(6 * 3600);

    // The owner's roomToken moderates this one room; nobody gets roomCreate/roomList any more.
    const r = claims(res.body.roomToken);
    expect(r.sub).toBe(alice.id);
    expect(r.video).toMatchObject({ roomJoin: true, room: roomName, roomAdmin: true });
    expect(r.video.roomCreate).toBeUndefined();
    expect(r.video.roomList).toBeUndefined();

    expect(await LivekitRoom.countDocuments({ roomName, ownerId: alice.id })).toBe(1);
  });

  it('lets a second user join an existing room without taking it over', async () => {
    const roomName = uniqueRoom();
    await app.http.post('/api/livekit/create-room').set(alice.auth).send(callBody(roomName, alice));
    const res = await app.http
      .post('/api/livekit/create-room')
      .set(bob.auth)
      .send(callBody(roomName, bob));
    expect(res.status).toBe(200);
    expect(res.body.owner).toBe(false);
    expect(res.body.roomToken).toBe(res.body.participantToken);
    expect(claims(res.body.participantToken).sub).toBe(bob.id);
    const owner = await LivekitRoom.findOne({ roomName }).lean();
    expect(owner?.ownerId.toString()).toBe(alice.id);
  });
});

describe('POST /api/livekit/join-room', () => {
  it('returns a participant token for the caller', async () => {
    const roomName = uniqueRoom();
    const res = await app.http
      .post('/api/livekit/join-room')
      .set(bob.auth)
      .send(callBody(roomName, bob, { participantName: 'Bob', participantIdentity: alice.id }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['identity', 'participantToken', 'roomName', 'wsUrl'].sort(),
    );
    expect(res.body).toMatchObject({ wsUrl: lk.wsUrl, roomName, identity: bob.id });
    const p = claims(res.body.participantToken);
    expect(p.sub).toBe(bob.id); // not alice.id, although the body claimed it
    expect(p.name).toBe('Bob');
    expect(p.video).toEqual({
      roomJoin: true,
      room: roomName,
      canPublish: true,
      canSubscribe: true,
    });
  });

  it('400 for missing parameters', async () => {
    const res = await app.http.post('/api/livekit/join-room').set(bob.auth).send({ roomName: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Missing required parameters');
  });
});

describe('POST /api/livekit/create-test-room', () => {
  it('opens test-room with the old settings and gives each user their own identity', async () => {
    const a = await app.http.post('/api/livekit/create-test-room').set(alice.auth);
    const b = await app.http.post('/api/livekit/create-test-room').set(bob.auth);
    for (const [res, user] of [
      [a, alice],
      [b, bob],
    ] as const) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'test-room', wsUrl: lk.wsUrl, identity: user.id });
      expect(claims(res.body.token)).toMatchObject({
        sub: user.id,
        video: { roomJoin: true, room: 'test-room' },
      });
    }
    const room = await serverRoom('test-room');
    expect(room).toMatchObject({ name: 'test-room', emptyTimeout: 600, maxParticipants: 20 });

    // Both really connect, and the second does not disconnect the first (distinct identities).
    expect((await joinRoom(a.body.token)).status).toBe(101);
    expect((await joinRoom(b.body.token)).status).toBe(101);
    await waitFor(async () => (await participantsOf('test-room')).length === 2, 5000);
    expect(await participantsOf('test-room')).toEqual([alice.id, bob.id].sort());

    // Nobody owns the shared room: it is in nobody's list and nobody can delete it.
    const del = await app.http.delete('/api/livekit/room/test-room').set(alice.auth);
    expect(del.status).toBe(404);
    const claimed = await app.http
      .post('/api/livekit/room')
      .set(alice.auth)
      .send({ roomName: 'test-room' });
    expect(claimed.status).toBe(409);
    const viaCreate = await app.http
      .post('/api/livekit/create-room')
      .set(alice.auth)
      .send(callBody('test-room', alice));
    expect(viaCreate.status).toBe(200);
    expect(viaCreate.body.owner).toBe(false);
    expect(await LivekitRoom.countDocuments({ roomName: 'test-room' })).toBe(0);
  });
});

describe('POST /api/livekit/token', () => {
  it('mints a token for the caller with the requested permissions', async () => {
    const roomName = uniqueRoom();
    const res = await app.http
      .post('/api/livekit/token')
      .set(alice.auth)
      .send({ roomName, canPublish: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ wsUrl: lk.wsUrl, roomName, identity: alice.id });
    expect(claims(res.body.token)).toMatchObject({
      sub: alice.id,
      name: 'Alice Caller',
      video: { roomJoin: true, room: roomName, canPublish: false, canSubscribe: true },
    });
  });

  it.each([[{}], [{ roomName: 'no spaces' }], [{ roomName: 'ok', canPublish: 'yes' }]])(
    '400 for %j',
    async (body) => {
      const res = await app.http.post('/api/livekit/token').set(alice.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );
});

describe('rooms: create, list, delete', () => {
  it('POST /room creates an owned room (201), is idempotent for its owner (200), 409 for others', async () => {
    const roomName = uniqueRoom('owned');
    const created = await app.http
      .post('/api/livekit/room')
      .set(alice.auth)
      .send({ roomName, emptyTimeout: 120, maxParticipants: 4 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: roomName,
      active: true,
      emptyTimeout: 120,
      maxParticipants: 4,
      numParticipants: 0,
    });
    expect(created.body.sid).toMatch(/^RM_/);
    expect(new Date(created.body.creationTime).getTime()).toBeGreaterThan(0);
    expect(await serverRoom(roomName)).toMatchObject({ emptyTimeout: 120, maxParticipants: 4 });

    const again = await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName });
    expect(again.status).toBe(200);
    expect(again.body.sid).toBe(created.body.sid);

    const other = await app.http.post('/api/livekit/room').set(bob.auth).send({ roomName });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CONFLICT');
  });

  it.each([
    [{ roomName: 'r1', emptyTimeout: -1 }],
    [{ roomName: 'r1', maxParticipants: 1.5 }],
    [{ roomName: 'bad name' }],
    [{}],
  ])('POST /room 400 for %j', async (body) => {
    const res = await app.http.post('/api/livekit/room').set(alice.auth).send(body);
    expect(res.status).toBe(400);
  });

  it('GET /rooms lists only the caller’s rooms, merged with live server state', async () => {
    const mine = uniqueRoom('list-a');
    const theirs = uniqueRoom('list-b');
    await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName: mine });
    await app.http.post('/api/livekit/room').set(bob.auth).send({ roomName: theirs });

    const token = (
      await app.http.post('/api/livekit/token').set(alice.auth).send({ roomName: mine })
    ).body.token as string;
    expect((await joinRoom(token)).status).toBe(101);
    await waitFor(async () => (await participantsOf(mine)).length === 1, 5000);

    const res = await app.http.get('/api/livekit/rooms').set(alice.auth);
    expect(res.status).toBe(200);
    const names = (res.body as Array<{ name: string }>).map((r) => r.name);
    expect(names).toContain(mine);
    expect(names).not.toContain(theirs);
    const entry = (res.body as Array<Record<string, unknown>>).find((r) => r.name === mine)!;
    const live = await serverRoom(mine);
    expect(entry).toMatchObject({ active: true, sid: live!.sid });
    expect(typeof entry.numParticipants).toBe('number');

    const bobs = await app.http.get('/api/livekit/rooms').set(bob.auth);
    expect((bobs.body as Array<{ name: string }>).map((r) => r.name)).toContain(theirs);
    expect((bobs.body as Array<{ name: string }>).map((r) => r.name)).not.toContain(mine);
  });

  it.each(['/api/livekit/room/', '/api/livekit/rooms/'])(
    'DELETE %s:roomName deletes only the caller’s room',
    async (prefix) => {
      const roomName = uniqueRoom('del');
      await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName });
      expect(await serverRoom(roomName)).toBeDefined();

      const notYours = await app.http.delete(prefix + roomName).set(bob.auth);
      expect(notYours.status).toBe(404);
      expect(notYours.body.code).toBe('NOT_FOUND');
      expect(await serverRoom(roomName)).toBeDefined();

      const res = await app.http.delete(prefix + roomName).set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Room deleted successfully' });
      expect(await serverRoom(roomName)).toBeUndefined();
      const list = await app.http.get('/api/livekit/rooms').set(alice.auth);
      expect((list.body as Array<{ name: string }>).map((r) => r.name)).not.toContain(roomName);

      const twice = await app.http.delete(prefix + roomName).set(alice.auth);
      expect(twice.status).toBe(404);
    },
  );

  it('DELETE 400 for an invalid room name', async () => {
    const res = await app.http.delete('/api/livekit/rooms/bad%20name').set(alice.auth);
    expect(res.status).toBe(400);
  });

  it('deleting a room disconnects its participants', async () => {
    const roomName = uniqueRoom('kick');
    const created = await app.http
      .post('/api/livekit/create-room')
      .set(alice.auth)
      .send(callBody(roomName, alice));
    const { ws } = await joinRoom(created.body.participantToken);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await app.http.delete(`/api/livekit/rooms/${roomName}`).set(alice.auth).expect(200);
    await closed;
  });
});

describe('tokens against the real server', () => {
  it('the server accepts a minted token and puts the caller in the room named in it', async () => {
    const roomA = uniqueRoom('tok-a');
    const roomB = uniqueRoom('tok-b');
    const a = await app.http
      .post('/api/livekit/create-room')
      .set(bob.auth)
      .send(callBody(roomA, bob));
    await app.http.post('/api/livekit/create-room').set(bob.auth).send(callBody(roomB, bob));

    expect(await validate(a.body.participantToken)).toEqual({ status: 200, text: 'success' });
    const { status } = await joinRoom(a.body.participantToken);
    expect(status).toBe(101);
    await waitFor(async () => (await participantsOf(roomA)).length === 1, 5000);
    const [participant] = await lk.rooms.listParticipants(roomA);
    expect(participant).toMatchObject({ identity: bob.id, name: 'Alice Caller' });
    // The room comes from the token's grant, never from the URL: B stays empty.
    expect(await participantsOf(roomB)).toEqual([]);
  });

  it('refuses a token for a room that was never created (auto_create is off here)', async () => {
    const res = await app.http
      .post('/api/livekit/join-room')
      .set(alice.auth)
      .send(callBody(uniqueRoom('never-created'), alice));
    expect(res.status).toBe(200); // minting is local
    expect((await validate(res.body.participantToken)).status).toBe(404);
    expect((await joinRoom(res.body.participantToken)).status).toBe(404);
  });

  it('refuses tokens signed with another secret, without a join grant, or without a token', async () => {
    const roomName = uniqueRoom('tok-c');
    await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName });
    const forged = new AccessToken(lk.apiKey, 'x'.repeat(48), { identity: alice.id });
    forged.addGrant({ roomJoin: true, room: roomName });
    expect((await validate(await forged.toJwt())).status).toBe(401);
    expect((await joinRoom(await forged.toJwt())).status).toBe(401);

    const noJoin = new AccessToken(lk.apiKey, lk.apiSecret, { identity: alice.id });
    noJoin.addGrant({ room: roomName, canSubscribe: true });
    expect((await validate(await noJoin.toJwt())).status).toBe(401);

    expect((await fetch(`${lk.httpUrl}/rtc/validate`)).status).toBe(401);
  });

  it('enforces canPublish: a subscribe-only token cannot open a publisher connection', async () => {
    const roomName = uniqueRoom('tok-d');
    await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName });
    const listen = await app.http
      .post('/api/livekit/token')
      .set(alice.auth)
      .send({ roomName, canPublish: false });
    const talk = await app.http.post('/api/livekit/token').set(alice.auth).send({ roomName });
    // `publish=` asks the server for a publish-only connection, which needs canPublish.
    expect((await validate(listen.body.token, '&publish=cam')).status).toBe(401);
    expect((await validate(talk.body.token, '&publish=cam')).status).toBe(200);
  });
});

describe('LiveKit server unavailable', () => {
  const logger = createLogger('silent');

  /** The same routes, pointed at `url`, on the test app's database and auth. */
  function appFor(url: string) {
    const livekit = { ...app.ctx.config.livekit, url };
    const api = express();
    api.use(express.json());
    api.use(
      '/api/livekit',
      livekitRoutes(
        { ...app.ctx, config: { ...app.ctx.config, livekit } },
        createAuthGuards(app.ctx.config.auth),
        new LivekitService(livekit, logger, 1),
      ),
    );
    api.use(notFoundHandler);
    api.use(errorHandler(logger));
    return request(api);
  }

  it('answers 503 SERVICE_UNAVAILABLE quickly when nothing listens', async () => {
    const port = await freePort();
    const http = appFor(`ws://127.0.0.1:${port}`);
    const started = Date.now();
    const roomName = uniqueRoom('down');
    const res = await http
      .post('/api/livekit/create-room')
      .set(alice.auth)
      .send(callBody(roomName, alice));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(res.body.message).toMatch(/unreachable/);
    expect(Date.now() - started).toBeLessThan(3000);
    // The ownership claim is rolled back with the failed creation.
    expect(await LivekitRoom.countDocuments({ roomName })).toBe(0);

    expect((await http.post('/api/livekit/create-test-room').set(alice.auth)).status).toBe(503);
    expect((await http.post('/api/livekit/room').set(alice.auth).send({ roomName })).status).toBe(
      503,
    );
    expect((await http.get('/api/livekit/rooms').set(alice.auth)).status).toBe(503);
    // Minting a token needs no server.
    expect(
      (await http.post('/api/livekit/join-room').set(alice.auth).send(callBody(roomName, alice)))
        .status,
    ).toBe(200);
  });

  it('times out (503) instead of hanging when the server accepts but never answers', async () => {
    const sinkhole = net.createServer(() => undefined);
    await new Promise<void>((r) => sinkhole.listen(0, '127.0.0.1', () => r()));
    const { port } = sinkhole.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const res = await appFor(`ws://127.0.0.1:${port}`)
        .post('/api/livekit/create-test-room')
        .set(alice.auth);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      sinkhole.close();
    }
  });

  it('503 (not 500) when the server refuses the API credentials, without logging the token', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const service = new LivekitService(
      { ...app.ctx.config.livekit, apiSecret: 'y'.repeat(48) },
      capture,
      2,
    );
    const err = await service.createRoom(uniqueRoom()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/API key or secret/);
    expect(lines.join('')).toContain('<token>');
    expect(lines.join('')).not.toMatch(/eyJ/);
  });
});

describe('POST /api/livekit/webhook', () => {
  /** Signs like livekit-server: a JWT from the API key whose sha256 claim is the body's hash. */
  async function sign(body: string, secret = lk.apiSecret, key = lk.apiKey) {
    const at = new AccessToken(key, secret, { ttl: '5m' });
    at.sha256 = createHash('sha256').update(body).digest('base64');
    return at.toJwt();
  }

  async function post(event: Record<string, unknown>, opts: { auth?: string | null } = {}) {
    const body = JSON.stringify(event);
    const auth = opts.auth === undefined ? await sign(body) : opts.auth;
    const req = app.http
      .post('/api/livekit/webhook')
      .set('Content-Type', 'application/webhook+json');
    if (auth !== null) req.set('Authorization', auth);
    return req.send(body);
  }

  const t0 = 1_800_000_000;
  const room = (name: string, sid: string) => ({ sid, name, creationTime: String(t0) });
  const ev = (
    id: string,
    event: string,
    name: string,
    sid: string,
    at: number,
    participant?: { sid: string; identity: string },
  ) => ({ id, event, room: room(name, sid), participant, createdAt: String(at) });

  /** Records an owner without opening the room, so the real server sends no webhooks for it. */
  const own = (roomName: string, user: User) => LivekitRoom.create({ roomName, ownerId: user.id });

  it('records a call for the room owner from signed events, each event once', async () => {
    const roomName = uniqueRoom('call');
    await own(roomName, alice);
    const sid = `RM_test_${roomCounter}`;
    const events = [
      ev('EV_1', 'room_started', roomName, sid, t0),
      ev('EV_2', 'participant_joined', roomName, sid, t0 + 5, { sid: 'PA_1', identity: alice.id }),
      ev('EV_3', 'participant_joined', roomName, sid, t0 + 9, { sid: 'PA_2', identity: bob.id }),
      ev('EV_4', 'participant_left', roomName, sid, t0 + 80, { sid: 'PA_2', identity: bob.id }),
      ev('EV_5', 'room_finished', roomName, sid, t0 + 95),
    ];
    for (const e of events) {
      const res = await post(e);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, outcome: 'stored' });
    }
    // Retried deliveries (same event ids) change nothing.
    for (const e of [events[2], events[4], events[0]]) {
      expect((await post(e!)).body.outcome).toBe('duplicate');
    }

    const calls = await Conversation.find({ 'voice.roomName': roomName, channel: 'voice' }).lean();
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.userId!.toString()).toBe(alice.id);
    expect(call.title).toBe(`Voice call in ${roomName}`);
    expect(call.status).toBe('ended');
    expect(call.voice.participants).toEqual([alice.id, bob.id]);
    expect(call.voice.startedAt?.getTime()).toBe(t0 * 1000);
    expect(call.voice.endedAt?.getTime()).toBe((t0 + 95) * 1000);
    expect(call.metadata.duration).toBe(95);
    expect(call.metadata.created.getTime()).toBe(t0 * 1000);
    expect(call.metadata.updated).toBeInstanceOf(Date);
    const record = await LivekitCall.findOne({ roomSid: sid }).lean();
    expect(record?.eventIds).toHaveLength(5);

    // Visible to its owner through the conversations API, not to anyone else.
    const mine = await app.http.get('/api/conversations').set(alice.auth);
    if (mine.status === 200) {
      const voice = (mine.body as Array<{ _id: string; channel?: string }>).find(
        (c) => c._id === call._id.toString(),
      );
      expect(voice).toBeDefined();
      const theirs = await app.http.get('/api/conversations').set(bob.auth);
      expect((theirs.body as Array<{ _id: string }>).map((c) => c._id)).not.toContain(
        call._id.toString(),
      );
    }
  });

  it('merges events that arrive out of order or concurrently', async () => {
    const roomName = uniqueRoom('ooo');
    await own(roomName, bob);
    const sid = `RM_ooo_${roomCounter}`;
    const events = [
      ev('EV_o3', 'room_finished', roomName, sid, t0 + 30),
      ev('EV_o2', 'participant_joined', roomName, sid, t0 + 2, { sid: 'PA_9', identity: bob.id }),
      ev('EV_o1', 'room_started', roomName, sid, t0),
    ];
    const results = await Promise.all([...events, ...events].map((e) => post(e)));
    const outcomes = results.map((r) => r.body.outcome as string).sort();
    expect(outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored', 'stored', 'stored']);
    const call = await Conversation.findOne({ 'voice.roomName': roomName }).lean();
    expect(call).toMatchObject({ status: 'ended', metadata: { duration: 30 } });
    expect(call?.voice.participants).toEqual([bob.id]);
  });

  it('ignores rooms without a recorded owner and events it does not track', async () => {
    const roomName = uniqueRoom('nobody');
    const res = await post(ev('EV_n1', 'room_started', roomName, 'RM_nobody', t0));
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored');
    const track = await post({ ...ev('EV_n2', 'track_published', roomName, 'RM_nobody', t0) });
    expect(track.body.outcome).toBe('ignored');
    expect(await Conversation.countDocuments({ 'voice.roomName': roomName })).toBe(0);
  });

  it('401 for unsigned, forged or tampered deliveries; nothing stored', async () => {
    const roomName = uniqueRoom('forged');
    await own(roomName, alice);
    const event = ev('EV_f1', 'room_started', roomName, 'RM_forged', t0);
    const body = JSON.stringify(event);

    const unsigned = await post(event, { auth: null });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ code: 'UNAUTHENTICATED' });

    const wrongSecret = await post(event, { auth: await sign(body, 'z'.repeat(48)) });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({
      code: 'INVALID_TOKEN',
      error: 'Invalid webhook signature',
    });

    const wrongKey = await post(event, { auth: await sign(body, lk.apiSecret, 'otherkey') });
    expect(wrongKey.status).toBe(401);

    // A genuine signature for a different body.
    const other = JSON.stringify({ ...event, id: 'EV_f2' });
    const tampered = await post(event, { auth: await sign(other) });
    expect(tampered.status).toBe(401);

    const garbage = await post(event, { auth: 'Bearer abc.def.ghi' });
    expect(garbage.status).toBe(401);

    expect(await Conversation.countDocuments({ 'voice.roomName': roomName })).toBe(0);
  });

  it('accepts application/json too and answers 400 for a signed non-JSON body', async () => {
    const roomName = uniqueRoom('plainjson');
    const body = JSON.stringify(ev('EV_j1', 'room_started', roomName, 'RM_j', t0));
    const ok = await app.http
      .post('/api/livekit/webhook')
      .set('Content-Type', 'application/json')
      .set('Authorization', await sign(body))
      .send(body);
    expect(ok.status).toBe(200);

    const bad = await app.http
      .post('/api/livekit/webhook')
      .set('Content-Type', 'application/webhook+json')
      .set('Authorization', await sign('{not json'))
      .send('{not json');
    expect(bad.status).toBe(400);
  });

  it('records real webhooks sent by livekit-server (room_started, room_finished)', async () => {
    const roomName = uniqueRoom('real');
    const created = await app.http.post('/api/livekit/room').set(alice.auth).send({ roomName });
    expect(created.status).toBe(201);
    const findCall = () => Conversation.findOne({ 'voice.roomName': roomName }).lean();
    await waitFor(async () => (await findCall()) !== null, 10_000);
    const started = await findCall();
    expect(started).toMatchObject({ channel: 'voice', status: 'active' });
    expect(started?.userId?.toString()).toBe(alice.id);
    expect(started?.voice.startedAt).toBeInstanceOf(Date);

    await app.http.delete(`/api/livekit/room/${roomName}`).set(alice.auth).expect(200);
    await waitFor(async () => (await findCall())?.status === 'ended', 10_000);
    const ended = await findCall();
    expect(ended?.voice.endedAt).toBeInstanceOf(Date);
    expect(ended?.metadata.duration).toBeGreaterThanOrEqual(0);
    const record = await LivekitCall.findOne({ roomName }).lean();
    expect(record?.roomSid).toBe(created.body.sid);
  });
});

describe('OpenAPI', () => {
  it('documents every LiveKit route, the webhook included', async () => {
    const res = await app.http.get('/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/livekit/create-room',
        '/api/livekit/join-room',
        '/api/livekit/create-test-room',
        '/api/livekit/token',
        '/api/livekit/room',
        '/api/livekit/rooms',
        '/api/livekit/room/{roomName}',
        '/api/livekit/rooms/{roomName}',
        '/api/livekit/webhook',
      ]),
    );
  });
});
