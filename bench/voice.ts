/**
 * Voice latency: how long a caller waits.
 *
 * 1. End to end over Socket.io against the real server (a child process, see bench/support.ts):
 *    per turn, time to first text (first ai_response_chunk) and time to first audio byte
 *    (ai_response, which carries the whole base64 MP3), p50 / p99, against an 800 ms
 *    voice-to-voice budget. One caller, then 10 at once.
 * 2. The offline engine called directly in this process (createAiEngine({})): analyse() and
 *    reply() per message, p50 / p99, over a few hundred customer messages from the test splits in
 *    ../shared/data, and speak() for a sample of the replies, so the end-to-end time can be split
 *    into its stages.
 *
 *   npm run bench:voice [-- --quick]
 */
import { createAiEngine } from '../src/ai';
import type { MessageAnalysis } from '../src/ai/engine';
import { closeSpeech, mp3DurationSeconds } from '../src/ai/offline/tts';
import {
  BENCH_PROFILE,
  connectMany,
  CUSTOMER_TEXTS,
  machineLine,
  markdownTable,
  ms,
  progress,
  startBenchServer,
  summarize,
  testSplitTexts,
  watchdog,
  type BenchServer,
  type TurnOutcome,
} from './support';

const QUICK = process.argv.includes('--quick');
const BUDGET_MS = 800;

/** Callers at once, and the messages each sends one after another. */
const SOCKET_LEVELS = QUICK
  ? [
      { callers: 1, messages: 12 },
      { callers: 10, messages: 2 },
    ]
  : [
      { callers: 1, messages: 40 },
      { callers: 10, messages: 4 },
    ];

/** Test-split messages for the engine-direct part (evenly spaced through each file). */
const SPLITS = QUICK
  ? [{ file: 'bitext-customer-support/test.csv', column: 'utterance', count: 100 }]
  : [
      { file: 'bitext-customer-support/test.csv', column: 'utterance', count: 300 },
      { file: 'banking77/test.csv', column: 'text', count: 100 },
      { file: 'airline-sentiment/test.csv', column: 'text', count: 100 },
    ];
const SPEAK_SAMPLE = QUICK ? 15 : 40;

const pct = (part: number, whole: number) =>
  whole ? `${((100 * part) / whole).toFixed(0)}%` : '-';

async function socketLevel(server: BenchServer, callers: number, messages: number) {
  // A voice client: asks for the reply spoken sentence by sentence (ai_audio_chunk).
  const customers = await connectMany(server.url, callers, 50, { audioChunks: true });
  for (const customer of customers) await customer.start(server.agentId);
  const outcomes: TurnOutcome[] = [];
  await Promise.all(
    customers.map(async (customer, c) => {
      for (let m = 0; m < messages; m++) {
        const outcome = await customer.turn(CUSTOMER_TEXTS[(c * 11 + m) % CUSTOMER_TEXTS.length]!);
        outcomes.push(outcome);
        if (outcome.handoff) await customer.start(server.agentId);
      }
    }),
  );
  for (const customer of customers) customer.close();
  return outcomes;
}

async function endToEnd(): Promise<string> {
  progress('starting FerretDB and the server');
  const server = await startBenchServer();
  try {
    progress('warm-up');
    await socketLevel(server, 1, 5);
    const rows: string[][] = [];
    for (const level of SOCKET_LEVELS) {
      progress(`${level.callers} callers x ${level.messages} messages`);
      const outcomes = await socketLevel(server, level.callers, level.messages);
      const ok = outcomes.filter((o) => o.ok && o.audioBytes > 0);
      const text = summarize(ok.map((o) => o.firstChunkMs));
      const audio = summarize(ok.map((o) => o.latencyMs));
      const firstSpoken = summarize(
        ok.map((o) => o.firstAudioChunkMs).filter((v) => !Number.isNaN(v)),
      );
      const spokenWithin = ok.filter((o) => o.firstAudioChunkMs <= BUDGET_MS).length;
      const tail = summarize(ok.map((o) => o.latencyMs - o.lastChunkMs));
      const within = ok.filter((o) => o.latencyMs <= BUDGET_MS).length;
      const meanKiB = ok.reduce((sum, o) => sum + o.audioBytes, 0) / Math.max(1, ok.length) / 1024;
      rows.push([
        String(level.callers),
        String(outcomes.length),
        ms(text.p50),
        ms(text.p99),
        ms(firstSpoken.p50),
        ms(firstSpoken.p99),
        `${spokenWithin}/${ok.length} (${pct(spokenWithin, ok.length)})`,
        ms(audio.p50),
        ms(audio.p99),
        ms(tail.p50),
        `${within}/${ok.length} (${pct(within, ok.length)})`,
        meanKiB.toFixed(1),
        String(outcomes.length - ok.length),
      ]);
    }
    return markdownTable(
      [
        'callers at once',
        'turns',
        'first text p50 ms',
        'first text p99 ms',
        'first sentence audio p50 ms',
        'first sentence audio p99 ms',
        'first sentence within 800 ms',
        'whole reply audio p50 ms',
        'whole reply audio p99 ms',
        'last text -> audio p50 ms',
        `audio within ${BUDGET_MS} ms`,
        'MP3 KiB (mean)',
        'turns without audio or failed',
      ],
      rows,
    );
  } finally {
    await server.close();
  }
}

async function engineDirect(): Promise<string> {
  progress('engine direct: analyse() and reply()');
  const ai = createAiEngine({});
  const texts = SPLITS.flatMap((s) => testSplitTexts(s.file, s.column, s.count));
  // Warm-up (not reported): JIT, model tables, the TTS worker.
  for (const text of texts.slice(0, 20)) {
    const analysis = await ai.analyse({ text, agent: BENCH_PROFILE });
    await ai.reply({ agent: BENCH_PROFILE, history: [], message: text, analysis });
  }
  await ai.speak('Warming up the voice.', BENCH_PROFILE.voice);

  const analyseMs: number[] = [];
  const replyMs: number[] = [];
  const bothMs: number[] = [];
  const replies: string[] = [];
  for (const text of texts) {
    const t0 = performance.now();
    const analysis: MessageAnalysis = await ai.analyse({ text, agent: BENCH_PROFILE });
    const t1 = performance.now();
    const result = await ai.reply({ agent: BENCH_PROFILE, history: [], message: text, analysis });
    const t2 = performance.now();
    analyseMs.push(t1 - t0);
    replyMs.push(t2 - t1);
    bothMs.push(t2 - t0);
    replies.push(result.text);
  }

  progress('engine direct: speak()');
  const speakMs: number[] = [];
  let audioSeconds = 0;
  const step = Math.max(1, Math.floor(replies.length / SPEAK_SAMPLE));
  const spoken = replies.filter((_, i) => i % step === 0).slice(0, SPEAK_SAMPLE);
  const cpuBefore = process.cpuUsage();
  for (const reply of spoken) {
    const t0 = performance.now();
    const { audio } = await ai.speak(reply, BENCH_PROFILE.voice);
    speakMs.push(performance.now() - t0);
    audioSeconds += mp3DurationSeconds(audio);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const speakCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, spoken.length);
  await closeSpeech();

  const row = (stage: string, values: number[]) => {
    const s = summarize(values);
    return [stage, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.mean)];
  };
  const chars = summarize(replies.map((r) => r.length));
  const spokenChars = summarize(spoken.map((r) => r.length));
  const sources = SPLITS.map((s) => `${s.count} from ${s.file} (${s.column})`).join(', ');
  return [
    markdownTable(
      ['stage (offline engine, in process)', 'messages', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms'],
      [
        row('analyse()', analyseMs),
        row('reply() (streams word by word)', replyMs),
        row('analyse() + reply()', bothMs),
        row('speak() of the reply (TTS, MP3)', speakMs),
      ],
    ),
    '',
    `messages: ${sources}`,
    `reply length: mean ${chars.mean.toFixed(0)} chars, p50 ${chars.p50}, max ${chars.max}; ` +
      `spoken sample mean ${spokenChars.mean.toFixed(0)} chars, ${(audioSeconds / Math.max(1, spoken.length)).toFixed(1)} s of audio per reply, ` +
      `${speakCpuMs.toFixed(0)} ms of CPU (all threads) per speak()`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  watchdog(QUICK ? 150_000 : 300_000);
  const socketTable = await endToEnd();
  const engineTable = await engineDirect();
  console.log(
    `\n## Voice turn over Socket.io (first text = first ai_response_chunk; first sentence audio = first ai_audio_chunk; whole reply audio = ai_response with the whole MP3)${QUICK ? ', --quick' : ''}\n`,
  );
  console.log(socketTable);
  console.log('\n## Where the time goes: the offline engine called directly\n');
  console.log(engineTable);
  console.log(`\nmachine after: ${machineLine()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
