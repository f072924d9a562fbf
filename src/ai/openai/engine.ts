import OpenAI, { BadRequestError, toFile } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import {
  AiError,
  type AiEngine,
  type AnalyseInput,
  type ChatMessage,
  type MessageAnalysis,
  type ReplyInput,
  type ReplyOptions,
  type ReplyResult,
  type Sentiment,
  type SpeechResult,
  type TitleInput,
  type TokenUsage,
  type TranscribeInput,
} from '../engine';
import { ActionTagFilter } from './action-tag';
import { ANALYSIS_JSON_SCHEMA, parseAnalysis } from './analysis';
import { toAiError, type Operation } from './errors';
import { selectPassages, sourceTitles } from './knowledge';
import { normaliseSentiment, normaliseTitle } from './normalise';
import { OPENAI_DEFAULTS, type OpenAiOptions } from './options';
import {
  buildAnalysisMessages,
  buildReplyMessages,
  buildSentimentMessages,
  buildTitleMessages,
} from './prompt';

/**
 * The OpenAI provider: one streaming chat call per reply plus small structured calls. It does
 * no retries, no fallback and enforces no deadline of its own beyond a socket guard: those live
 * once in src/ai/resilient.ts. Every SDK error is mapped to an AiError before it leaves here.
 */

/** The speech endpoint refuses longer input. */
const MAX_SPEECH_CHARS = 4_096;
/** Room for the trailing action tag on top of the owner's reply budget. */
const TAG_TOKENS = 16;
/** The provider's own deadline sits just behind the wrapper's, so the wrapper's is the one seen. */
const SOCKET_GUARD_MS = 1_000;

function looksLikeMp3(audio: Buffer): boolean {
  if (audio.length < 4) return false;
  if (audio.subarray(0, 3).toString('latin1') === 'ID3') return true;
  return audio[0] === 0xff && (audio[1] & 0xe0) === 0xe0;
}

function extensionFor(mimeType: string): string {
  const subtype = mimeType.split(';')[0].split('/')[1]?.toLowerCase() ?? '';
  const known: Record<string, string> = {
    mpeg: 'mp3',
    mp3: 'mp3',
    mp4: 'mp4',
    m4a: 'm4a',
    'x-m4a': 'm4a',
    wav: 'wav',
    'x-wav': 'wav',
    wave: 'wav',
    webm: 'webm',
    ogg: 'ogg',
    flac: 'flac',
  };
  return known[subtype] ?? 'webm';
}

function clipForSpeech(text: string): string {
  if (text.length <= MAX_SPEECH_CHARS) return text;
  const cut = text.slice(0, MAX_SPEECH_CHARS);
  const lastStop = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return lastStop > MAX_SPEECH_CHARS / 2 ? cut.slice(0, lastStop + 1) : cut;
}

export function createOpenAiEngine(options: OpenAiOptions): AiEngine {
  const chatModel = options.model || OPENAI_DEFAULTS.model;
  const analysisModel = options.analysisModel || chatModel;
  const ttsModel = options.ttsModel || OPENAI_DEFAULTS.ttsModel;
  const sttModel = options.sttModel || OPENAI_DEFAULTS.sttModel;
  const timeoutMs = options.timeoutMs ?? OPENAI_DEFAULTS.timeoutMs;
  // Switched to json_object for good once the server turns json_schema down (older vLLM, LM Studio).
  let structured: 'json_schema' | 'json_object' = options.structuredOutput ?? 'json_schema';

  const guardMs = timeoutMs + SOCKET_GUARD_MS;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? 'https://api.openai.com/v1',
    // Our own deadline (boundary) fires first; this is only a backstop.
    timeout: 2 * guardMs,
    // Retries are the wrapper's job: it can see the deadline, count them and skip long retry-afters.
    maxRetries: 0,
  });

  /**
   * Runs one SDK call with a deadline of our own and maps whatever it throws. The deadline is a
   * signal we own (not only the SDK's `timeout`) so that a timeout is recognised as such by
   * checking `deadline.aborted`, whatever shape the abort error takes on the way up.
   * `work` gets the signal to pass to the SDK and a `headersArrived` callback: a streamed reply
   * calls it once the stream is open, so the deadline covers connecting, not the whole answer
   * (gaps between deltas are the wrapper's business).
   */
  async function boundary<T>(
    op: Operation,
    work: (signal: AbortSignal, headersArrived: () => void) => Promise<T>,
    callerSignal?: AbortSignal,
  ): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(new AiError('PROVIDER_TIMEOUT', `${op}: no answer within ${guardMs} ms`)),
      guardMs,
    );
    const signal = callerSignal
      ? AbortSignal.any([callerSignal, deadline.signal])
      : deadline.signal;
    try {
      return await work(signal, () => clearTimeout(timer));
    } catch (err) {
      if (deadline.signal.aborted && !callerSignal?.aborted) throw deadline.signal.reason;
      throw toAiError(err, op, callerSignal?.reason);
    } finally {
      clearTimeout(timer);
    }
  }

  async function complete(
    op: Operation,
    params: Omit<ChatCompletionCreateParamsNonStreaming, 'model'>,
  ): Promise<string | null> {
    return boundary(op, async (signal) => {
      const completion = await client.chat.completions.create(
        { model: analysisModel, ...params },
        { signal },
      );
      return completion.choices[0]?.message?.content ?? null;
    });
  }

  async function analyseWith(
    mode: 'json_schema' | 'json_object',
    input: AnalyseInput,
    signal: AbortSignal,
  ): Promise<string | null> {
    const response_format =
      mode === 'json_schema'
        ? { type: 'json_schema' as const, json_schema: ANALYSIS_JSON_SCHEMA }
        : { type: 'json_object' as const };
    const completion = await client.chat.completions.create(
      {
        model: analysisModel,
        messages: buildAnalysisMessages(input.text, input.agent),
        response_format,
        temperature: 0,
        max_tokens: 300,
      },
      { signal },
    );
    return completion.choices[0]?.message?.content ?? null;
  }

  return {
    name: 'openai',

    async analyse(input: AnalyseInput): Promise<MessageAnalysis> {
      const content = await boundary('analyse', async (signal) => {
        if (structured === 'json_object') return analyseWith('json_object', input, signal);
        try {
          return await analyseWith('json_schema', input, signal);
        } catch (err) {
          if (!(err instanceof BadRequestError)) throw err;
          const answer = await analyseWith('json_object', input, signal);
          structured = 'json_object';
          return answer;
        }
      });
      return parseAnalysis(content, input.agent);
    },

    async reply(input: ReplyInput, replyOptions: ReplyOptions = {}): Promise<ReplyResult> {
      const { onDelta, signal } = replyOptions;
      const passages = selectPassages(input.agent, input.message);
      const filter = new ActionTagFilter();
      let text = '';
      let usage: TokenUsage | undefined;
      const say = (piece: string): void => {
        if (!piece) return;
        text += piece;
        onDelta?.(piece);
      };

      await boundary(
        'reply',
        async (requestSignal, headersArrived) => {
          const stream = await client.chat.completions.create(
            {
              model: chatModel,
              messages: buildReplyMessages(input, passages),
              stream: true,
              // Servers that do not know stream_options ignore it; usage then stays undefined.
              stream_options: { include_usage: true },
              max_tokens: input.agent.settings.maxTokens + TAG_TOKENS,
              temperature: input.agent.settings.temperature,
            },
            { signal: requestSignal },
          );
          headersArrived();
          let finished = false;
          for await (const chunk of stream) {
            if (chunk.choices[0]?.finish_reason) finished = true;
            if (chunk.usage) {
              usage = {
                promptTokens: chunk.usage.prompt_tokens,
                completionTokens: chunk.usage.completion_tokens,
              };
            }
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) say(filter.push(delta));
          }
          // A connection cut mid-answer can look like a normal end of stream: no finish_reason
          // means the customer got half a sentence, which must not pass as a complete reply.
          // The SDK ends an aborted stream quietly; say why it ended.
          if (requestSignal.aborted) throw requestSignal.reason;
          if (!finished) {
            throw new AiError(
              'PROVIDER_UNAVAILABLE',
              'reply: the stream ended before the answer did',
            );
          }
        },
        signal,
      );
      say(filter.end());

      if (text === '') throw new AiError('PROVIDER_BAD_RESPONSE', 'reply: the model said nothing');
      // A model that forgot the tag: fall back on what the analysis already knows.
      const action = filter.action ?? (input.analysis.wantsHuman ? 'handoff' : 'continue');
      return { text, action, sources: sourceTitles(passages), usage };
    },

    async title(input: TitleInput): Promise<string> {
      const answer = await complete('title', {
        messages: buildTitleMessages(input.messages, input.agent),
        temperature: 0.2,
        max_tokens: 24,
      });
      return normaliseTitle(answer, input.agent);
    },

    async overallSentiment(messages: ChatMessage[]): Promise<Sentiment> {
      if (messages.length === 0) return 'neutral';
      const answer = await complete('overallSentiment', {
        messages: buildSentimentMessages(messages),
        temperature: 0,
        max_tokens: 5,
      });
      return normaliseSentiment(answer);
    },

    async speak(text: string, voice: string): Promise<SpeechResult> {
      const audio = await boundary('speak', async (signal) => {
        const response = await client.audio.speech.create(
          {
            model: ttsModel,
            // Passed through: local TTS servers have their own voice names.
            voice,
            input: clipForSpeech(text),
            response_format: 'mp3',
          },
          { signal },
        );
        return Buffer.from(await response.arrayBuffer());
      });
      if (!looksLikeMp3(audio))
        throw new AiError('TTS_FAILED', 'speak: the answer is not MP3 audio');
      return { audio, mimeType: 'audio/mpeg' };
    },

    async transcribe(input: TranscribeInput): Promise<string> {
      const result = await boundary('transcribe', async (signal) => {
        const file = await toFile(
          input.audio,
          input.fileName ?? `audio.${extensionFor(input.mimeType)}`,
          { type: input.mimeType },
        );
        return client.audio.transcriptions.create({ file, model: sttModel }, { signal });
      });
      if (typeof result.text !== 'string') {
        throw new AiError('PROVIDER_BAD_RESPONSE', 'transcribe: no text in the answer');
      }
      return result.text.trim();
    },
  };
}
