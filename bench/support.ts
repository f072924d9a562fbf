/**
 * Shared by the end-to-end benchmarks (bench/turns.ts, bench/voice.ts).
 *
 * The server under test runs in a CHILD PROCESS (this file, run with `--serve`), not inside the
 * benchmark: hundreds of socket.io clients parsing base64 MP3 replies would otherwise share one
 * event loop, one heap and one CPU budget with the server and skew its latency and memory. The
 * child starts a throw-away FerretDB (its own child, data in a temp dir), then the real server
 * (src/server.ts) with NODE_ENV=production, LOG_LEVEL=silent, the offline AI and socket rate
 * limits raised by env. It reports its memory, CPU and event-loop delay over IPC.
 *
 * The parent registers a user and creates a public agent over REST, then drives socket.io-client
 * connections as anonymous customers (visitors) of that agent, like the frontend's chat widget.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { AgentProfile } from '../src/ai/engine';

// ---------------------------------------------------------------------------------------------
// Statistics and printing

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Milliseconds for a table: one decimal below 10 ms, whole numbers above. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const sleep = (msToWait: number) => new Promise<void>((r) => setTimeout(r, msToWait));

let phase = 'starting';
/** Names what the benchmark is doing now (printed to stderr, and by the watchdog). */
export function progress(what: string): void {
  phase = what;
  console.error(`  [${(performance.now() / 1000).toFixed(1)} s] ${what}`);
}

/**
 * A hard bound on the whole run: past `limitMs` it says where it was and exits non-zero (the
 * server child notices the closed IPC channel and stops itself and its FerretDB).
 */
export function watchdog(limitMs: number): void {
  setTimeout(() => {
    console.error(`benchmark gave up after ${limitMs / 1000} s while: ${phase}`);
    process.exit(2);
  }, limitMs).unref();
}

/** One line about the machine and its load, printed before and after a run. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load}`;
}

// ---------------------------------------------------------------------------------------------
// Realistic customer texts

/**
 * Varied customer messages for a shop: tracking, returns, billing, accounts, product questions,
 * some with order numbers and emails, some unhappy. None asks for a human or is urgent, so the
 * AI answers every turn (a turn that still hands off is counted and the conversation restarted).
 */
export const CUSTOMER_TEXTS: readonly string[] = [
  'Hi, where is my order? It was supposed to arrive yesterday.',
  'My order number is 48213, can you check the delivery status?',
  'How long does shipping usually take to Canada?',
  'I would like to return the shoes I bought last week, they are too small.',
  'What is your refund policy for items bought on sale?',
  'Can I change the delivery address on order 77120?',
  'The jacket I received has a broken zipper, what can you do about it?',
  'Do you have the Trail Runner 2 in size 44?',
  'I was charged twice for the same order, can you look into it?',
  'How do I reset my password? The link in the email does not work.',
  'Can I pay with PayPal or only with a credit card?',
  'Is there a discount for students?',
  'I never got a confirmation email for my purchase, my email is jane.doe@example.com',
  'What are your opening hours for customer support?',
  'How do I cancel my subscription to the monthly sock box?',
  'The package says delivered but I cannot find it anywhere.',
  'Can I exchange a gift without the receipt?',
  'Do you ship to Germany and how much does it cost?',
  'I want to update the credit card on my account.',
  'Thanks, that was helpful. One more thing: do the boots run true to size?',
  'Honestly I am a bit disappointed, the colour looks different from the photos.',
  'Can I add another item to an order I placed an hour ago?',
  'Is the waterproof spray safe for suede?',
  'When will the winter collection be back in stock?',
  'How do I use my gift card online?',
  'My tracking number 1Z999AA10123456784 has not updated in four days.',
  'Could you send me an invoice for order 55031 for my company?',
  'I have a question about the warranty on the hiking poles.',
  'The website keeps logging me out when I try to check out.',
  'Do you offer free returns if I live in the UK?',
];

// ---------------------------------------------------------------------------------------------
// The agent the benchmarks talk to

/** Body for POST /api/agents: a shop with FAQs and policies so retrieval has work to do. */
export const BENCH_AGENT = {
  name: 'Ava',
  companyName: 'Acme Outdoor',
  personality: 'warm, concise and practical',
  companyInfo:
    'Acme Outdoor sells shoes, jackets and hiking gear online and ships to the US, Canada, the UK and the EU. ' +
    'Support is open Monday to Friday, 9:00 to 18:00 CET, by chat and phone.',
  prompts: ['Always offer a free exchange within 30 days.'],
  responseStyle: 'friendly' as const,
  voice: 'alloy' as const,
  knowledge: {
    faqs: [
      {
        question: 'How long does shipping take?',
        answer:
          'Orders ship within one business day; delivery takes 2-4 days in the US and 5-8 days internationally.',
      },
      {
        question: 'How do I return an item?',
        answer:
          'Start a return from your order page within 30 days; we email a prepaid label and refund within 5 business days of receiving it.',
      },
      {
        question: 'Which payment methods do you accept?',
        answer: 'Visa, Mastercard, American Express, PayPal and gift cards.',
      },
      {
        question: 'Do you offer student discounts?',
        answer: 'Yes: 10% off with a verified student email, applied at checkout.',
      },
      {
        question: 'How do I reset my password?',
        answer:
          'Use "Forgot password" on the sign-in page; the link is valid for one hour. Check your spam folder if it does not arrive.',
      },
    ],
    policies: [
      {
        title: 'Refunds',
        text: 'Refunds go to the original payment method within 5 business days after the return arrives. Sale items can be exchanged or refunded as store credit.',
      },
      {
        title: 'Warranty',
        text: 'Shoes and jackets carry a two-year warranty against manufacturing defects; hiking poles carry five years.',
      },
    ],
  },
  // Rule-based escalation off: every turn runs the whole AI pipeline (analyse, reply, speech).
  escalation: { onRequest: false, onUrgent: false, negativeStreak: 0, keywords: [] },
  isPublic: true,
};

/** The same agent as the engine sees it, for benchmarks that call the engine directly. */
export const BENCH_PROFILE: AgentProfile = {
  name: BENCH_AGENT.name,
  companyName: BENCH_AGENT.companyName,
  personality: BENCH_AGENT.personality,
  companyInfo: BENCH_AGENT.companyInfo,
  prompts: BENCH_AGENT.prompts,
  responseStyle: BENCH_AGENT.responseStyle,
  knowledge: BENCH_AGENT.knowledge,
  voice: BENCH_AGENT.voice,
  settings: { maxTokens: 400, temperature: 0.7 },
};

// ---------------------------------------------------------------------------------------------
// Test-split utterances (../shared/data)

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export const SHARED_DATA = path.resolve(__dirname, '..', '..', 'shared', 'data');

/**
 * `count` texts from a test split, evenly spaced through the file so every intent is covered.
 * `column` is the header name of the text column.
 */
export function testSplitTexts(relativeCsv: string, column: string, count: number): string[] {
  const lines = readFileSync(path.join(SHARED_DATA, relativeCsv), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = csvFields(lines[0]!);
  const at = header.indexOf(column);
  if (at === -1) throw new Error(`${relativeCsv} has no column "${column}"`);
  const rows = lines.slice(1);
  const step = Math.max(1, rows.length / count);
  const texts: string[] = [];
  for (let i = 0; i < rows.length && texts.length < count; i += step) {
    const text = csvFields(rows[Math.floor(i)]!)[at]?.trim();
    if (text) texts.push(text);
  }
  return texts;
}

// ---------------------------------------------------------------------------------------------
// The server under test (parent side)

export interface ServerStats {
  /** process.memoryUsage() after two forced GCs. */
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop delay since the last reset (ms). */
  loopP50: number;
  loopP99: number;
  loopMax: number;
  /** CPU time of the server process (main + TTS worker thread) since it started (ms). */
  cpuMs: number;
  /** CPU time of the FerretDB child since it started (ms), from /proc; NaN when unreadable. */
  dbCpuMs: number;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Bearer token of the agent owner. */
  token: string;
  agentId: string;
  stats(options?: { resetLoop?: boolean }): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Environment of the server process: production-like, offline AI, limits raised for load. */
export function benchServerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.OPENAI_BASE_URL;
  delete env.MONGODB_URI;
  return {
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: randomBytes(32).toString('hex'),
    AUTH_RATE_LIMIT_MAX: '10000',
    SOCKET_RATE_BURST: '1000',
    SOCKET_RATE_PER_SECOND: '1000',
    SOCKET_IP_RATE_BURST: '100000',
    SOCKET_IP_RATE_PER_SECOND: '100000',
    SOCKET_MAX_PER_IP: '5000',
  };
}

type ChildReply =
  | { type: 'ready'; url: string }
  | { type: 'failed'; error: string }
  | { type: 'stats'; id: number; stats: ServerStats };

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

async function postJson(url: string, body: unknown, token?: string): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Forks the server (this file with --serve), waits until it listens, registers the agent owner
 * and creates the public agent over REST.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const child: ChildProcess = fork(__filename, ['--serve'], {
    execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
    env: benchServerEnv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = new Map<number, (stats: ServerStats) => void>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    child.on('message', (message: ChildReply) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`server failed to start: ${message.error}`));
      } else if (message.type === 'stats') {
        waiters.get(message.id)?.(message.stats);
        waiters.delete(message.id);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}`));
    });
  });

  let closing = false;
  // The server going away mid-run makes every later number meaningless: stop loudly.
  child.once('exit', (code, signal) => {
    if (closing) return;
    console.error(`bench server exited unexpectedly (code ${code}, signal ${signal})`);
    process.exit(3);
  });
  const close = async () => {
    closing = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.send({ type: 'stop' });
    await exited;
    clearTimeout(force);
  };

  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
    const registered = await postJson(`${url}/api/auth/register`, {
      name: 'Bench Owner',
      email,
      password: 'Bench-Secret-123',
    });
    if (registered.status !== 201)
      throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
    const token = String(registered.body.token);
    const agent = await postJson(`${url}/api/agents`, BENCH_AGENT, token);
    if (agent.status !== 201)
      throw new Error(`create agent: ${agent.status} ${JSON.stringify(agent.body)}`);
    return {
      url,
      pid: child.pid ?? -1,
      token,
      agentId: String(agent.body._id),
      stats(options = {}) {
        const id = nextId++;
        return new Promise<ServerStats>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('stats timed out')), 30_000);
          waiters.set(id, (stats) => {
            clearTimeout(timer);
            resolve(stats);
          });
          child.send({ type: 'stats', id, resetLoop: options.resetLoop === true });
        });
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Customer sockets

export interface TurnOutcome {
  ok: boolean;
  /** user_message emit -> ai_response (or error) received, ms. */
  latencyMs: number;
  /** user_message emit -> first ai_response_chunk, ms (NaN when none arrived). */
  firstChunkMs: number;
  /** user_message emit -> last ai_response_chunk (the reply text is complete), ms. */
  lastChunkMs: number;
  /** user_message emit -> first ai_audio_chunk (the first spoken sentence), ms (NaN when none). */
  firstAudioChunkMs: number;
  /** Size of the decoded MP3 in ai_response; 0 when the reply came without audio. */
  audioBytes: number;
  /** error code when !ok. */
  code?: string;
  handoff: boolean;
}

interface PendingTurn {
  start: number;
  firstChunk: number;
  lastChunk: number;
  firstAudioChunk: number;
  handoff: boolean;
  resolve: (outcome: TurnOutcome) => void;
  timer: NodeJS.Timeout;
}

interface AiResponsePayload {
  conversationId?: string;
  audioData?: string;
}

/**
 * One customer: a socket.io-client connection (websocket transport, as browsers end up on)
 * that runs one turn at a time and times it.
 */
export class Customer {
  private pending: PendingTurn | null = null;
  conversationId = '';
  private sent = 0;

  private constructor(readonly socket: Socket) {
    socket.on('ai_response_chunk', () => {
      if (!this.pending) return;
      const now = performance.now();
      if (Number.isNaN(this.pending.firstChunk)) this.pending.firstChunk = now;
      this.pending.lastChunk = now;
    });
    socket.on('ai_audio_chunk', () => {
      if (this.pending && Number.isNaN(this.pending.firstAudioChunk)) {
        this.pending.firstAudioChunk = performance.now();
      }
    });
    socket.on('handoff_started', () => {
      if (this.pending) this.pending.handoff = true;
    });
    socket.on('ai_response', (payload: AiResponsePayload) => {
      if (payload.conversationId !== this.conversationId) return;
      const audioBytes = payload.audioData ? Math.floor((payload.audioData.length * 3) / 4) : 0;
      this.finish({ ok: true, audioBytes });
    });
    socket.on('error', (payload: { code?: string }) => {
      this.finish({ ok: false, audioBytes: 0, code: payload?.code ?? 'ERROR' });
    });
    socket.on('disconnect', () => this.finish({ ok: false, audioBytes: 0, code: 'DISCONNECTED' }));
  }

  static async connect(
    url: string,
    timeoutMs = 20_000,
    auth?: Record<string, unknown>,
  ): Promise<Customer> {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      auth,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
    return new Customer(socket);
  }

  /** start_conversation with the agent; resolves with the time to conversation_started (ms). */
  async start(agentId: string, timeoutMs = 60_000): Promise<number> {
    const began = performance.now();
    const ack = (await this.socket
      .timeout(timeoutMs)
      .emitWithAck('start_conversation', { agentId })) as {
      ok: boolean;
      conversationId?: string;
      error?: string;
    };
    if (!ack.ok || !ack.conversationId) throw new Error(`start_conversation: ${ack.error}`);
    this.conversationId = ack.conversationId;
    return performance.now() - began;
  }

  /** Sends one message and waits for its ai_response (or error). Never rejects. */
  turn(message: string, timeoutMs = 90_000): Promise<TurnOutcome> {
    if (this.pending) throw new Error('one turn at a time');
    const start = performance.now();
    const done = new Promise<TurnOutcome>((resolve) => {
      this.pending = {
        start,
        firstChunk: Number.NaN,
        lastChunk: Number.NaN,
        firstAudioChunk: Number.NaN,
        handoff: false,
        resolve,
        timer: setTimeout(
          () => this.finish({ ok: false, audioBytes: 0, code: 'TIMEOUT' }),
          timeoutMs,
        ),
      };
    });
    this.sent += 1;
    // A dead connection answers at once instead of after the timeout.
    if (!this.socket.connected) {
      setImmediate(() => this.finish({ ok: false, audioBytes: 0, code: 'DISCONNECTED' }));
      return done;
    }
    this.socket.emit('user_message', {
      conversationId: this.conversationId,
      message,
      clientMessageId: `${this.conversationId}-${this.sent}`,
    });
    return done;
  }

  private finish(result: { ok: boolean; audioBytes: number; code?: string }): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.resolve({
      ...result,
      latencyMs: performance.now() - pending.start,
      firstChunkMs: pending.firstChunk - pending.start,
      lastChunkMs: pending.lastChunk - pending.start,
      firstAudioChunkMs: pending.firstAudioChunk - pending.start,
      handoff: pending.handoff,
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Opens `count` customer sockets, `batch` handshakes at a time. */
export async function connectMany(
  url: string,
  count: number,
  batch = 50,
  auth?: Record<string, unknown>,
): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    customers.push(
      ...(await Promise.all(Array.from({ length: n }, () => Customer.connect(url, 20_000, auth)))),
    );
  }
  return customers;
}

/** Runs `worker(i)` for i in [0, count) with at most `parallel` running at once. */
export async function inParallel<T>(
  count: number,
  parallel: number,
  worker: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await worker(i);
    }
  });
  await Promise.all(lanes);
  return results;
}

// ---------------------------------------------------------------------------------------------
// The server under test (child side: `ts-node bench/support.ts --serve`)

/** utime + stime of a process from /proc/<pid>/stat, in ms (Linux); NaN elsewhere. */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 once pid and comm are cut.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

type ParentMessage = { type: 'stats'; id: number; resetLoop: boolean } | { type: 'stop' };

async function serve(): Promise<void> {
  // Imported here so the parent (the load generator) never loads the server's modules.
  const { createAiEngine, aiOptionsFromEnv } = await import('../src/ai');
  const { closeSpeech } = await import('../src/ai/offline/tts');
  const { loadConfig } = await import('../src/config');
  const { createContext } = await import('../src/context');
  const { openDatabase } = await import('../src/db/connection');
  const { startEmbeddedDatabase } = await import('../src/db/embedded');
  const { createLogger } = await import('../src/logger');
  const { startServer } = await import('../src/server');

  const send = (message: ChildReply) => process.send?.(message);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccv-bench-'));
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(dir, 'db') });
  const { config } = loadConfig({
    ...process.env,
    MONGODB_URI: `${embedded.uri}bench`,
    DATA_DIR: path.join(dir, 'data'),
    AUDIO_PATH: path.join(dir, 'audio'),
    UPLOAD_PATH: path.join(dir, 'uploads'),
  });
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  const deadline = Date.now() + 20_000;
  while (db.state() !== 'connected') {
    if (Date.now() > deadline) throw new Error('database did not connect within 20 s');
    await sleep(50);
  }
  const ai = createAiEngine(aiOptionsFromEnv(process.env), { logger });
  const server = await startServer(createContext({ config, logger, db, ai }));
  const dbPid = childPids(process.pid)[0] ?? -1;

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const gc = (globalThis as { gc?: () => void }).gc;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    await embedded.stop();
    await closeSpeech();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') return void stop();
    // Loop delay and CPU first, then the forced GCs for memory, then the reset: the GC pauses
    // this causes are in neither this window nor the next.
    const loopP50 = loop.percentile(50) / 1e6;
    const loopP99 = loop.percentile(99) / 1e6;
    const loopMax = loop.max / 1e6;
    const cpu = process.cpuUsage();
    const dbCpuMs = dbPid > 0 ? procCpuMs(dbPid) : Number.NaN;
    gc?.();
    gc?.();
    const memory = process.memoryUsage();
    if (message.resetLoop) loop.reset();
    send({
      type: 'stats',
      id: message.id,
      stats: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        loopP50,
        loopP99,
        loopMax,
        cpuMs: (cpu.user + cpu.system) / 1000,
        dbCpuMs,
      },
    });
  });
  // As src/index.ts does in production: a stray rejection is reported, not fatal.
  process.on('unhandledRejection', (reason) =>
    console.error('bench server: unhandled rejection:', reason),
  );
  // The benchmark died or was interrupted: never leave a server or a FerretDB behind.
  process.on('disconnect', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  send({ type: 'ready', url: server.url });
}

if (require.main === module && process.argv.includes('--serve')) {
  serve().catch((err: unknown) => {
    process.send?.({ type: 'failed', error: String((err as Error).stack ?? err) });
    process.exit(1);
  });
}
