import {
  AiError,
  type AgentProfile,
  type AiEngine,
  type MessageAnalysis,
  type ReplyInput,
} from '../../src/ai/engine';
import { createOfflineEngine } from '../../src/ai/offline/engine';
import { createOpenAiEngine } from '../../src/ai/openai/engine';
import type { OpenAiOptions } from '../../src/ai/openai/options';
import { getAiFailureCounts, resetAiFailureCounts, withFallback } from '../../src/ai/resilient';
import { FakeOpenAiServer, silentMp3 } from '../support/fake-openai-server';

/**
 * The OpenAI provider through the real SDK over real HTTP, against a local fake that speaks
 * OpenAI's wire format. Wrapped cases use the real offline engine as the fallback.
 */

const agent: AgentProfile = {
  name: 'Ava',
  companyName: 'Acme Outfitters',
  personality: 'Patient and upbeat; loves hiking.',
  companyInfo: 'Acme Outfitters sells outdoor gear online and in 12 stores across Oregon.',
  prompts: ['Always offer the loyalty code HIKE10 to returning customers.'],
  responseStyle: 'friendly',
  knowledge: {
    faqs: [
      {
        question: 'How long does shipping take?',
        answer: 'Standard shipping takes 3-5 business days.',
      },
      { question: 'Do you ship internationally?', answer: 'We ship to Canada and Mexico only.' },
    ],
    policies: [
      {
        title: 'Refund policy',
        text: 'Refunds are given within 30 days of delivery for unused items.',
      },
    ],
  },
  voice: 'nova',
  settings: { maxTokens: 300, temperature: 0.4 },
};

const neutral: MessageAnalysis = {
  intent: 'question',
  fineIntent: null,
  sentiment: 'neutral',
  polarity: 'neutral',
  urgent: false,
  wantsHuman: false,
  companies: [],
  language: 'en',
  confidence: 0.7,
};

const input = (message: string, analysis: Partial<MessageAnalysis> = {}): ReplyInput => ({
  agent,
  history: [],
  message,
  analysis: { ...neutral, ...analysis },
});

let fake: FakeOpenAiServer;
let offline: AiEngine;

const options = (extra: Partial<OpenAiOptions> = {}): OpenAiOptions => ({
  apiKey: 'sk-test-key',
  baseUrl: fake.baseUrl,
  model: 'chat-model',
  analysisModel: 'analysis-model',
  ttsModel: 'tts-model',
  sttModel: 'stt-model',
  timeoutMs: 2_000,
  ...extra,
});

/** OpenAI with the production wrapper, a short deadline and near-instant backoff. */
function wrapped(onFailure = jest.fn()): AiEngine {
  return withFallback(
    createOpenAiEngine(options()),
    offline,
    { onFailure },
    {
      timeoutMs: 400,
      maxRetries: 2,
      baseDelayMs: 5,
      maxDelayMs: 500,
    },
  );
}

beforeAll(async () => {
  fake = await FakeOpenAiServer.start();
  offline = createOfflineEngine();
});
afterEach(() => {
  fake.reset();
  resetAiFailureCounts();
});
afterAll(() => fake.close());

describe('reply', () => {
  it('streams deltas in order, hides the action tag split across chunks, and records usage', async () => {
    fake.enqueue('chat', {
      type: 'answer',
      content: '',
      chunks: ['Hel', 'lo the', 're! Anything', ' else?\n[[act', 'ion:res', 'olve]]'],
      usage: { prompt_tokens: 42, completion_tokens: 9 },
    });
    const deltas: string[] = [];

    const result = await createOpenAiEngine(options()).reply(input('Thanks, that is all'), {
      onDelta: (d) => deltas.push(d),
    });

    expect(deltas).toEqual(['Hel', 'lo the', 're! Anything', ' else?']);
    expect(result).toMatchObject({
      text: 'Hello there! Anything else?',
      action: 'resolve',
      usage: { promptTokens: 42, completionTokens: 9 },
    });
    const [req] = fake.chatRequests();
    expect(req).toMatchObject({
      model: 'chat-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.4,
    });
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test-key');
  });

  it('when the server sends no usage, then usage is undefined and the reply still completes', async () => {
    fake.enqueue('chat', {
      type: 'answer',
      content: 'Sure thing. [[action:continue]]',
      usage: null,
    });
    const result = await createOpenAiEngine(options()).reply(input('hi'));
    expect(result).toMatchObject({ text: 'Sure thing.', action: 'continue' });
    expect(result.usage).toBeUndefined();
  });

  it('when the model forgets the tag, then the action comes from the analysis', async () => {
    fake.enqueue('chat', { type: 'answer', content: 'Let me get a colleague.' });
    const result = await createOpenAiEngine(options()).reply(
      input('a human please', { wantsHuman: true }),
    );
    expect(result.action).toBe('handoff');
  });

  it('sends a system prompt with persona, policies, owner rules, the retrieved knowledge and the honesty rule', async () => {
    const result = await createOpenAiEngine(options()).reply(
      input('How long does shipping take to Portland?'),
    );

    const system = fake.chatRequests()[0].messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain(
      'You are Ava, the customer service assistant for Acme Outfitters.',
    );
    expect(system.content).toContain('Patient and upbeat; loves hiking.');
    expect(system.content).toContain('Refund policy: Refunds are given within 30 days');
    expect(system.content).toContain('Always offer the loyalty code HIKE10');
    expect(system.content).toContain(
      'How long does shipping take?: Standard shipping takes 3-5 business days.',
    );
    expect(system.content).toMatch(/say plainly that you do not know/);
    expect(system.content).toMatch(/Never invent policies/);
    expect(result.sources).toContain('How long does shipping take?');
    expect(result.text).toContain('Acme Outfitters');
    expect(result.text).not.toContain('[[');
  });
});

describe('reply cancellation', () => {
  it('when the caller aborts mid-stream, then the reply stops and fails with the abort reason', async () => {
    fake.enqueue('chat', {
      type: 'answer',
      content: 'One two three four five six',
      chunkDelayMs: 30,
    });
    const controller = new AbortController();
    const reason = new AiError('PROVIDER_TIMEOUT', 'wrapper deadline');
    const deltas: string[] = [];

    const pending = createOpenAiEngine(options()).reply(input('count'), {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        controller.abort(reason);
      },
    });

    await expect(pending).rejects.toBe(reason);
    expect(deltas).toHaveLength(1);
  });
});

describe('analyse', () => {
  it('asks for strict JSON schema output on the analysis model and validates the answer', async () => {
    const analysis = await createOpenAiEngine(options()).analyse({
      text: 'I want a refund, this is terrible!',
      agent,
    });

    expect(COARSE).toContain(analysis.intent);
    expect(['positive', 'negative', 'neutral', 'urgent']).toContain(analysis.sentiment);
    const [req] = fake.chatRequests();
    expect(req.model).toBe('analysis-model');
    expect(req.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'message_analysis', strict: true },
    });
  });

  it('when the server rejects json_schema with 400, then json_object is used from then on', async () => {
    fake.failNext('chat', 400);
    const engine = createOpenAiEngine(options());

    await engine.analyse({ text: 'where is my order?' });
    await engine.analyse({ text: 'thanks!' });

    expect(fake.chatRequests().map((r) => r.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
  });

  it('when the JSON is invalid, then the provider says PROVIDER_BAD_RESPONSE and the wrapper answers offline', async () => {
    fake.enqueue('chat', { type: 'answer', content: '{"intent": "complaint", "sentiment": 3}' });
    await expect(createOpenAiEngine(options()).analyse({ text: 'hello' })).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
    });

    fake.enqueue('chat', { type: 'answer', content: 'Sure! The intent is support.' });
    const onFailure = jest.fn();
    const analysis = await wrapped(onFailure).analyse({ text: 'my order never arrived' });
    expect(analysis).toEqual(await offline.analyse({ text: 'my order never arrived' }));
    expect(onFailure).toHaveBeenCalledWith(
      'analyse',
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
    expect(fake.chatRequests()).toHaveLength(2); // bad answers are not retried
  });
});

const COARSE = ['question', 'support', 'purchase', 'cancellation', 'general'];

describe('failures, retries and fallback over HTTP', () => {
  it('when the server answers 429 with retry-after, then the call is retried and succeeds on OpenAI', async () => {
    fake.failNext('chat', 429, 1, { 'retry-after': '0' });
    const analysis = await wrapped().analyse({ text: 'I need help with my account' });

    expect(COARSE).toContain(analysis.intent);
    expect(fake.chatRequests()).toHaveLength(2);
    expect(getAiFailureCounts()).toMatchObject({ failures: 0, retries: 1 });
  });

  it('when the server keeps answering 500, then it is tried three times, offline answers and the failure is counted', async () => {
    fake.failNext('chat', 500, 3);
    const deltas: string[] = [];

    const result = await wrapped().reply(input('How long does shipping take?'), {
      onDelta: (d) => deltas.push(d),
    });

    expect(fake.chatRequests()).toHaveLength(3);
    expect(result.text.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(result.text);
    expect(getAiFailureCounts()).toMatchObject({
      failures: 1,
      byOperation: { reply: 1 },
      byCode: { PROVIDER_UNAVAILABLE: 1 },
      answeredByFallback: 1,
    });
  });

  it('when the server is slower than the deadline, then offline answers and OpenAI words never reach the customer', async () => {
    fake.enqueue('chat', {
      type: 'answer',
      content: 'TOO LATE [[action:continue]]',
      delayMs: 1_000,
    });
    const deltas: string[] = [];

    const result = await wrapped().reply(input('hello'), { onDelta: (d) => deltas.push(d) });

    expect(deltas.join('')).toBe(result.text);
    expect(result.text).not.toContain('TOO LATE');
    expect(getAiFailureCounts().byCode).toEqual({ PROVIDER_TIMEOUT: 1 });
  });

  it('when the connection drops after the first chunks, then nothing is retried or said twice: the error goes up', async () => {
    fake.enqueue('chat', {
      type: 'answer',
      content: 'Our refund policy says you can',
      chunks: ['Our refund ', 'policy says', ' you can'],
      dropAfterChunks: 2,
    });
    const deltas: string[] = [];

    await expect(
      wrapped().reply(input('refund?'), { onDelta: (d) => deltas.push(d) }),
    ).rejects.toBeInstanceOf(AiError);

    expect(deltas.join('')).toBe('Our refund policy says');
    expect(fake.chatRequests()).toHaveLength(1);
    expect(getAiFailureCounts()).toMatchObject({
      failures: 1,
      answeredByFallback: 0,
      unanswered: 1,
    });
  });

  it('when the stream stalls after the first chunk, then the reply fails with PROVIDER_TIMEOUT, no fallback', async () => {
    fake.enqueue('chat', { type: 'answer', content: 'Let me check that', stallAfterChunks: 1 });
    const deltas: string[] = [];

    await expect(
      wrapped().reply(input('status?'), { onDelta: (d) => deltas.push(d) }),
    ).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect(deltas).toEqual(['Let me']);
  });
});

describe('error mapping at the boundary', () => {
  it.each([
    [401, 'PROVIDER_AUTH'],
    [403, 'PROVIDER_AUTH'],
    [429, 'PROVIDER_RATE_LIMITED'],
    [500, 'PROVIDER_UNAVAILABLE'],
    [503, 'PROVIDER_UNAVAILABLE'],
    [404, 'PROVIDER_BAD_RESPONSE'],
  ])('HTTP %i -> %s', async (status, code) => {
    fake.failNext('chat', status);
    await expect(
      createOpenAiEngine(options()).title({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ code });
    expect(fake.chatRequests()).toHaveLength(1); // the SDK's own retries are off: the wrapper retries
  });

  it('a 429 carries the server retry-after to the wrapper', async () => {
    fake.failNext('chat', 429, 1, { 'retry-after': '7' });
    await expect(
      createOpenAiEngine(options()).overallSentiment([{ role: 'user', content: 'ok' }]),
    ).rejects.toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryAfterMs: 7000,
    });
  });

  it('a dropped connection is PROVIDER_UNAVAILABLE; a server that never answers is PROVIDER_TIMEOUT', async () => {
    fake.enqueue('chat', { type: 'drop' });
    await expect(createOpenAiEngine(options()).analyse({ text: 'x' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });

    fake.enqueue('chat', { type: 'hang' });
    // The SDK's socket guard is timeoutMs + 1 s; the wrapper's deadline normally fires first.
    await expect(
      createOpenAiEngine(options({ timeoutMs: 100 })).analyse({ text: 'x' }),
    ).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
  });

  it('a server that is not there is PROVIDER_UNAVAILABLE', async () => {
    const gone = await FakeOpenAiServer.start();
    const baseUrl = gone.baseUrl;
    await gone.close();
    await expect(
      createOpenAiEngine(options({ baseUrl })).analyse({ text: 'x' }),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });
});

describe('titles and sentiment', () => {
  it('normalises a quoted title with a full stop into 3-6 title-case words', async () => {
    const title = await createOpenAiEngine(options()).title({
      agent,
      messages: [{ role: 'user', content: 'I want a refund for my boots' }],
    });
    expect(title).not.toMatch(/["'.]/);
    const words = title.split(' ');
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(words.length).toBeLessThanOrEqual(6);
    expect(title.startsWith('Acme Outfitters')).toBe(true);
  });

  it('reads "Urgent." as urgent and refuses an answer with no label', async () => {
    fake.enqueue('chat', { type: 'answer', content: 'Urgent.' });
    await expect(
      createOpenAiEngine(options()).overallSentiment([{ role: 'user', content: 'help' }]),
    ).resolves.toBe('urgent');
    fake.enqueue('chat', { type: 'answer', content: 'Hard to say.' });
    await expect(
      createOpenAiEngine(options()).overallSentiment([{ role: 'user', content: 'help' }]),
    ).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
    });
  });
});

describe('speech', () => {
  it('asks for MP3 in the agent voice and returns the bytes as audio/mpeg', async () => {
    const speech = await createOpenAiEngine(options()).speak('Hello from Acme.', 'nova');

    expect(speech.mimeType).toBe('audio/mpeg');
    expect(speech.audio.equals(silentMp3())).toBe(true);
    expect(fake.speechRequests()[0]).toMatchObject({
      model: 'tts-model',
      voice: 'nova',
      input: 'Hello from Acme.',
      response_format: 'mp3',
    });
  });

  it('when the server answers something that is not MP3, then TTS_FAILED', async () => {
    fake.enqueue('speech', {
      type: 'audio',
      bytes: Buffer.from('{"ok":true}'),
      contentType: 'application/json',
    });
    await expect(createOpenAiEngine(options()).speak('Hi', 'alloy')).rejects.toMatchObject({
      code: 'TTS_FAILED',
    });
  });
});

describe('transcription', () => {
  it('uploads the audio as multipart with the STT model and returns the text', async () => {
    fake.enqueue('transcription', { type: 'answer', content: ' Where is my parcel? ' });
    const audio = Buffer.from('fake webm bytes');

    const text = await createOpenAiEngine(options()).transcribe({ audio, mimeType: 'audio/webm' });

    expect(text).toBe('Where is my parcel?');
    const form = fake.requests[0].form;
    expect(form?.fields.model).toBe('stt-model');
    expect(form?.file).toEqual({ name: 'audio.webm', type: 'audio/webm', size: audio.length });
  });

  it('when the server has no transcription endpoint, then TRANSCRIPTION_UNAVAILABLE', async () => {
    fake.failNext('transcription', 404);
    await expect(
      createOpenAiEngine(options()).transcribe({ audio: Buffer.from('x'), mimeType: 'audio/wav' }),
    ).rejects.toMatchObject({
      code: 'TRANSCRIPTION_UNAVAILABLE',
    });
  });
});
