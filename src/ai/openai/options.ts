/** Everything the OpenAI provider needs; any OpenAI-compatible server works (Ollama, vLLM, LM Studio). */
export interface OpenAiOptions {
  /** May be a dummy ("not-needed") when baseUrl points at a local server that ignores keys. */
  apiKey: string;
  /** e.g. http://127.0.0.1:11434/v1 for Ollama; unset means api.openai.com. */
  baseUrl?: string;
  /** Chat model for replies. */
  model: string;
  /** Model for analysis, titles and sentiment; defaults to `model`. */
  analysisModel?: string;
  ttsModel?: string;
  sttModel?: string;
  /** Per-attempt deadline; enforced by the resilience wrapper and used as the SDK's socket guard. */
  timeoutMs?: number;
  /** Retries on 429/5xx/connection errors, done by the resilience wrapper (the SDK's are off). */
  maxRetries?: number;
  /**
   * 'json_schema' (structured outputs) unless the server is known not to support it; the
   * provider also switches to 'json_object' by itself after a 400 on json_schema.
   */
  structuredOutput?: 'json_schema' | 'json_object';
}

export const OPENAI_DEFAULTS = {
  model: 'gpt-4o-mini',
  ttsModel: 'tts-1',
  sttModel: 'whisper-1',
  timeoutMs: 20_000,
  maxRetries: 2,
} as const;
