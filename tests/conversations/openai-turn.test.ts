import { createAiEngine, getAiFailureCounts } from '../../src/ai';
import { Conversation } from '../../src/conversations/conversation.model';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { createAgent, registerUser, startTestApp, type TestApp } from '../support/app';
import { connect } from '../support/sockets';

// The whole turn pipeline with the OpenAI provider: the real SDK over real HTTP to a local
// OpenAI-compatible server, through REST and sockets.
let fake: FakeOpenAiServer;
let app: TestApp;
beforeAll(async () => {
  fake = await FakeOpenAiServer.start();
  const ai = createAiEngine({
    openai: {
      apiKey: 'not-needed',
      baseUrl: fake.baseUrl,
      model: 'local-chat',
      timeoutMs: 3000,
      maxRetries: 1,
    },
  });
  app = await startTestApp({ ai });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

describe('a turn answered by the OpenAI provider', () => {
  it('sends the persona and knowledge, records token usage, and serves the spoken reply', async () => {
    const user = await registerUser(app);
    const agent = await createAgent(app, user, {
      voice: 'nova',
      knowledge: {
        policies: [{ title: 'Refund policy', text: 'Refunds within 30 days of delivery.' }],
      },
    });
    const c = (
      await app.http.post('/api/conversations').set(user.auth).send({ agentId: agent._id })
    ).body;
    fake.reset();
    const res = await app.http
      .post(`/api/conversations/${c._id}/messages`)
      .set(user.auth)
      .send({ content: 'Can I get a refund for my blender?' });
    expect(res.status).toBe(201);
    expect(res.body.content).toMatch(/Acme/);
    expect(res.body.content).not.toMatch(/\[\[action/);
    const system = fake
      .chatRequests()
      .map((r) => JSON.stringify(r.messages))
      .find((m) => m.includes('Refund policy'));
    expect(system).toBeDefined();
    expect(system).toContain('Nova');
    expect(fake.speechRequests().map((r) => r.voice)).toContain('nova');
    const audio = await app.http.get(res.body.audioUrl);
    expect(audio.headers['content-type']).toBe('audio/mpeg');
    const stored = await Conversation.findById(c._id);
    expect(stored!.metadata.tokens.prompt).toBeGreaterThan(0);
    expect(stored!.metadata.tokens.completion).toBeGreaterThan(0);
    expect(stored!.messages.at(-1)!.metadata?.provider).toBe('openai');
  });

  it('transcribes a voice upload without a transcript, then answers it', async () => {
    const user = await registerUser(app);
    const agent = await createAgent(app, user);
    const c = (
      await app.http.post('/api/conversations').set(user.auth).send({ agentId: agent._id })
    ).body;
    fake.reset();
    fake.enqueue('transcription', { type: 'answer', content: 'Where is my blender order?' });
    const res = await app.http
      .post(`/api/conversations/${c._id}/audio`)
      .set(user.auth)
      .attach('audio', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(400)]), {
        filename: 'blob',
        contentType: 'audio/wav',
      });
    expect(res.status).toBe(200);
    expect(res.body.transcript).toBe('Where is my blender order?');
    expect(res.body.audioUrl).toMatch(/^\/audio\//);
    expect(fake.requests.some((r) => r.endpoint === 'transcription')).toBe(true);
    const stored = await Conversation.findById(c._id);
    const customer = stored!.messages.find((m) => m.role === 'user')!;
    expect(customer.content).toBe('Where is my blender order?');
    expect(customer.audioUrl).toMatch(/\.ogg$/);
  });

  it('answers offline when the provider fails, and the customer still gets a reply', async () => {
    const user = await registerUser(app);
    const agent = await createAgent(app, user);
    const s = await connect(app.url);
    try {
      s.socket.emit('start_conversation', { agentId: agent._id });
      const { conversationId } = await s.next<{ conversationId: string }>('conversation_started');
      fake.reset();
      fake.failNext('chat', 500, 20);
      const before = getAiFailureCounts().answeredByFallback;
      s.socket.emit('user_message', { conversationId, message: 'Do you sell blenders?' });
      const reply = await s.next<{ message: string }>('ai_response');
      expect(reply.message.length).toBeGreaterThan(5);
      expect(await s.next('typing')).toBe(false);
      expect(getAiFailureCounts().answeredByFallback).toBeGreaterThan(before);
      const stored = await Conversation.findById(conversationId);
      expect(stored!.messages.at(-1)!.metadata?.provider).toBe('offline');
    } finally {
      s.close();
      fake.reset();
    }
  });
});
