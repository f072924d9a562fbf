import { AiError, type AgentProfile, type MessageAnalysis } from '../../src/ai/engine';
import { createOfflineEngine, splitDeltas } from '../../src/ai/offline/engine';
import { closeSpeech, mp3DurationSeconds } from '../../src/ai/offline/tts';

afterAll(() => closeSpeech());

const agent: AgentProfile = {
  name: 'Maya',
  companyName: 'Acme',
  personality: 'Helpful',
  companyInfo: 'Acme sells outdoor gear online.',
  prompts: [],
  responseStyle: 'friendly',
  knowledge: {
    faqs: [
      {
        question: 'How long does shipping take?',
        answer: 'Standard shipping takes 3 to 5 business days within Europe.',
      },
    ],
    policies: [],
  },
  voice: 'nova',
  settings: { maxTokens: 300, temperature: 0.7 },
};

const neutral: MessageAnalysis = {
  intent: 'support',
  fineIntent: 'track_order',
  sentiment: 'neutral',
  polarity: 'neutral',
  urgent: false,
  wantsHuman: false,
  companies: [],
  language: 'en',
  confidence: 0.9,
};

describe('offline engine', () => {
  const engine = createOfflineEngine();

  it('is named offline', () => {
    expect(engine.name).toBe('offline');
  });

  it('streams word-sized deltas, in order, that add up to the final text', async () => {
    const deltas: string[] = [];
    const result = await engine.reply(
      { agent, history: [], message: 'Where is my order?', analysis: neutral },
      { onDelta: (delta) => deltas.push(delta) },
    );
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(result.text);
    for (const delta of deltas) expect(delta.trim().split(/\s+/)).toHaveLength(1);
    expect(result.action).toBe('continue');
  });

  it('when aborted mid-stream, then it rejects with an AbortError and sends nothing more', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = engine.reply(
      { agent, history: [], message: 'Where is my order?', analysis: neutral },
      {
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta);
          if (deltas.length === 2) controller.abort();
        },
      },
    );
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(deltas).toHaveLength(2);
  });

  it('when already aborted, then it rejects before any delta', async () => {
    const onDelta = jest.fn();
    await expect(
      engine.reply(
        { agent, history: [], message: 'hi', analysis: neutral },
        { signal: AbortSignal.abort(), onDelta },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(onDelta).not.toHaveBeenCalled();
  });

  it('splits text into deltas without losing whitespace', () => {
    const text = '  Hello there,\nhow are  you? ';
    expect(splitDeltas(text).join('')).toBe(text);
    expect(splitDeltas('')).toEqual([]);
  });

  it('analyses with the offline NLU', async () => {
    const result = await engine.analyse({
      text: 'I want to speak to a human agent right now',
      agent,
    });
    expect(result.wantsHuman).toBe(true);
    expect(['question', 'support', 'purchase', 'cancellation', 'general']).toContain(result.intent);
  });

  it('replies from a real analysis: a customer asking for a human is handed off', async () => {
    const message = 'Let me talk to a real person please';
    const analysis = await engine.analyse({ text: message, agent });
    const result = await engine.reply({ agent, history: [], message, analysis });
    expect(result.action).toBe('handoff');
    expect(result.text).toContain('Acme');
  });

  it('uses the previous customer message to continue a request when only an order number follows', async () => {
    const scripted = createOfflineEngine({
      analyse: ({ text }) =>
        text.includes('Where') ? neutral : { ...neutral, intent: 'general', fineIntent: null },
    });
    const result = await scripted.reply({
      agent,
      history: [
        { role: 'user', content: 'Where is my order?' },
        { role: 'assistant', content: 'Could you share your order number?' },
      ],
      message: '55512345',
      analysis: { ...neutral, intent: 'general', fineIntent: null },
    });
    expect(result.text).toMatch(/tracking link/);
    expect(result.text).toContain('55512345');
  });

  it('titles a conversation and rates its overall sentiment', async () => {
    const title = await engine.title({
      agent,
      messages: [{ role: 'user', content: 'Where is my order? It has not arrived.' }],
    });
    expect(title.split(' ').length).toBeGreaterThanOrEqual(3);
    expect(title.split(' ').length).toBeLessThanOrEqual(6);
    expect(title.startsWith('Acme ')).toBe(true);
    const sentiment = await engine.overallSentiment([
      { role: 'user', content: 'This is terrible, my package is broken and nobody answers!' },
      { role: 'user', content: 'I am really angry, worst service ever.' },
    ]);
    expect(['negative', 'urgent']).toContain(sentiment);
  });

  it('speaks MP3 audio', async () => {
    const speech = await engine.speak('Your order is on its way.', agent.voice);
    expect(speech.mimeType).toBe('audio/mpeg');
    expect(mp3DurationSeconds(speech.audio)).toBeGreaterThan(0.5);
  });

  it('cannot transcribe and says what to do instead', async () => {
    const attempt = engine.transcribe({ audio: Buffer.from([1, 2, 3]), mimeType: 'audio/webm' });
    await expect(attempt).rejects.toBeInstanceOf(AiError);
    await expect(attempt).rejects.toMatchObject({
      code: 'TRANSCRIPTION_UNAVAILABLE',
      message: expect.stringContaining('OPENAI_API_KEY'),
    });
  });
});
