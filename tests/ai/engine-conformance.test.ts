import {
  SENTIMENTS,
  type AgentProfile,
  type AiEngine,
  type MessageAnalysis,
} from '../../src/ai/engine';
import { createOfflineEngine } from '../../src/ai/offline/engine';
import { createOpenAiEngine } from '../../src/ai/openai/engine';
import { FakeOpenAiServer } from '../support/fake-openai-server';

/**
 * One behavioural contract, two providers: whatever the backend is configured with, customers
 * and the dashboard see the same kind of answers. The OpenAI provider runs over real HTTP
 * against a local fake that answers like a small obedient model.
 */

const agent: AgentProfile = {
  name: 'Sam',
  companyName: 'Brightline Appliances',
  personality: 'Calm, practical and kind.',
  companyInfo: 'Brightline Appliances sells kitchen appliances online with free delivery.',
  prompts: [],
  responseStyle: 'professional',
  knowledge: {
    faqs: [
      {
        question: 'How do I track my order?',
        answer: 'Use the tracking link in your confirmation email.',
      },
    ],
    policies: [
      { title: 'Refund policy', text: 'Unused items can be refunded within 30 days of delivery.' },
    ],
  },
  voice: 'alloy',
  settings: { maxTokens: 250, temperature: 0.3 },
};

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await FakeOpenAiServer.start();
});
afterAll(() => fake.close());

const providers: Array<[string, () => AiEngine]> = [
  ['offline', () => createOfflineEngine()],
  [
    'openai',
    () =>
      createOpenAiEngine({
        apiKey: 'not-needed',
        baseUrl: fake.baseUrl,
        model: 'small-local-model',
      }),
  ],
];

describe.each(providers)('%s engine', (_name, make) => {
  let engine: AiEngine;
  beforeAll(() => {
    engine = make();
  });

  async function analyse(text: string): Promise<MessageAnalysis> {
    return engine.analyse({ text, agent });
  }

  it('reads an angry refund request as negative and about cancelling / refunding', async () => {
    const a = await analyse("I'm furious, the blender arrived broken. I want a refund!");
    expect(['negative', 'urgent']).toContain(a.sentiment);
    expect(a.polarity).toBe('negative');
    expect(a.intent === 'cancellation' || /refund|cancel|return/.test(a.fineIntent ?? '')).toBe(
      true,
    );
  });

  it('hears "let me talk to a human" as a wish for a human', async () => {
    await expect(analyse('This bot is useless, let me talk to a human.')).resolves.toMatchObject({
      wantsHuman: true,
    });
  });

  it('treats a hacked account as urgent', async () => {
    await expect(analyse('My account was hacked, help now!')).resolves.toMatchObject({
      urgent: true,
      sentiment: 'urgent',
    });
  });

  it('gives a well-formed analysis (labels, language, confidence)', async () => {
    const a = await analyse('How do I track my order?');
    expect(['question', 'support', 'purchase', 'cancellation', 'general']).toContain(a.intent);
    expect(SENTIMENTS).toContain(a.sentiment);
    expect(a.language).toMatch(/^([a-z]{2}|und)$/);
    expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });

  it('streams reply deltas that concatenate to the reply text, with a known action', async () => {
    const message = 'How do I track my order?';
    const deltas: string[] = [];
    const result = await engine.reply(
      { agent, history: [], message, analysis: await analyse(message) },
      { onDelta: (d) => deltas.push(d) },
    );
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(result.text);
    expect(result.text.trim().length).toBeGreaterThan(0);
    expect(result.text).not.toMatch(/\[\[action/);
    expect(['continue', 'handoff', 'resolve']).toContain(result.action);
  });

  it('hands off when the customer asks for a human', async () => {
    const message = 'Please let me talk to a human agent.';
    const result = await engine.reply({
      agent,
      history: [],
      message,
      analysis: await analyse(message),
    });
    expect(result.action).toBe('handoff');
  });

  it('titles a conversation in 3 to 6 words without quotes', async () => {
    const title = await engine.title({
      agent,
      messages: [
        { role: 'user', content: 'My blender arrived broken and I want a refund.' },
        {
          role: 'assistant',
          content: 'I am sorry to hear that. Could you share your order number?',
        },
      ],
    });
    const words = title.trim().split(/\s+/);
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(words.length).toBeLessThanOrEqual(6);
    expect(title).not.toMatch(/["“”']/);
  });

  it('labels the overall sentiment with one of the four labels', async () => {
    const label = await engine.overallSentiment([
      { role: 'user', content: 'Thanks so much, that solved it, you were great!' },
    ]);
    expect(SENTIMENTS).toContain(label);
  });

  it('speaks MP3 audio', async () => {
    const speech = await engine.speak('Hello, how can I help you today?', agent.voice);
    expect(speech.mimeType).toBe('audio/mpeg');
    expect(speech.audio.length).toBeGreaterThan(100);
    const id3 = speech.audio.subarray(0, 3).toString('latin1') === 'ID3';
    const frameSync = speech.audio[0] === 0xff && (speech.audio[1] & 0xe0) === 0xe0;
    expect(id3 || frameSync).toBe(true);
  });
});
