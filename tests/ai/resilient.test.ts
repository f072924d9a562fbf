import {
  AiError,
  type AiEngine,
  type MessageAnalysis,
  type ReplyInput,
  type ReplyOptions,
  type ReplyResult,
} from '../../src/ai/engine';
import {
  getAiFailureCounts,
  resetAiFailureCounts,
  withFallback,
  type FallbackHooks,
} from '../../src/ai/resilient';

/**
 * The wrapper against scripted engines: each test says what the primary does and checks who
 * answered, how often the primary was tried, and what was counted.
 */

const ANALYSIS: MessageAnalysis = {
  intent: 'support',
  fineIntent: null,
  sentiment: 'neutral',
  polarity: 'neutral',
  urgent: false,
  wantsHuman: false,
  companies: [],
  language: 'en',
  confidence: 0.5,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type ReplyScript = (input: ReplyInput, options?: ReplyOptions) => Promise<ReplyResult>;

function engine(name: 'openai' | 'offline', script: Partial<AiEngine> = {}): jest.Mocked<AiEngine> {
  const fail = (what: string) => () => Promise.reject(new Error(`${name}.${what} not scripted`));
  return {
    name,
    analyse: jest.fn(script.analyse ?? (async () => ({ ...ANALYSIS, fineIntent: name }))),
    reply: jest.fn(script.reply ?? fail('reply')),
    title: jest.fn(script.title ?? (async () => `${name} Title Here`)),
    overallSentiment: jest.fn(script.overallSentiment ?? (async () => 'neutral' as const)),
    speak: jest.fn(script.speak ?? fail('speak')),
    transcribe: jest.fn(script.transcribe ?? fail('transcribe')),
  };
}

/** A reply that streams `pieces` with `gapMs` between them. */
function streaming(pieces: string[], gapMs = 0, then?: () => never): ReplyScript {
  return async (_input, { onDelta } = {}) => {
    for (const p of pieces) {
      if (gapMs) await sleep(gapMs);
      onDelta?.(p);
    }
    if (then) then();
    return { text: pieces.join(''), action: 'continue', sources: [] };
  };
}

const replyInput = { message: 'hi', history: [], analysis: ANALYSIS } as unknown as ReplyInput;
const err = (code: AiError['code'], extra: Record<string, unknown> = {}) =>
  Object.assign(new AiError(code, code), extra);
const policy = { timeoutMs: 80, maxRetries: 2, baseDelayMs: 5, maxDelayMs: 200 };

beforeEach(() => resetAiFailureCounts());

describe('withFallback: analyse, title, sentiment, speak', () => {
  it('when OpenAI is rate limited twice, then it is retried and its third answer is used', async () => {
    const primary = engine('openai');
    primary.analyse
      .mockRejectedValueOnce(err('PROVIDER_RATE_LIMITED'))
      .mockRejectedValueOnce(err('PROVIDER_RATE_LIMITED'));
    const fallback = engine('offline');
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.analyse({ text: 'x' })).resolves.toMatchObject({ fineIntent: 'openai' });
    expect(primary.analyse).toHaveBeenCalledTimes(3);
    expect(fallback.analyse).not.toHaveBeenCalled();
    expect(getAiFailureCounts()).toMatchObject({ failures: 0, retries: 2 });
  });

  it('when the server asks to retry after 40 ms, then the wrapper waits that long', async () => {
    const primary = engine('openai');
    primary.title.mockRejectedValueOnce(err('PROVIDER_RATE_LIMITED', { retryAfterMs: 40 }));
    const onRetry = jest.fn();
    const ai = withFallback(primary, engine('offline'), { onRetry }, policy);

    await expect(ai.title({ messages: [] })).resolves.toBe('openai Title Here');
    expect(onRetry).toHaveBeenCalledWith('title', expect.any(AiError), 1, 40);
  });

  it('when retry-after is longer than the customer should wait, then the fallback answers at once', async () => {
    const primary = engine('openai');
    primary.analyse.mockRejectedValue(err('PROVIDER_RATE_LIMITED', { retryAfterMs: 30_000 }));
    const ai = withFallback(primary, engine('offline'), {}, policy);

    await expect(ai.analyse({ text: 'x' })).resolves.toMatchObject({ fineIntent: 'offline' });
    expect(primary.analyse).toHaveBeenCalledTimes(1);
  });

  it('when OpenAI keeps failing with 5xx, then it is tried 1 + maxRetries times, the fallback answers and one failure is counted', async () => {
    const primary = engine('openai');
    primary.overallSentiment.mockRejectedValue(err('PROVIDER_UNAVAILABLE'));
    const fallback = engine('offline', { overallSentiment: async () => 'urgent' });
    const onFailure = jest.fn<void, Parameters<NonNullable<FallbackHooks['onFailure']>>>();
    const ai = withFallback(primary, fallback, { onFailure }, policy);

    await expect(ai.overallSentiment([])).resolves.toBe('urgent');
    expect(primary.overallSentiment).toHaveBeenCalledTimes(3);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0][0]).toBe('overallSentiment');
    expect(onFailure.mock.calls[0][1].code).toBe('PROVIDER_UNAVAILABLE');
    expect(getAiFailureCounts()).toEqual({
      failures: 1,
      byOperation: { overallSentiment: 1 },
      byCode: { PROVIDER_UNAVAILABLE: 1 },
      retries: 2,
      answeredByFallback: 1,
      unanswered: 0,
    });
  });

  it.each(['PROVIDER_AUTH', 'PROVIDER_BAD_RESPONSE', 'TTS_FAILED'] as const)(
    'when OpenAI fails with %s, then there is no retry and the fallback answers',
    async (code) => {
      const primary = engine('openai', { speak: () => Promise.reject(err(code)) });
      const fallback = engine('offline', {
        speak: async () => ({ audio: Buffer.from('ID3'), mimeType: 'audio/mpeg' }),
      });
      const ai = withFallback(primary, fallback, {}, policy);

      await expect(ai.speak('hello', 'nova')).resolves.toMatchObject({ mimeType: 'audio/mpeg' });
      expect(primary.speak).toHaveBeenCalledTimes(1);
      expect(getAiFailureCounts().byCode).toEqual({ [code]: 1 });
    },
  );

  it('when OpenAI does not answer in time, then the fallback answers and the timeout is counted, not retried', async () => {
    const primary = engine('openai', { analyse: () => new Promise<never>(() => undefined) });
    const ai = withFallback(primary, engine('offline'), {}, policy);

    const started = Date.now();
    await expect(ai.analyse({ text: 'x' })).resolves.toMatchObject({ fineIntent: 'offline' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(primary.analyse).toHaveBeenCalledTimes(1);
    expect(getAiFailureCounts().byCode).toEqual({ PROVIDER_TIMEOUT: 1 });
  });

  it('when the provider throws something that is not an AiError, then it is treated as unavailable', async () => {
    const primary = engine('openai', { title: () => Promise.reject(new TypeError('boom')) });
    const ai = withFallback(primary, engine('offline'), {}, { ...policy, maxRetries: 0 });

    await expect(ai.title({ messages: [] })).resolves.toBe('offline Title Here');
    expect(getAiFailureCounts().byCode).toEqual({ PROVIDER_UNAVAILABLE: 1 });
  });

  it('when the fallback fails too, then its error goes up and the failure is unanswered', async () => {
    const primary = engine('openai', { title: () => Promise.reject(err('PROVIDER_AUTH')) });
    const fallback = engine('offline', { title: () => Promise.reject(new Error('offline broke')) });
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.title({ messages: [] })).rejects.toThrow('offline broke');
    expect(getAiFailureCounts()).toMatchObject({
      failures: 1,
      answeredByFallback: 0,
      unanswered: 1,
    });
  });
});

describe('withFallback: reply', () => {
  it('when OpenAI fails before saying anything, then the fallback streams the whole reply to the same listener', async () => {
    const primary = engine('openai', { reply: () => Promise.reject(err('PROVIDER_AUTH')) });
    const fallback = engine('offline', { reply: streaming(['Hello ', 'from offline']) });
    const deltas: string[] = [];
    const ai = withFallback(primary, fallback, {}, policy);

    const result = await ai.reply(replyInput, { onDelta: (d) => deltas.push(d) });
    expect(result.text).toBe('Hello from offline');
    expect(deltas.join('')).toBe(result.text);
  });

  it('when a 503 comes before the first delta, then the reply is retried on OpenAI', async () => {
    let calls = 0;
    const primary = engine('openai', {
      reply: (_input, options = {}) =>
        ++calls === 1
          ? Promise.reject(err('PROVIDER_UNAVAILABLE'))
          : streaming(['ok'])(replyInput, options),
    });
    const ai = withFallback(primary, engine('offline'), {}, policy);

    await expect(ai.reply(replyInput)).resolves.toMatchObject({ text: 'ok' });
    expect(primary.reply).toHaveBeenCalledTimes(2);
  });

  it('when OpenAI fails after the first delta, then there is no retry and no fallback: the error goes up', async () => {
    const primary = engine('openai', {
      reply: (_i, options = {}) =>
        streaming(['Half an ans'], 0, () => {
          throw err('PROVIDER_UNAVAILABLE');
        })(replyInput, options),
    });
    const fallback = engine('offline', { reply: streaming(['never']) });
    const deltas: string[] = [];
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.reply(replyInput, { onDelta: (d) => deltas.push(d) })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    expect(deltas).toEqual(['Half an ans']);
    expect(primary.reply).toHaveBeenCalledTimes(1);
    expect(fallback.reply).not.toHaveBeenCalled();
    expect(getAiFailureCounts()).toMatchObject({ failures: 1, unanswered: 1, retries: 0 });
  });

  it('when OpenAI is silent past the deadline, then its call is aborted, its late words are dropped and the fallback answers', async () => {
    let seenSignal: AbortSignal | undefined;
    const primary = engine('openai', {
      reply: async (_i, options = {}) => {
        seenSignal = options.signal;
        await sleep(150); // ignores the abort on purpose, like a misbehaving provider
        options.onDelta?.('LATE');
        return { text: 'LATE', action: 'continue', sources: [] };
      },
    });
    const fallback = engine('offline', { reply: streaming(['offline answer']) });
    const deltas: string[] = [];
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.reply(replyInput, { onDelta: (d) => deltas.push(d) })).resolves.toMatchObject({
      text: 'offline answer',
    });
    expect(seenSignal?.aborted).toBe(true);
    expect(seenSignal?.reason).toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    await sleep(120);
    expect(deltas).toEqual(['offline answer']);
    expect(getAiFailureCounts().byCode).toEqual({ PROVIDER_TIMEOUT: 1 });
  });

  it('when the stream stalls after the first delta, then the timeout goes up without a fallback', async () => {
    const primary = engine('openai', {
      reply: async (_i, options = {}) => {
        options.onDelta?.('Let me check');
        return new Promise<never>((_, reject) =>
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
        );
      },
    });
    const fallback = engine('offline');
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.reply(replyInput)).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect(fallback.reply).not.toHaveBeenCalled();
  });

  it('when the stream is slow but steady, then each delta restarts the deadline and the reply completes', async () => {
    const primary = engine('openai', {
      reply: (_i, o = {}) => streaming(['a', 'b', 'c', 'd'], 40)(replyInput, o),
    });
    const ai = withFallback(primary, engine('offline'), {}, policy); // 4 x 40 ms > 80 ms deadline

    await expect(ai.reply(replyInput)).resolves.toMatchObject({ text: 'abcd' });
    expect(getAiFailureCounts().failures).toBe(0);
  });

  it('when the caller aborts, then nothing is retried, nothing falls back and nothing is counted', async () => {
    const primary = engine('openai', {
      reply: (_i, options = {}) =>
        new Promise<never>((_, reject) =>
          options.signal?.addEventListener('abort', () => reject(err('PROVIDER_UNAVAILABLE'))),
        ),
    });
    const fallback = engine('offline');
    const controller = new AbortController();
    const ai = withFallback(primary, fallback, {}, policy);

    const pending = ai.reply(replyInput, { signal: controller.signal });
    controller.abort(new Error('customer left'));
    await expect(pending).rejects.toBeDefined();
    expect(fallback.reply).not.toHaveBeenCalled();
    expect(getAiFailureCounts().failures).toBe(0);
  });
});

describe('withFallback: transcribe', () => {
  const audio = { audio: Buffer.from('x'), mimeType: 'audio/webm' };

  it('when the fallback cannot transcribe, then the caller sees why OpenAI failed', async () => {
    const primary = engine('openai', { transcribe: () => Promise.reject(err('PROVIDER_AUTH')) });
    const fallback = engine('offline', {
      transcribe: () => Promise.reject(err('TRANSCRIPTION_UNAVAILABLE')),
    });
    const ai = withFallback(primary, fallback, {}, policy);

    await expect(ai.transcribe(audio)).rejects.toMatchObject({ code: 'PROVIDER_AUTH' });
    expect(getAiFailureCounts()).toMatchObject({ failures: 1, unanswered: 1 });
  });

  it('when the fallback can transcribe, then it answers', async () => {
    const primary = engine('openai', {
      transcribe: () => Promise.reject(err('PROVIDER_UNAVAILABLE')),
    });
    const fallback = engine('offline', { transcribe: async () => 'hello' });
    const ai = withFallback(primary, fallback, {}, { ...policy, maxRetries: 0 });

    await expect(ai.transcribe(audio)).resolves.toBe('hello');
  });
});
