import { utimes } from 'node:fs/promises';
import { Conversation } from '../../src/conversations/conversation.model';
import { sweepAudio } from '../../src/voice/audio-retention';
import { createAgent, registerUser, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('audio retention', () => {
  it('deletes audio past the retention period and unlinks it from its messages', async () => {
    const user = await registerUser(app);
    const agent = await createAgent(app, user, {
      name: 'Max',
      companyName: 'Acme',
      personality: 'calm',
      companyInfo: 'Acme sells blenders.',
    });
    const c = (
      await app.http.post('/api/conversations').set(user.auth).send({ agentId: agent._id })
    ).body;
    const old = await app.http
      .post(`/api/conversations/${c._id}/messages`)
      .set(user.auth)
      .send({ content: 'Do you sell blenders?' });
    const fresh = await app.http
      .post(`/api/conversations/${c._id}/messages`)
      .set(user.auth)
      .send({ content: 'And juicers?' });
    const oldFile = app.ctx.audio.fileFor(old.body.audioUrl)!;
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    await utimes(oldFile, tenDaysAgo, tenDaysAgo);

    expect(await sweepAudio(app.ctx.audio, 7)).toBe(1);
    expect((await app.http.get(old.body.audioUrl)).status).toBe(404);
    expect((await app.http.get(fresh.body.audioUrl)).status).toBe(200);
    const stored = await Conversation.findById(c._id);
    const urls = stored!.messages.map((m) => m.audioUrl).filter(Boolean);
    expect(urls).toEqual([fresh.body.audioUrl]);
    // Every audioUrl still stored resolves.
    for (const url of urls) expect((await app.http.get(`/${url}`)).status).toBe(200);
    expect(await sweepAudio(app.ctx.audio, 0)).toBe(0);
  });
});
