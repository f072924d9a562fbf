/**
 * The one interface the rest of the backend sees for AI work. Plain data in, plain data out:
 * nothing in src/ai may import Express, Socket.io or Mongoose models.
 *
 * Two providers implement it: the OpenAI provider (any OpenAI-compatible server) and the
 * offline engine (no network, no key). src/ai/index.ts picks one from config and wraps it so
 * that a failing OpenAI call is answered offline.
 */

/** The product's four-way sentiment label (urgent wins when the customer needs help now). */
export type Sentiment = 'positive' | 'negative' | 'neutral' | 'urgent';
export const SENTIMENTS: readonly Sentiment[] = ['positive', 'negative', 'neutral', 'urgent'];

/** Polarity before urgency is laid on top. */
export type Polarity = 'positive' | 'negative' | 'neutral';

/** The five coarse intents the dashboard shows. */
export type CoarseIntent = 'question' | 'support' | 'purchase' | 'cancellation' | 'general';
export const COARSE_INTENTS: readonly CoarseIntent[] = [
  'question',
  'support',
  'purchase',
  'cancellation',
  'general',
];

export type ResponseStyle = 'formal' | 'casual' | 'friendly' | 'professional';

export interface FaqEntry {
  question: string;
  answer: string;
}

export interface PolicyText {
  title: string;
  text: string;
}

/** What the AI needs to know about an agent; built from the Agent document by the caller. */
export interface AgentProfile {
  name: string;
  companyName: string;
  personality: string;
  companyInfo: string;
  /** Extra instructions the owner wrote ("always offer a discount code", ...). */
  prompts: string[];
  responseStyle: ResponseStyle;
  greeting?: string;
  knowledge: {
    faqs: FaqEntry[];
    policies: PolicyText[];
  };
  /** Voice name; OpenAI voice names (alloy, onyx, nova, shimmer, echo, fable, ...) are the lingua franca. */
  voice: string;
  settings: {
    maxTokens: number;
    temperature: number;
  };
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface MessageAnalysis {
  intent: CoarseIntent;
  /** Finer label where the model knows one (e.g. bitext "track_order"), else null. */
  fineIntent: string | null;
  /** Four-way product label: urgent when the customer needs immediate help, else polarity. */
  sentiment: Sentiment;
  polarity: Polarity;
  urgent: boolean;
  wantsHuman: boolean;
  /** Companies named in the message (whole words), the agent's own first if named. */
  companies: string[];
  /** ISO 639-1 code ("en"), or "und" when it cannot tell. */
  language: string;
  /** 0..1, the classifier's confidence in `intent`. */
  confidence: number;
}

export interface AnalyseInput {
  text: string;
  agent?: AgentProfile;
}

/** What the assistant decided to do with the conversation after this reply. */
export type ReplyAction = 'continue' | 'handoff' | 'resolve';

export interface ReplyInput {
  agent: AgentProfile;
  /** Earlier turns, oldest first, without the new message. */
  history: ChatMessage[];
  message: string;
  analysis: MessageAnalysis;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ReplyResult {
  text: string;
  action: ReplyAction;
  /** Titles of the knowledge passages the reply used (FAQ questions, policy titles). */
  sources: string[];
  usage?: TokenUsage;
  /** Which engine produced the text, when it was not the one asked (a fallback answered). */
  provider?: AiEngine['name'];
}

export interface ReplyOptions {
  /** Called with each piece of text as it is generated, in order. */
  onDelta?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface TitleInput {
  agent?: AgentProfile;
  messages: ChatMessage[];
}

export interface SpeechResult {
  audio: Buffer;
  mimeType: 'audio/mpeg';
}

export interface TranscribeInput {
  audio: Buffer;
  mimeType: string;
  fileName?: string;
}

export interface AiEngine {
  readonly name: 'openai' | 'offline';
  analyse(input: AnalyseInput): Promise<MessageAnalysis>;
  reply(input: ReplyInput, options?: ReplyOptions): Promise<ReplyResult>;
  /** 3 to 6 words, title case, names the company and the issue, no quotes. */
  title(input: TitleInput): Promise<string>;
  /** Overall sentiment of a conversation's customer messages. */
  overallSentiment(messages: ChatMessage[]): Promise<Sentiment>;
  speak(text: string, voice: string): Promise<SpeechResult>;
  /** Throws AiError with code TRANSCRIPTION_UNAVAILABLE when the provider cannot transcribe. */
  transcribe(input: TranscribeInput): Promise<string>;
}

export type AiErrorCode =
  | 'TRANSCRIPTION_UNAVAILABLE'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_BAD_RESPONSE'
  | 'PROVIDER_AUTH'
  | 'TTS_FAILED';

/** Provider errors are mapped to this type at the provider boundary. */
export class AiError extends Error {
  constructor(
    readonly code: AiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AiError';
  }
}
