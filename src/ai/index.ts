import type { Logger } from '../logger';
import type { AiEngine } from './engine';
import { createOfflineEngine } from './offline/engine';
import { createOpenAiEngine } from './openai/engine';
import { OPENAI_DEFAULTS, type OpenAiOptions } from './openai/options';
import { withFallback, type FallbackHooks } from './resilient';

export type { AiEngine } from './engine';
export type { OpenAiOptions } from './openai/options';
export { getAiFailureCounts, resetAiFailureCounts } from './resilient';

export interface AiOptions {
  /** Absent: no key and no base URL were configured, so the offline engine answers alone. */
  openai?: OpenAiOptions;
}

export interface AiDeps {
  /** The fallback (and the engine when OpenAI is not configured); built on demand otherwise. */
  offline?: AiEngine;
  logger?: Pick<Logger, 'warn'>;
  hooks?: FallbackHooks;
}

/**
 * The engine the rest of the backend uses: offline when OpenAI is not configured, otherwise
 * OpenAI with retries, deadlines and the offline engine as fallback (src/ai/resilient.ts).
 */
export function createAiEngine(options: AiOptions, deps: AiDeps = {}): AiEngine {
  const offline = deps.offline ?? createOfflineEngine();
  if (!options.openai) return offline;
  const { logger } = deps;
  return withFallback(
    createOpenAiEngine(options.openai),
    offline,
    {
      ...deps.hooks,
      onFailure(op, err) {
        // Code and our own message only: SDK errors can carry request bodies (customer text).
        logger?.warn({ op, code: err.code, reason: err.message }, 'AI provider failed');
        deps.hooks?.onFailure?.(op, err);
      },
    },
    {
      timeoutMs: options.openai.timeoutMs ?? OPENAI_DEFAULTS.timeoutMs,
      maxRetries: options.openai.maxRetries ?? OPENAI_DEFAULTS.maxRetries,
    },
  );
}

function readInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/** OPENAI_* variables -> AiOptions. Throws once, listing every bad value. */
export function aiOptionsFromEnv(env: NodeJS.ProcessEnv): AiOptions {
  const apiKey = env.OPENAI_API_KEY?.trim();
  const baseUrl = env.OPENAI_BASE_URL?.trim();
  if (!apiKey && !baseUrl) return {};

  const problems: string[] = [];
  const timeoutMs = readInt(env, 'OPENAI_TIMEOUT_MS', OPENAI_DEFAULTS.timeoutMs, 1, problems);
  const maxRetries = readInt(env, 'OPENAI_MAX_RETRIES', OPENAI_DEFAULTS.maxRetries, 0, problems);
  if (baseUrl && !/^https?:\/\/\S+$/i.test(baseUrl)) {
    problems.push(`OPENAI_BASE_URL must be an http(s) URL (got "${baseUrl}")`);
  }
  if (problems.length > 0) throw new Error(`Invalid AI configuration:\n- ${problems.join('\n- ')}`);

  const optional = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    openai: {
      // Ollama, vLLM and LM Studio ignore the key, but the SDK insists on one.
      apiKey: apiKey || 'not-needed',
      baseUrl: baseUrl || undefined,
      model: optional('OPENAI_MODEL') ?? OPENAI_DEFAULTS.model,
      analysisModel: optional('OPENAI_ANALYSIS_MODEL'),
      ttsModel: optional('OPENAI_TTS_MODEL'),
      sttModel: optional('OPENAI_STT_MODEL'),
      timeoutMs,
      maxRetries,
    },
  };
}
