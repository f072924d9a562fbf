import { aiOptionsFromEnv, createAiEngine } from '../../src/ai';
import type { AiEngine } from '../../src/ai/engine';
import { FakeOpenAiServer } from '../support/fake-openai-server';

describe('aiOptionsFromEnv', () => {
  it('when neither a key nor a base URL is set, then there are no OpenAI options', () => {
    expect(aiOptionsFromEnv({})).toEqual({});
    expect(aiOptionsFromEnv({ OPENAI_API_KEY: '  ', OPENAI_MODEL: 'gpt-4o' })).toEqual({});
  });

  it('when only a key is set, then the defaults apply', () => {
    expect(aiOptionsFromEnv({ OPENAI_API_KEY: 'sk-abc' })).toEqual({
      openai: {
        apiKey: 'sk-abc',
        baseUrl: undefined,
        model: 'gpt-4o-mini',
        analysisModel: undefined,
        ttsModel: undefined,
        sttModel: undefined,
        timeoutMs: 20_000,
        maxRetries: 2,
      },
    });
  });

  it('when only a base URL is set (Ollama, vLLM), then the key is "not-needed" and everything else is read', () => {
    const options = aiOptionsFromEnv({
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.2',
      OPENAI_ANALYSIS_MODEL: 'qwen2.5:3b',
      OPENAI_TTS_MODEL: 'gpt-4o-mini-tts',
      OPENAI_STT_MODEL: 'whisper-large-v3',
      OPENAI_TIMEOUT_MS: '5000',
      OPENAI_MAX_RETRIES: '0',
    });
    expect(options.openai).toEqual({
      apiKey: 'not-needed',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.2',
      analysisModel: 'qwen2.5:3b',
      ttsModel: 'gpt-4o-mini-tts',
      sttModel: 'whisper-large-v3',
      timeoutMs: 5000,
      maxRetries: 0,
    });
  });

  it('when values are malformed, then every problem is listed at once', () => {
    expect(() =>
      aiOptionsFromEnv({
        OPENAI_API_KEY: 'sk',
        OPENAI_TIMEOUT_MS: 'soon',
        OPENAI_MAX_RETRIES: '-1',
        OPENAI_BASE_URL: 'localhost:11434',
      }),
    ).toThrow(/OPENAI_TIMEOUT_MS[\s\S]*OPENAI_MAX_RETRIES[\s\S]*OPENAI_BASE_URL/);
  });
});

describe('createAiEngine', () => {
  it('when OpenAI is not configured, then the offline engine answers', () => {
    expect(createAiEngine({}).name).toBe('offline');
  });

  it('when OpenAI is configured, then OpenAI answers, wrapped; a failure is logged without message text and answered offline', async () => {
    const fake = await FakeOpenAiServer.start();
    try {
      const warn = jest.fn();
      const ai: AiEngine = createAiEngine(
        { openai: { apiKey: 'not-needed', baseUrl: fake.baseUrl, model: 'm', maxRetries: 0 } },
        { logger: { warn } },
      );
      expect(ai.name).toBe('openai');
      await expect(
        ai.overallSentiment([{ role: 'user', content: 'my secret order 123' }]),
      ).resolves.toMatch(/positive|negative|neutral|urgent/);

      fake.failNext('chat', 401);
      await expect(
        ai.overallSentiment([{ role: 'user', content: 'my secret order 123' }]),
      ).resolves.toMatch(/positive|negative|neutral|urgent/);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatchObject({
        op: 'overallSentiment',
        code: 'PROVIDER_AUTH',
      });
      expect(JSON.stringify(warn.mock.calls)).not.toContain('secret order');
    } finally {
      await fake.close();
    }
  });
});
