import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { AiError, type AiErrorCode } from '../engine';

/**
 * The one place where OpenAI SDK errors become our AiError codes. Nothing above the provider
 * sees an SDK type, so the resilience wrapper and the turn pipeline stay provider-agnostic.
 */

/** An AiError that also carries what the server said about when to try again. */
export class ProviderError extends AiError {
  constructor(
    code: AiErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

export type Operation = 'analyse' | 'reply' | 'title' | 'overallSentiment' | 'speak' | 'transcribe';

/** retry-after-ms (non-standard, OpenAI sends it) wins over retry-after (seconds or a date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function codeForStatus(status: number, op: Operation): AiErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH';
  if (status === 429) return 'PROVIDER_RATE_LIMITED';
  if (status === 408 || status === 409 || status >= 500) return 'PROVIDER_UNAVAILABLE';
  // 400/404/422: the server cannot do what we asked (unknown model, no audio endpoint on an
  // Ollama box, unsupported parameter). Retrying will not help.
  if (op === 'transcribe') return 'TRANSCRIPTION_UNAVAILABLE';
  if (op === 'speak') return 'TTS_FAILED';
  return 'PROVIDER_BAD_RESPONSE';
}

/**
 * Maps anything thrown inside the provider to an AiError. `abortReason` is the reason of the
 * signal the provider was given: when the wrapper aborts a call because it took too long, it
 * aborts with an AiError('PROVIDER_TIMEOUT') and that is what must come out.
 */
export function toAiError(err: unknown, op: Operation, abortReason?: unknown): AiError {
  if (err instanceof AiError) return err;
  if (err instanceof APIUserAbortError) {
    if (abortReason instanceof AiError) return abortReason;
    return new ProviderError('PROVIDER_UNAVAILABLE', `${op}: request aborted`, { cause: err });
  }
  // Order matters: the timeout class extends the connection error class.
  if (err instanceof APIConnectionTimeoutError) {
    return new ProviderError('PROVIDER_TIMEOUT', `${op}: OpenAI request timed out`, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new ProviderError('PROVIDER_UNAVAILABLE', `${op}: cannot reach the OpenAI server`, {
      cause: err,
    });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    return new ProviderError(codeForStatus(status, op), `${op}: OpenAI answered ${status}`, {
      status,
      retryAfterMs: status === 429 ? retryAfterMs(err.headers) : undefined,
      cause: err,
    });
  }
  if (err instanceof OpenAIError || err instanceof SyntaxError) {
    // Malformed stream chunks, LengthFinishReasonError and the like.
    return new ProviderError(
      op === 'speak' ? 'TTS_FAILED' : 'PROVIDER_BAD_RESPONSE',
      `${op}: unusable answer`,
      {
        cause: err,
      },
    );
  }
  if (abortReason instanceof AiError) return abortReason;
  // A stream cut mid-body surfaces as a plain TypeError/Error from fetch: a transport failure.
  return new ProviderError('PROVIDER_UNAVAILABLE', `${op}: ${describe(err)}`, { cause: err });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : 'unknown provider failure';
}
