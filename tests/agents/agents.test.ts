import { Agent } from '../../src/agents/agent.model';
import { Conversation } from '../../src/conversations/conversation.model';
import { registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const sample = {
  name: 'Ava',
  companyName: 'Acme Shoes',
  personality: 'warm and practical',
  companyInfo: 'Acme Shoes sells running shoes online. Free exchanges within 30 days.',
  prompts: ['Offer free exchanges', ''],
};

describe('agents CRUD on the frontend contract', () => {
  it('creates (201) with prompts as an array, lists, gets, updates and deletes', async () => {
    const owner = await registerUser(app);
    const created = await app.http.post('/api/agents').set(owner.auth).send(sample);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Ava',
      companyName: 'Acme Shoes',
      prompts: ['Offer free exchanges'],
      userId: owner.id,
      responseStyle: 'friendly',
      isPublic: true,
      voice: 'alloy',
    });
    for (const key of ['_id', 'createdAt', 'updatedAt', '__v'])
      expect(created.body).toHaveProperty(key);
    expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt);

    const list = await app.http.get('/api/agents').set(owner.auth);
    expect(list.status).toBe(200);
    expect(list.body.map((a: { _id: string }) => a._id)).toEqual([created.body._id]);

    const got = await app.http.get(`/api/agents/${created.body._id}`).set(owner.auth);
    expect(got.body.companyInfo).toBe(sample.companyInfo);

    // The edit page sends the whole object back, _id/userId/createdAt/updatedAt/__v included.
    const other = await registerUser(app);
    const echoed = {
      ...got.body,
      name: 'Ava 2',
      userId: other.id,
      _id: '0123456789abcdef01234567',
    };
    const put = await app.http.put(`/api/agents/${created.body._id}`).set(owner.auth).send(echoed);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ _id: created.body._id, name: 'Ava 2', userId: owner.id });
    expect((await Agent.findById(created.body._id))?.userId.toString()).toBe(owner.id);

    const del = await app.http.delete(`/api/agents/${created.body._id}`).set(owner.auth);
    expect(del.status).toBe(200);
    expect(del.body.message).toBe('Agent deleted successfully');
    expect((await app.http.get(`/api/agents/${created.body._id}`).set(owner.auth)).status).toBe(
      404,
    );
  });

  it('stores the product fields: style, settings, voice, greeting, knowledge, escalation', async () => {
    const owner = await registerUser(app);
    const res = await app.http
      .post('/api/agents')
      .set(owner.auth)
      .send({
        ...sample,
        responseStyle: 'formal',
        settings: { maxTokens: 200, temperature: 0.2 },
        voice: 'nova',
        greeting: 'Welcome to Acme.',
        knowledge: {
          faqs: [{ question: 'Do you ship to Canada?', answer: 'Yes, in 5-7 business days.' }],
          policies: [{ title: 'Returns', text: 'Returns are free within 30 days.' }],
        },
        escalation: { negativeStreak: 2, keywords: ['lawyer'] },
        isPublic: false,
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      responseStyle: 'formal',
      settings: { maxTokens: 200, temperature: 0.2 },
      voice: 'nova',
      greeting: 'Welcome to Acme.',
      escalation: { onRequest: true, onUrgent: true, negativeStreak: 2, keywords: ['lawyer'] },
      isPublic: false,
    });
    expect(res.body.knowledge.faqs[0].question).toBe('Do you ship to Canada?');
  });

  it.each([
    [{ ...sample, name: '' }, 'Please provide all required fields'],
    [{ name: 'x' }, 'Please provide all required fields'],
    [{ ...sample, name: 42 }, 'name must be a string'],
    [{ ...sample, prompts: 'nope' }, 'prompts must be an array of strings'],
    [
      { ...sample, responseStyle: 'pirate' },
      'responseStyle must be one of formal, casual, friendly, professional',
    ],
    [{ ...sample, settings: { temperature: 9 } }, undefined],
    [{ ...sample, somethingElse: true }, undefined],
    [{ ...sample, name: 'x'.repeat(51) }, 'name cannot exceed 50 characters'],
  ])('rejects a bad create body %# with 400', async (body, message) => {
    const owner = await registerUser(app);
    const res = await app.http.post('/api/agents').set(owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    if (message) expect(res.body.message).toBe(message);
    expect(await Agent.countDocuments({ userId: owner.id })).toBe(0);
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    const owner = await registerUser(app);
    expect((await app.http.get('/api/agents/not-an-id').set(owner.auth)).status).toBe(400);
    const missing = await app.http.get('/api/agents/0123456789abcdef01234567').set(owner.auth);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      message: 'Agent not found',
      error: 'Agent not found',
      code: 'NOT_FOUND',
    });
  });
});

describe('isolation: another user learns nothing and changes nothing', () => {
  it('gets 404 on every agent route and the agent is unchanged', async () => {
    const owner = await registerUser(app);
    const intruder = await registerUser(app);
    const { body: agent } = await app.http.post('/api/agents').set(owner.auth).send(sample);
    const calls = [
      app.http.get(`/api/agents/${agent._id}`),
      app.http.put(`/api/agents/${agent._id}`).send({ name: 'Hacked' }),
      app.http.delete(`/api/agents/${agent._id}`),
      app.http.post(`/api/agents/${agent._id}/test`).send({ message: 'hello' }),
      app.http.post(`/api/agents/${agent._id}/avatar`),
      app.http.get(`/api/analytics/agents/${agent._id}`),
    ];
    for (const call of calls) {
      const res = await call.set(intruder.auth);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Acme');
    }
    expect((await app.http.get('/api/agents').set(intruder.auth)).body).toEqual([]);
    expect((await Agent.findById(agent._id))?.name).toBe('Ava');
  });

  it('requires a token on every route', async () => {
    for (const res of [
      await app.http.get('/api/agents'),
      await app.http.post('/api/agents').send(sample),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Please authenticate.');
    }
  });
});

describe('POST /api/agents/:id/test', () => {
  it('runs one turn without storing anything', async () => {
    const owner = await registerUser(app);
    const { body: agent } = await app.http
      .post('/api/agents')
      .set(owner.auth)
      .send({
        ...sample,
        knowledge: {
          faqs: [
            {
              question: 'Do you ship to Canada?',
              answer: 'Yes, we ship to Canada in 5-7 business days.',
            },
          ],
        },
      });
    const res = await app.http
      .post(`/api/agents/${agent._id}/test`)
      .set(owner.auth)
      .send({ message: 'Do you ship to Canada?' });
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/Canada/);
    expect(res.body.sources).toContain('Do you ship to Canada?');
    expect(res.body.analysis).toMatchObject({
      intent: expect.any(String),
      sentiment: expect.any(String),
    });
    expect(await Conversation.countDocuments({ agentId: agent._id })).toBe(0);
  });

  it('reports a handoff when the customer asks for a person', async () => {
    const owner = await registerUser(app);
    const { body: agent } = await app.http.post('/api/agents').set(owner.auth).send(sample);
    const res = await app.http
      .post(`/api/agents/${agent._id}/test`)
      .set(owner.auth)
      .send({ message: 'I want to talk to a real person, not a bot' });
    expect(res.body).toMatchObject({ action: 'handoff', handoffReason: 'customer_request' });
  });
});

describe('avatars', () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64, 1),
  ]);

  it('accepts a real image, serves it, and refuses HTML dressed as an image', async () => {
    const owner = await registerUser(app);
    const { body: agent } = await app.http.post('/api/agents').set(owner.auth).send(sample);
    const ok = await app.http
      .post(`/api/agents/${agent._id}/avatar`)
      .set(owner.auth)
      .attach('avatar', png, { filename: 'me.png', contentType: 'image/png' });
    expect(ok.status).toBe(200);
    expect(ok.body.avatar).toMatch(/^\/uploads\/avatars\/[a-f0-9]{24}\.png$/);
    const served = await app.http.get(ok.body.avatar);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');

    const html = await app.http
      .post(`/api/agents/${agent._id}/avatar`)
      .set(owner.auth)
      .attach('avatar', Buffer.from('<html><script>alert(1)</script></html>'), {
        filename: 'x.png',
        contentType: 'image/png',
      });
    expect(html.status).toBe(415);
    const big = await app.http
      .post(`/api/agents/${agent._id}/avatar`)
      .set(owner.auth)
      .attach('avatar', Buffer.concat([png, Buffer.alloc(3 * 1024 * 1024)]), {
        filename: 'big.png',
      });
    expect(big.status).toBe(413);
  });

  it('ships default avatars', async () => {
    const res = await app.http.get('/public/avatars/avatar-1.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
  });
});

describe('deleting an agent', () => {
  it('keeps its conversations, marked agentDeleted with the agent remembered', async () => {
    const owner = await registerUser(app);
    const { body: agent } = await app.http.post('/api/agents').set(owner.auth).send(sample);
    const started = await app.http
      .post('/api/conversations')
      .set(owner.auth)
      .send({ agentId: agent._id });
    expect(started.status).toBe(201);
    const del = await app.http.delete(`/api/agents/${agent._id}`).set(owner.auth);
    expect(del.body.conversationsKept).toBe(1);
    const kept = await Conversation.findById(started.body._id);
    expect(kept?.agentDeleted).toBe(true);
    expect(kept?.agentSnapshot).toMatchObject({ name: 'Ava', companyName: 'Acme Shoes' });
    const detail = await app.http.get(`/api/conversations/${started.body._id}`).set(owner.auth);
    expect(detail.body.agentDeleted).toBe(true);
  });
});
