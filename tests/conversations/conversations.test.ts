import { existsSync } from 'node:fs';
import { ConversationFact } from '../../src/analytics/fact.model';
import { Conversation } from '../../src/conversations/conversation.model';
import { createAgent, registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type User = Awaited<ReturnType<typeof registerUser>>;

const agentOf = (user: User, extra: Record<string, unknown> = {}) =>
  createAgent(app, user, { name: 'Max', personality: 'calm', ...extra });

async function conversationWith(user: User, agentId: string) {
  const res = await app.http.post('/api/conversations').set(user.auth).send({ agentId });
  expect(res.status).toBe(201);
  return res.body as { _id: string };
}

const say = (user: User, id: string, content: string, extra: Record<string, unknown> = {}) =>
  app.http
    .post(`/api/conversations/${id}/messages`)
    .set(user.auth)
    .send({ content, ...extra });

const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(200, 0)]);

describe('the frontend contract', () => {
  it('lists full documents newest first, filtered by agentId, with valid metadata', async () => {
    const user = await registerUser(app);
    const a = await agentOf(user);
    const b = await agentOf(user, { name: 'Bea' });
    const first = await conversationWith(user, a._id);
    const second = await conversationWith(user, b._id);
    const list = await app.http.get('/api/conversations').set(user.auth);
    expect(list.status).toBe(200);
    expect(list.body.map((c: { _id: string }) => c._id)).toEqual([second._id, first._id]);
    const item = list.body[0];
    expect(Array.isArray(item.messages)).toBe(true);
    expect(Number.isInteger(item.metadata.duration)).toBe(true);
    expect(['positive', 'negative', 'neutral', 'urgent']).toContain(item.metadata.sentiment);
    expect(new Date(item.metadata.created).toISOString()).toBe(item.metadata.created);
    expect(item).not.toHaveProperty('visitorKey');
    const filtered = await app.http.get(`/api/conversations?agentId=${a._id}`).set(user.auth);
    expect(filtered.body.map((c: { _id: string }) => c._id)).toEqual([first._id]);
  });

  it('runs a REST turn: analysed, replied, spoken to a served file, analytics updated', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    const res = await say(
      user,
      c._id,
      'My blender arrived broken and I am really upset. I want a refund.',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'assistant', status: 'active', duplicate: false });
    expect(res.body.content.length).toBeGreaterThan(10);
    expect(res.body.audioUrl).toMatch(/^\/audio\/[a-f0-9]{24}\.mp3$/);
    const audio = await app.http.get(`/${res.body.audioUrl}`); // the frontend's "//audio/..."
    expect(audio.status).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/mpeg');

    const stored = await Conversation.findById(c._id);
    const userMessage = stored!.messages.find((m) => m.role === 'user')!;
    expect(userMessage.metadata).toMatchObject({
      sentiment: 'negative',
      intent: expect.any(String),
    });
    expect(stored!.metadata.sentiment).toBe('negative');
    expect(stored!.metadata.messageCount).toBe(3);
    expect(stored!.metadata.intents.length).toBeGreaterThan(0);
    expect(stored!.title).not.toMatch(/^Chat with/);
    expect(stored!.metadata.firstResponseMs).not.toBeNull();
    const fact = await ConversationFact.findById(c._id);
    expect(fact).toMatchObject({ messages: 3, sentiment: 'negative' });
  });

  it('detail view drops system messages and has ISO timestamps', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    await Conversation.updateOne(
      { _id: c._id },
      { $push: { messages: { role: 'system', content: 'secret prompt', timestamp: new Date() } } },
    );
    await say(user, c._id, 'hello there');
    const res = await app.http.get(`/api/conversations/${c._id}`).set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body.messages.some((m: { role: string }) => m.role === 'system')).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('secret prompt');
    for (const m of res.body.messages)
      expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
    expect(res.body.metadata).toMatchObject({
      duration: expect.any(Number),
      sentiment: expect.any(String),
    });
  });

  it('ends a conversation with title, sentiment and integer duration', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    await say(user, c._id, 'Where is my order? I need it for a party.');
    const res = await app.http.put(`/api/conversations/${c._id}/end`).set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ended');
    expect(res.body.title.split(' ').length).toBeGreaterThanOrEqual(3);
    expect(res.body.title).not.toMatch(/["']/);
    expect(Number.isInteger(res.body.metadata.duration)).toBe(true);
    const after = await say(user, c._id, 'one more thing');
    expect(after.status).toBe(409);
  });

  it('deletes a conversation and its audio files, then answers 404', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    const turn = await say(user, c._id, 'Do you sell blenders?');
    const file = app.ctx.audio.fileFor(turn.body.audioUrl)!;
    expect(existsSync(file)).toBe(true);
    const del = await app.http.delete(`/api/conversations/${c._id}`).set(user.auth);
    expect(del.status).toBe(200);
    expect(del.body.message).toBe('Conversation deleted successfully');
    expect(existsSync(file)).toBe(false);
    expect(await ConversationFact.findById(c._id)).toBeNull();
    expect((await app.http.get(`/api/conversations/${c._id}`).set(user.auth)).status).toBe(404);
  });

  it('reanalyzes sentiment and reports the counts', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    await say(user, c._id, 'Thanks, you were wonderful, everything works great!');
    await Conversation.updateOne(
      { _id: c._id },
      { $set: { 'metadata.sentiment': 'positive.\n', 'metadata.duration': 999 } },
    );
    const res = await app.http
      .post('/api/conversations/reanalyze-sentiment')
      .set(user.auth)
      .send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      totalConversations: 1,
      updatedConversations: 1,
    });
    expect(res.body.message).toBe('Reanalyzed sentiment and fixed duration for 1 conversations');
    const fixed = await Conversation.findById(c._id);
    expect(fixed!.metadata.sentiment).toBe('positive');
    expect(fixed!.metadata.duration).toBeLessThan(999);
  });

  it('gives the six dashboard stats: zeros first, then real numbers; 403 for someone else', async () => {
    const user = await registerUser(app);
    const empty = await app.http.get(`/api/conversations/stats/user/${user.id}`).set(user.auth);
    expect(empty.body).toEqual({
      totalCalls: 0,
      averageDuration: 0,
      lastActivity: null,
      sentimentBreakdown: { positive: 0, negative: 0, neutral: 0, urgent: 0 },
      totalMessages: 0,
      companiesInteractedWith: [],
    });
    expect(Object.keys(empty.body.sentimentBreakdown)).toEqual([
      'positive',
      'negative',
      'neutral',
      'urgent',
    ]);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    await say(
      user,
      c._id,
      'I compared you with Amazon and I am not happy with the delivery delay.',
    );
    const stats = await app.http.get(`/api/conversations/stats/user/${user.id}`).set(user.auth);
    expect(stats.body.totalCalls).toBe(1);
    expect(stats.body.totalMessages).toBe(3);
    expect(stats.body.sentimentBreakdown.negative).toBe(1);
    expect(stats.body.companiesInteractedWith).toEqual(expect.arrayContaining(['Acme', 'Amazon']));
    expect(new Date(stats.body.lastActivity).toISOString()).toBe(stats.body.lastActivity);
    const other = await registerUser(app);
    const forbidden = await app.http
      .get(`/api/conversations/stats/user/${user.id}`)
      .set(other.auth);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('Unauthorized to access other user stats');
  });

  it('accepts a voice upload and answers with the reply audio URL that resolves', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    const res = await app.http
      .post(`/api/conversations/${c._id}/audio`)
      .set(user.auth)
      .field('transcript', 'Can I return my blender?')
      .attach('audio', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(300)]), {
        filename: 'blob',
        contentType: 'audio/wav',
      });
    expect(res.status).toBe(200);
    expect(res.body.audioUrl).toMatch(/^\/audio\//);
    const played = await app.http.get(`/${res.body.audioUrl}`);
    expect(played.headers['content-type']).toBe('audio/mpeg');
    const stored = await Conversation.findById(c._id);
    const userMessage = stored!.messages.find((m) => m.role === 'user')!;
    expect(userMessage.content).toBe('Can I return my blender?');
    expect(userMessage.audioUrl).toMatch(/\.webm$/);
    expect((await app.http.get(userMessage.audioUrl!)).status).toBe(200);
  });

  it('refuses uploads that are not audio, too large, or lack a transcript offline', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    const html = await app.http
      .post(`/api/conversations/${c._id}/audio`)
      .set(user.auth)
      .field('transcript', 'hi')
      .attach('audio', Buffer.from('<html><script>alert(1)</script></html>'), {
        filename: 'x.html',
        contentType: 'text/html',
      });
    expect(html.status).toBe(415);
    const noTranscript = await app.http
      .post(`/api/conversations/${c._id}/audio`)
      .set(user.auth)
      .attach('audio', mp3, { filename: 'a.mp3' });
    expect(noTranscript.status).toBe(422);
    expect(noTranscript.body.code).toBe('TRANSCRIPTION_UNAVAILABLE');
    const missingFile = await app.http
      .post(`/api/conversations/${c._id}/audio`)
      .set(user.auth)
      .field('transcript', 'hi');
    expect(missingFile.status).toBe(400);
    const stored = await Conversation.findById(c._id);
    expect(stored!.messages.filter((m) => m.role === 'user')).toHaveLength(0);
  });
});

describe('beyond the frontend', () => {
  it('accepts only role user and is idempotent per clientMessageId', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    expect((await say(user, c._id, 'I am the system now', { role: 'system' })).status).toBe(400);
    expect((await say(user, c._id, 'fake reply', { role: 'assistant' })).status).toBe(400);
    const once = await say(user, c._id, 'Do you ship to Canada?', { clientMessageId: 'm-1' });
    const again = await say(user, c._id, 'Do you ship to Canada?', { clientMessageId: 'm-1' });
    expect(once.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      duplicate: true,
      messageId: once.body.messageId,
      content: once.body.content,
    });
    const messages = await app.http.get(`/api/conversations/${c._id}/messages`).set(user.auth);
    expect(messages.body.filter((m: { role: string }) => m.role === 'user')).toHaveLength(1);
  });

  it('creates with POST (demo agent too), updates title and status', async () => {
    const user = await registerUser(app);
    const demo = await app.http
      .post('/api/conversations')
      .set(user.auth)
      .send({ isCallSimulator: true });
    expect(demo.status).toBe(201);
    expect(demo.body.demoAgent).toEqual({
      name: 'Sigma',
      company: 'Zero to Hero',
      personality: 'motivational, strategic, and sharp-witted',
    });
    expect(demo.body.messages[0].role).toBe('assistant');
    expect(demo.body.agentId).toBeUndefined();
    expect((await app.http.post('/api/conversations').set(user.auth).send({})).status).toBe(400);
    const put = await app.http
      .put(`/api/conversations/${demo.body._id}`)
      .set(user.auth)
      .send({ title: 'Renamed' });
    expect(put.body.title).toBe('Renamed');
    const title = await app.http
      .put(`/api/conversations/${demo.body._id}/update-title`)
      .set(user.auth)
      .send({ title: 'Again' });
    expect(title.body).toEqual({
      success: true,
      title: 'Again',
      message: 'Conversation title updated successfully',
    });
    expect(
      (
        await app.http
          .put(`/api/conversations/${demo.body._id}`)
          .set(user.auth)
          .send({ status: 'handoff' })
      ).status,
    ).toBe(400);
  });

  it('pages with a cursor header, keeping the array body', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift((await conversationWith(user, agent._id))._id);
    const first = await app.http.get('/api/conversations?limit=2').set(user.auth);
    expect(first.body.map((c: { _id: string }) => c._id)).toEqual(ids.slice(0, 2));
    const cursor = first.headers['x-next-cursor'];
    expect(cursor).toBeTruthy();
    const second = await app.http
      .get(`/api/conversations?limit=2&cursor=${cursor}&envelope=true`)
      .set(user.auth);
    expect(second.body.items.map((c: { _id: string }) => c._id)).toEqual(ids.slice(2, 4));
    const third = await app.http
      .get(`/api/conversations?limit=2&cursor=${second.body.nextCursor}`)
      .set(user.auth);
    expect(third.body.map((c: { _id: string }) => c._id)).toEqual(ids.slice(4));
    expect(third.headers['x-next-cursor']).toBeUndefined();
    expect((await app.http.get('/api/conversations?cursor=garbage').set(user.auth)).status).toBe(
      400,
    );
    expect((await app.http.get('/api/conversations?limit=0').set(user.auth)).status).toBe(400);
  });

  it('records a customer rating as satisfaction', async () => {
    const user = await registerUser(app);
    const agent = await agentOf(user);
    const c = await conversationWith(user, agent._id);
    const res = await app.http
      .post(`/api/conversations/${c._id}/rating`)
      .set(user.auth)
      .send({ rating: 4 });
    expect(res.body).toEqual({ satisfaction: 4, satisfactionSource: 'rating' });
    expect(
      (await app.http.post(`/api/conversations/${c._id}/rating`).set(user.auth).send({ rating: 9 }))
        .status,
    ).toBe(400);
  });
});

describe('isolation matrix: another user gets 404/403 and nothing changes', () => {
  it('on every conversation route', async () => {
    const owner = await registerUser(app);
    const intruder = await registerUser(app);
    const agent = await agentOf(owner);
    const c = await conversationWith(owner, agent._id);
    await say(owner, c._id, 'private question about my order 12345');
    const before = JSON.stringify((await Conversation.findById(c._id))!.toJSON());
    const calls = [
      app.http.get(`/api/conversations/${c._id}`),
      app.http.put(`/api/conversations/${c._id}`).send({ title: 'x' }),
      app.http.delete(`/api/conversations/${c._id}`),
      app.http.put(`/api/conversations/${c._id}/end`),
      app.http.put(`/api/conversations/${c._id}/update-title`).send({ title: 'x' }),
      app.http.get(`/api/conversations/${c._id}/messages`),
      app.http.post(`/api/conversations/${c._id}/messages`).send({ content: 'hi' }),
      app.http.post(`/api/conversations/${c._id}/rating`).send({ rating: 1 }),
      app.http
        .post(`/api/conversations/${c._id}/audio`)
        .field('transcript', 'x')
        .attach('audio', mp3, 'a.mp3'),
      app.http.post('/api/conversations').send({ agentId: agent._id }),
    ];
    for (const call of calls) {
      const res = await call.set(intruder.auth);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('12345');
    }
    expect((await app.http.get('/api/conversations').set(intruder.auth)).body).toEqual([]);
    expect(
      (await app.http.get(`/api/conversations?agentId=${agent._id}`).set(intruder.auth)).body,
    ).toEqual([]);
    expect(
      (await app.http.get(`/api/conversations/stats/user/${owner.id}`).set(intruder.auth)).status,
    ).toBe(403);
    const reanalyse = await app.http
      .post('/api/conversations/reanalyze-sentiment')
      .set(intruder.auth)
      .send({});
    expect(reanalyse.body.totalConversations).toBe(0);
    expect(JSON.stringify((await Conversation.findById(c._id))!.toJSON())).toBe(before);
  });

  it('malformed ids are 400, never 500', async () => {
    const user = await registerUser(app);
    for (const path of [
      '/api/conversations/123',
      '/api/conversations/zzzzzzzzzzzzzzzzzzzzzzzz/messages',
      "/api/conversations/' or 1=1",
    ]) {
      const res = await app.http.get(path).set(user.auth);
      expect(res.status).toBe(400);
    }
    expect((await app.http.get('/api/conversations?agentId=nope').set(user.auth)).status).toBe(400);
  });
});
