/**
 * The offline engine: no network, no key. NLU (./nlu), knowledge retrieval and the reply
 * composer answer the customer; eSpeak-NG speaks. Transcription is not available offline.
 */
import {
  AiError,
  type AiEngine,
  type AnalyseInput,
  type MessageAnalysis,
  type ReplyOptions,
  type ReplyResult,
} from '../engine';
import { composeReply } from './composer';
import { analyseOffline } from './nlu';
import { composeOverallSentiment, composeTitle } from './title';
import { synthesizeSpeech } from './tts';

/** The welcome message (owner greeting, else one line naming agent and company). */
export { composeGreeting } from './composer';

export interface OfflineEngineDeps {
  /** The NLU; tests may pass a scripted one. */
  analyse?: (input: AnalyseInput) => MessageAnalysis;
}

/** Splits text into word-sized pieces (each word with its trailing spaces) whose concatenation is the text. */
export function splitDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Yields to the event loop between deltas, so an abort or other sockets can get in. */
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createOfflineEngine(deps: OfflineEngineDeps = {}): AiEngine {
  const analyse = deps.analyse ?? analyseOffline;

  return {
    name: 'offline',

    async analyse(input) {
      return analyse(input);
    },

    async reply(input, options: ReplyOptions = {}): Promise<ReplyResult> {
      const { signal, onDelta } = options;
      signal?.throwIfAborted();
      const lastCustomer = [...input.history].reverse().find((m) => m.role === 'user');
      const previous = lastCustomer
        ? analyse({ text: lastCustomer.content, agent: input.agent })
        : undefined;
      const result = composeReply({ ...input, previous });
      // Stream like a model would, so callers (sockets, TTS per sentence) work the same offline.
      for (const delta of splitDeltas(result.text)) {
        await nextTick();
        signal?.throwIfAborted();
        onDelta?.(delta);
      }
      return result;
    },

    async title(input) {
      return composeTitle(input, (text) => analyse({ text, agent: input.agent }));
    },

    async overallSentiment(messages) {
      return composeOverallSentiment(messages, (text) => analyse({ text }));
    },

    async speak(text, voice) {
      return { audio: await synthesizeSpeech(text, voice), mimeType: 'audio/mpeg' };
    },

    async transcribe() {
      throw new AiError(
        'TRANSCRIPTION_UNAVAILABLE',
        'Offline transcription is not available: send a transcript or configure OPENAI_API_KEY / OPENAI_BASE_URL',
      );
    },
  };
}
