import {
  AiError,
  type AiEngine,
  type AiErrorCode,
  type ReplyInput,
  type ReplyOptions,
  type ReplyResult,
  type TranscribeInput,
} from './engine';

/**
 * The one place where AI calls get deadlines, retries and a fallback (providers only make the
 * call). A failing or slow primary (OpenAI) is answered by the fallback (offline), because a
 * provider failure must not become a customer failure. Rules:
 *  - each attempt has a deadline; for reply() it is the time to the first delta and then the
 *    longest silence between deltas;
 *  - 429, 5xx and connection failures are retried with jittered exponential backoff, honouring
 *    retry-after, but a retry-after longer than maxDelayMs means "fall back now" (a customer is
 *    waiting); timeouts are not retried (the budget is spent);
 *  - once reply() has passed one delta on, nothing is retried or answered again: the customer
 *    already saw part of the answer, so the error goes up (nothing is said twice);
 *  - transcribe() falls back only when the fallback can transcribe; otherwise the primary's
 *    error is what the caller sees;
 *  - the caller's own abort is never a provider failure: no retry, no fallback, not counted.
 */

export type AiOperation =
  'analyse' | 'reply' | 'title' | 'overallSentiment' | 'speak' | 'transcribe';

export interface ResiliencePolicy {
  /** Per attempt; for reply(), time to the first delta and between deltas. */
  timeoutMs: number;
  /** Retries after the first attempt, on rate limits and unavailability only. */
  maxRetries: number;
  baseDelayMs: number;
  /** Longest wait before a retry; a longer retry-after skips straight to the fallback. */
  maxDelayMs: number;
}

export const DEFAULT_POLICY: ResiliencePolicy = {
  timeoutMs: 20_000,
  maxRetries: 2,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
};

export interface FallbackHooks {
  /** The primary failed for good on this operation (after retries); log it here. */
  onFailure?(op: AiOperation, err: AiError): void;
  onRetry?(op: AiOperation, err: AiError, attempt: number, delayMs: number): void;
}

export interface AiFailureCounts {
  /** Primary operations that failed for good (after retries). */
  failures: number;
  byOperation: Partial<Record<AiOperation, number>>;
  byCode: Partial<Record<AiErrorCode, number>>;
  retries: number;
  /** Failures the fallback engine then answered. */
  answeredByFallback: number;
  /** Failures nobody answered: reply after its first delta, or the fallback failing too. */
  unanswered: number;
}

function emptyCounts(): AiFailureCounts {
  return {
    failures: 0,
    byOperation: {},
    byCode: {},
    retries: 0,
    answeredByFallback: 0,
    unanswered: 0,
  };
}

// Process-wide, like any metrics registry: health and metrics endpoints read it.
let counts = emptyCounts();

export function getAiFailureCounts(): AiFailureCounts {
  return { ...counts, byOperation: { ...counts.byOperation }, byCode: { ...counts.byCode } };
}

export function resetAiFailureCounts(): void {
  counts = emptyCounts();
}

const RETRYABLE: ReadonlySet<AiErrorCode> = new Set([
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
]);

function asAiError(err: unknown, op: AiOperation): AiError {
  if (err instanceof AiError) return err;
  // A bug or an unmapped error inside a provider is still the provider failing.
  const message = err instanceof Error ? err.message : 'unknown failure';
  return new AiError('PROVIDER_UNAVAILABLE', `${op}: ${message}`, { cause: err });
}

/** Providers may attach the server's retry-after (see openai/errors.ts ProviderError). */
function retryAfterOf(err: AiError): number | undefined {
  const value: unknown = (err as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function withFallback(
  primary: AiEngine,
  fallback: AiEngine,
  hooks: FallbackHooks = {},
  policyOverrides: Partial<ResiliencePolicy> = {},
): AiEngine {
  const policy: ResiliencePolicy = { ...DEFAULT_POLICY, ...policyOverrides };

  function timeoutError(op: AiOperation): AiError {
    return new AiError('PROVIDER_TIMEOUT', `${op}: no answer within ${policy.timeoutMs} ms`);
  }

  /** null: do not retry. */
  function retryDelay(err: AiError, attempt: number): number | null {
    if (attempt >= policy.maxRetries || !RETRYABLE.has(err.code)) return null;
    const asked = retryAfterOf(err);
    if (asked !== undefined) return asked <= policy.maxDelayMs ? asked : null;
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async function retrying<T>(
    op: AiOperation,
    run: () => Promise<T>,
    opts: { signal?: AbortSignal; mayRetry?: () => boolean } = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (thrown) {
        const err = asAiError(thrown, op);
        if (opts.signal?.aborted || (opts.mayRetry && !opts.mayRetry())) throw err;
        const delay = retryDelay(err, attempt);
        if (delay === null) throw err;
        counts.retries++;
        hooks.onRetry?.(op, err, attempt + 1, delay);
        await sleep(delay, opts.signal);
      }
    }
  }

  /** Deadline for calls the interface gives no signal to: the late answer is ignored. */
  function withDeadline<T>(op: AiOperation, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(timeoutError(op)), policy.timeoutMs);
      call().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  function recordFailure(op: AiOperation, err: AiError): void {
    counts.failures++;
    counts.byOperation[op] = (counts.byOperation[op] ?? 0) + 1;
    counts.byCode[err.code] = (counts.byCode[err.code] ?? 0) + 1;
    try {
      hooks.onFailure?.(op, err);
    } catch {
      // A logging hook must never turn a recoverable failure into a customer-facing one.
    }
  }

  async function answeredBy<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      counts.answeredByFallback++;
      return value;
    } catch (err) {
      counts.unanswered++;
      throw err;
    }
  }

  async function guarded<T>(
    op: AiOperation,
    call: () => Promise<T>,
    backup: () => Promise<T>,
  ): Promise<T> {
    try {
      return await retrying(op, () => withDeadline(op, call));
    } catch (thrown) {
      recordFailure(op, asAiError(thrown, op));
      return answeredBy(backup);
    }
  }

  /** One reply attempt under a deadline that restarts with every delta. */
  async function replyAttempt(
    input: ReplyInput,
    options: ReplyOptions,
    spoke: () => void,
  ): Promise<ReplyResult> {
    const controller = new AbortController();
    const caller = options.signal;
    const forwardAbort = (): void => controller.abort(caller?.reason);
    if (caller?.aborted) forwardAbort();
    else caller?.addEventListener('abort', forwardAbort, { once: true });

    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(timeoutError('reply')), policy.timeoutMs);
    };
    // Also cuts a provider that ignores its signal.
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(controller.signal.reason);
      if (controller.signal.aborted) fail();
      else controller.signal.addEventListener('abort', fail, { once: true });
    });
    arm();
    try {
      return await Promise.race([
        primary.reply(input, {
          signal: controller.signal,
          onDelta: (delta) => {
            // After an abort a stray delta must not reach the customer: the fallback may be talking.
            if (controller.signal.aborted) return;
            spoke();
            arm();
            options.onDelta?.(delta);
          },
        }),
        aborted,
      ]);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forwardAbort);
      aborted.catch(() => undefined);
    }
  }

  return {
    name: primary.name,

    analyse: (input) =>
      guarded(
        'analyse',
        () => primary.analyse(input),
        () => fallback.analyse(input),
      ),

    title: (input) =>
      guarded(
        'title',
        () => primary.title(input),
        () => fallback.title(input),
      ),

    overallSentiment: (messages) =>
      guarded(
        'overallSentiment',
        () => primary.overallSentiment(messages),
        () => fallback.overallSentiment(messages),
      ),

    speak: (text, voice) =>
      guarded(
        'speak',
        () => primary.speak(text, voice),
        () => fallback.speak(text, voice),
      ),

    async reply(input: ReplyInput, options: ReplyOptions = {}): Promise<ReplyResult> {
      let spoken = false;
      try {
        return await retrying(
          'reply',
          () =>
            replyAttempt(input, options, () => {
              spoken = true;
            }),
          { signal: options.signal, mayRetry: () => !spoken },
        );
      } catch (thrown) {
        const err = asAiError(thrown, 'reply');
        if (options.signal?.aborted) throw thrown;
        recordFailure('reply', err);
        if (spoken) {
          counts.unanswered++;
          throw err;
        }
        return answeredBy(async () => ({
          ...(await fallback.reply(input, options)),
          provider: fallback.name,
        }));
      }
    },

    async transcribe(input: TranscribeInput): Promise<string> {
      let primaryError: AiError;
      try {
        return await retrying('transcribe', () =>
          withDeadline('transcribe', () => primary.transcribe(input)),
        );
      } catch (thrown) {
        primaryError = asAiError(thrown, 'transcribe');
        recordFailure('transcribe', primaryError);
      }
      try {
        const text = await fallback.transcribe(input);
        counts.answeredByFallback++;
        return text;
      } catch (err) {
        counts.unanswered++;
        // The offline engine cannot transcribe: the caller should hear why OpenAI failed.
        if (err instanceof AiError && err.code === 'TRANSCRIPTION_UNAVAILABLE') throw primaryError;
        throw err;
      }
    },
  };
}
