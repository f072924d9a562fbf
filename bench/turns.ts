/**
 * End-to-end chat turns over Socket.io against the real server (a child process, see
 * bench/support.ts): for 1, 50 and 200 concurrent conversations, each sending messages one after
 * another, the latency of a turn (user_message emitted -> ai_response received, which carries the
 * reply text and its MP3), turns per second, errors, and the server's CPU per turn. Then the
 * server's memory per idle connection (1000 sockets opened and closed).
 *
 *   npm run bench:turns [-- --quick] [-- --levels=1,50,200] [-- --idle=1000]
 *
 * Runtime is bounded: each level stops sending new messages after its time limit.
 */
import {
  connectMany,
  CUSTOMER_TEXTS,
  inParallel,
  machineLine,
  markdownTable,
  ms,
  progress,
  sleep,
  startBenchServer,
  summarize,
  watchdog,
  type BenchServer,
  type Customer,
  type TurnOutcome,
} from './support';

interface Level {
  concurrency: number;
  /** Messages each conversation sends, one after another. */
  messages: number;
  /** No new message is sent after this long (the ones in flight finish). */
  limitMs: number;
}

const QUICK = process.argv.includes('--quick');
const flag = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const IDLE = Number(flag('idle') ?? (QUICK ? 500 : 1000));

const ALL_LEVELS: Level[] = QUICK
  ? [
      { concurrency: 1, messages: 8, limitMs: 10_000 },
      { concurrency: 50, messages: 1, limitMs: 10_000 },
      { concurrency: 200, messages: 1, limitMs: 10_000 },
    ]
  : [
      { concurrency: 1, messages: 25, limitMs: 20_000 },
      { concurrency: 50, messages: 2, limitMs: 15_000 },
      { concurrency: 200, messages: 2, limitMs: 10_000 },
    ];
/** --levels=1,50 runs only those levels; --quick skips 200 (starting 200 conversations is slow). */
const only = flag('levels')?.split(',').map(Number) ?? (QUICK ? [1, 50] : undefined);
const LEVELS = only ? ALL_LEVELS.filter((l) => only.includes(l.concurrency)) : ALL_LEVELS;

interface LevelResult {
  level: Level;
  outcomes: TurnOutcome[];
  wallMs: number;
  handoffs: number;
  cpuMsPerTurn: number;
  dbCpuMsPerTurn: number;
  loopP99: number;
  loopMax: number;
}

/** Messages each customer has sent so far (conversations carry on from level to level). */
const sentBy: number[] = [];
const nextText = (customer: number) => {
  const m = (sentBy[customer] = (sentBy[customer] ?? 0) + 1);
  return CUSTOMER_TEXTS[(customer * 7 + m * 3) % CUSTOMER_TEXTS.length]!;
};

/**
 * The customers for every level: connected and in a conversation before anything is timed.
 * Starting is not a turn (it speaks the welcome), so it runs 25 at a time and is reported apart.
 */
async function prepare(server: BenchServer, count: number) {
  const began = performance.now();
  const customers = await connectMany(server.url, count);
  const startMs = await inParallel(customers.length, 25, (i) =>
    customers[i]!.start(server.agentId),
  );
  return { customers, startMs, wallMs: performance.now() - began };
}

/** The first `level.concurrency` customers each send up to `level.messages`, one at a time. */
async function runLevel(
  server: BenchServer,
  customers: Customer[],
  level: Level,
): Promise<LevelResult> {
  const before = await server.stats({ resetLoop: true });
  const outcomes: TurnOutcome[] = [];
  let handoffs = 0;
  const began = performance.now();
  const deadline = began + level.limitMs;
  await Promise.all(
    customers.slice(0, level.concurrency).map(async (customer, c) => {
      for (let m = 0; m < level.messages && performance.now() < deadline; m++) {
        const outcome = await customer.turn(nextText(c));
        outcomes.push(outcome);
        if (outcome.handoff) {
          // A human has it now: carry on in a fresh conversation (not timed).
          handoffs += 1;
          await customer.start(server.agentId);
        }
      }
    }),
  );
  const wallMs = performance.now() - began;
  const after = await server.stats({ resetLoop: true });
  // Let speech still queued from this level drain before the next one is timed.
  await sleep(500);
  const turns = Math.max(1, outcomes.length);
  return {
    level,
    outcomes,
    wallMs,
    handoffs,
    cpuMsPerTurn: (after.cpuMs - before.cpuMs) / turns,
    dbCpuMsPerTurn: (after.dbCpuMs - before.dbCpuMs) / turns,
    loopP99: after.loopP99,
    loopMax: after.loopMax,
  };
}

async function idleMemory(server: BenchServer, count: number) {
  // Two rounds of GC a second apart: freed pages are returned lazily, and a baseline taken too
  // early would still hold them (then RSS "falls" when the sockets open).
  await server.stats();
  await sleep(1000);
  const before = await server.stats();
  const customers = await connectMany(server.url, count);
  await sleep(1000);
  const open = await server.stats();
  for (const customer of customers) customer.close();
  await sleep(1500);
  const closed = await server.stats();
  return { count, before, open, closed };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  watchdog(QUICK ? 150_000 : 300_000);
  progress('starting FerretDB and the server');
  const server = await startBenchServer();
  try {
    progress('warm-up');
    // Warm-up (not reported): JIT, TTS worker and WebAssembly, database connections.
    const [warm] = await connectMany(server.url, 1);
    await warm!.start(server.agentId);
    for (let m = 0; m < 5; m++) await warm!.turn(nextText(999));
    warm!.close();
    progress(`idle memory: ${IDLE} sockets`);
    const idle = await idleMemory(server, IDLE);

    const most = Math.max(...LEVELS.map((l) => l.concurrency));
    progress(`starting ${most} conversations`);
    const prepared = await prepare(server, most);
    const results: LevelResult[] = [];
    for (const level of LEVELS) {
      progress(`${level.concurrency} concurrent conversations`);
      const result = await runLevel(server, prepared.customers, level);
      results.push(result);
    }
    for (const customer of prepared.customers) customer.close();

    const rows = results.map((r) => {
      const ok = r.outcomes.filter((o) => o.ok);
      const latency = summarize(ok.map((o) => o.latencyMs));
      const errors = r.outcomes.length - ok.length;
      const codes = [...new Set(r.outcomes.filter((o) => !o.ok).map((o) => o.code))].join(',');
      const noAudio = ok.filter((o) => o.audioBytes === 0).length;
      return [
        String(r.level.concurrency),
        `${r.outcomes.length} (<= ${r.level.messages}/conv)`,
        ms(latency.p50),
        ms(latency.p95),
        ms(latency.p99),
        ms(latency.max),
        (r.outcomes.length / (r.wallMs / 1000)).toFixed(1),
        ((ok.length - noAudio) / (r.wallMs / 1000)).toFixed(1),
        errors ? `${errors} (${codes})` : '0',
        String(noAudio),
        String(r.handoffs),
        `${ms(r.cpuMsPerTurn)} / ${ms(r.dbCpuMsPerTurn)}`,
        `${ms(r.loopP99)} / ${ms(r.loopMax)}`,
      ];
    });
    console.log(
      `\n## Chat turns (user_message -> ai_response with audio), offline AI${QUICK ? ', --quick' : ''}\n`,
    );
    console.log(
      markdownTable(
        [
          'conversations',
          'turns',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'turns/s',
          'with audio/s',
          'errors',
          'no audio',
          'handoffs',
          'CPU ms/turn server / db',
          'event loop p99 / max ms',
        ],
        rows,
      ),
    );

    const perRss = (idle.open.rss - idle.before.rss) / idle.count;
    const perHeap = (idle.open.heapUsed - idle.before.heapUsed) / idle.count;
    const perExternal = (idle.open.external - idle.before.external) / idle.count;
    console.log(`\n## Idle connections (${idle.count} sockets, connected, no conversation)\n`);
    console.log(
      markdownTable(
        ['server process', 'before', `${idle.count} open`, 'after close', 'per connection'],
        [
          [
            'RSS',
            `${mib(idle.before.rss)} MiB`,
            `${mib(idle.open.rss)} MiB`,
            `${mib(idle.closed.rss)} MiB`,
            `${kib(perRss)} KiB`,
          ],
          [
            'JS heap used',
            `${mib(idle.before.heapUsed)} MiB`,
            `${mib(idle.open.heapUsed)} MiB`,
            `${mib(idle.closed.heapUsed)} MiB`,
            `${kib(perHeap)} KiB`,
          ],
          [
            'external',
            `${mib(idle.before.external)} MiB`,
            `${mib(idle.open.external)} MiB`,
            `${mib(idle.closed.external)} MiB`,
            `${kib(perExternal)} KiB`,
          ],
        ],
      ),
    );
    const start = summarize(prepared.startMs);
    console.log(
      `\nstart_conversation (speaks the welcome), ${start.count} conversations 25 at a time: ` +
        `p50 ${ms(start.p50)} ms, p99 ${ms(start.p99)} ms, all started in ${(prepared.wallMs / 1000).toFixed(1)} s`,
    );
    console.log(
      '\n(memory after two forced GCs in the server; CPU from process.cpuUsage() of the server and /proc of FerretDB)',
    );
  } finally {
    await server.close();
  }
  console.log(`machine after: ${machineLine()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
