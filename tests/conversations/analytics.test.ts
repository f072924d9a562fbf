import { createAgent, registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('GET /api/analytics/overview and per agent', () => {
  it('aggregates conversations, messages, sentiment, intents, handoffs and satisfaction', async () => {
    const user = await registerUser(app);
    const agent = await createAgent(app, user, {
      name: 'Max',
      companyName: 'Acme',
      personality: 'calm',
      companyInfo: 'Acme sells blenders.',
    });
    const other = await createAgent(app, user, {
      name: 'Zed',
      companyName: 'Zeta',
      personality: 'calm',
      companyInfo: 'Zeta sells lamps.',
    });
    const start = async (agentId: string) =>
      (await app.http.post('/api/conversations').set(user.auth).send({ agentId })).body
        ._id as string;
    const c1 = await start(agent._id);
    const c2 = await start(agent._id);
    const c3 = await start(other._id);
    const say = (id: string, content: string) =>
      app.http.post(`/api/conversations/${id}/messages`).set(user.auth).send({ content });
    await say(c1, 'Thank you, this is wonderful, great service!');
    await say(c2, 'I want to speak to a human agent right now');
    await say(c3, 'How do I track my order?');
    await app.http.post(`/api/conversations/${c1}/rating`).set(user.auth).send({ rating: 5 });

    const res = await app.http.get('/api/analytics/overview').set(user.auth);
    expect(res.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.totals).toEqual({ conversations: 3, messages: 9, handoffs: 1 });
    expect(res.body.byDay).toEqual([{ day: today, conversations: 3, messages: 9 }]);
    expect(res.body.handoffRate).toBeCloseTo(1 / 3);
    expect(res.body.sentiment.positive).toBe(1);
    expect(
      Object.values(res.body.intents as Record<string, number>).reduce((a, b) => a + b, 0),
    ).toBeGreaterThanOrEqual(3);
    expect(res.body.averageFirstResponseMs).toEqual(expect.any(Number));
    expect(res.body.averageDurationSeconds).toEqual(expect.any(Number));
    expect(res.body.satisfaction.rated).toBe(3);
    expect(res.body.channels).toEqual({ api: 3 });

    const perAgent = await app.http.get(`/api/analytics/agents/${agent._id}`).set(user.auth);
    expect(perAgent.body.totals).toEqual({ conversations: 2, messages: 6, handoffs: 1 });
    expect(perAgent.body.handoffRate).toBeCloseTo(0.5);

    const empty = await app.http
      .get('/api/analytics/overview?from=2020-01-01&to=2020-01-31')
      .set(user.auth);
    expect(empty.body.totals).toEqual({ conversations: 0, messages: 0, handoffs: 0 });
    expect(empty.body.averageDurationSeconds).toBeNull();
    expect(
      (await app.http.get('/api/analytics/overview?from=2020-02-01&to=2020-01-01').set(user.auth))
        .status,
    ).toBe(400);
    expect(
      (await app.http.get('/api/analytics/overview?from=yesterday').set(user.auth)).status,
    ).toBe(400);

    const stranger = await registerUser(app);
    const theirs = await app.http.get('/api/analytics/overview').set(stranger.auth);
    expect(theirs.body.totals.conversations).toBe(0);
  });
});
