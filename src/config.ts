import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SocketLimits } from './realtime/limits';

/**
 * The environment, turned once into typed, validated, frozen config. Every variable read here is
 * listed in .env.example; nothing else in src/ reads process.env (aiOptionsFromEnv in src/ai/index.ts reads
 * the OPENAI_* ones and the NLU loader NLU_MODELS_DIR, also listed there).
 */

const DEFAULT_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:3001',
  'https://customer-care-voice-ai-frontend.vercel.app',
];
const INSECURE_SECRETS = new Set(['', 'your-secret-key', 'changeme', 'secret', 'change-me']);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(5001),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('loopback'),
  MONGODB_URI: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  EMBEDDED_DB: z.enum(['ferretdb', 'mongod']).default('ferretdb'),
  JWT_SECRET: z.string().optional(),
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]?$/, 'JWT_EXPIRES_IN must look like 24h, 30m, 7d or a number of seconds')
    .default('24h'),
  REFRESH_TOKEN_TTL_DAYS: positiveInt(30),
  FRONTEND_URL: z.string().default(''),
  BODY_LIMIT: z.string().default('100kb'),
  AUTH_RATE_LIMIT_MAX: positiveInt(20),
  AUTH_RATE_LIMIT_WINDOW_MS: positiveInt(15 * 60 * 1000),
  UPLOAD_PATH: z.string().default('uploads'),
  AUDIO_PATH: z.string().default('public/audio'),
  MAX_FILE_SIZE: positiveInt(10 * 1024 * 1024),
  AUDIO_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  SOCKET_RATE_BURST: positiveInt(10),
  SOCKET_RATE_PER_SECOND: z.coerce.number().positive().default(1),
  SOCKET_IP_RATE_BURST: positiveInt(60),
  SOCKET_IP_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  SOCKET_MAX_PER_IP: positiveInt(100),
  SOCKET_MAX_MESSAGE_CHARS: positiveInt(4000),
  LIVEKIT_URL: z.string().default('ws://127.0.0.1:7880'),
  LIVEKIT_API_KEY: z.string().default('devkey'),
  LIVEKIT_API_SECRET: z.string().default('secret'),
  LIVEKIT_TOKEN_TTL: z.string().default('6h'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: string;
  version: string;
  dataDir: string;
  db: { uri: string | undefined; embeddedEngine: Env['EMBEDDED_DB'] };
  auth: {
    jwtSecret: string;
    jwtExpiresIn: string;
    refreshTokenTtlDays: number;
    rateLimitMax: number;
    rateLimitWindowMs: number;
    bcryptRounds: number;
  };
  http: { corsOrigins: string[]; bodyLimit: string };
  files: { uploadPath: string; audioPath: string; maxFileSize: number; audioRetentionDays: number };
  livekit: { url: string; apiKey: string; apiSecret: string; tokenTtl: string };
  realtime: SocketLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Development keeps one random secret per data directory so tokens survive restarts; production
 * refuses to start without a real one (a known default would let anyone forge tokens).
 */
function resolveJwtSecret(env: Env, dataDir: string, warnings: string[]): string | undefined {
  const given = env.JWT_SECRET?.trim() ?? '';
  if (!INSECURE_SECRETS.has(given)) return given;
  if (env.NODE_ENV === 'production') return undefined;
  if (env.NODE_ENV === 'test') return randomBytes(32).toString('hex');
  const file = path.join(dataDir, '.jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  warnings.push(`JWT_SECRET is unset: generated a development secret kept in ${file}`);
  return secret;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): {
  config: Readonly<Config>;
  warnings: string[];
} {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const warnings: string[] = [];
  const problems: string[] = [];
  const dataDir = path.resolve(env.DATA_DIR);

  const jwtSecret = resolveJwtSecret(env, dataDir, warnings);
  if (!jwtSecret) {
    problems.push('JWT_SECRET must be set to a long random value in production (not a default)');
  } else if (env.NODE_ENV === 'production' && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters in production');
  }
  if (env.NODE_ENV === 'production' && !env.MONGODB_URI) {
    problems.push(
      'MONGODB_URI must be set in production (the embedded database is for development)',
    );
  }
  if (
    env.NODE_ENV === 'production' &&
    env.LIVEKIT_API_SECRET === 'secret' &&
    env.LIVEKIT_API_KEY === 'devkey'
  ) {
    warnings.push('LIVEKIT_API_KEY/SECRET are the dev defaults: voice rooms only work locally');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const extraOrigins = env.FRONTEND_URL.split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);

  const config: Config = {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    version: packageVersion(),
    dataDir,
    db: { uri: env.MONGODB_URI?.trim() || undefined, embeddedEngine: env.EMBEDDED_DB },
    auth: {
      jwtSecret: jwtSecret as string,
      jwtExpiresIn: env.JWT_EXPIRES_IN,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      rateLimitMax: env.AUTH_RATE_LIMIT_MAX,
      rateLimitWindowMs: env.AUTH_RATE_LIMIT_WINDOW_MS,
      // Cheap hashing only in tests, where thousands of users are created.
      bcryptRounds: env.NODE_ENV === 'test' ? 4 : 12,
    },
    http: {
      corsOrigins: [...new Set([...DEFAULT_ORIGINS, ...extraOrigins])],
      bodyLimit: env.BODY_LIMIT,
    },
    files: {
      uploadPath: path.resolve(env.UPLOAD_PATH),
      audioPath: path.resolve(env.AUDIO_PATH),
      maxFileSize: env.MAX_FILE_SIZE,
      audioRetentionDays: env.AUDIO_RETENTION_DAYS,
    },
    livekit: {
      url: env.LIVEKIT_URL,
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
      tokenTtl: env.LIVEKIT_TOKEN_TTL,
    },
    realtime: {
      socketBurst: env.SOCKET_RATE_BURST,
      socketPerSecond: env.SOCKET_RATE_PER_SECOND,
      ipBurst: env.SOCKET_IP_RATE_BURST,
      ipPerSecond: env.SOCKET_IP_RATE_PER_SECOND,
      maxSocketsPerIp: env.SOCKET_MAX_PER_IP,
      maxViolations: 20,
      maxMessageChars: env.SOCKET_MAX_MESSAGE_CHARS,
    },
  };
  return { config: deepFreeze(config), warnings };
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const v of Object.values(value)) {
    if (v && typeof v === 'object') deepFreeze(v as object);
  }
  return Object.freeze(value);
}
