/**
 * Offline TTS benchmark: time to MP3 per sentence (p50 / p99) over N sentences, and the worst
 * event-loop delay seen meanwhile (the TTS runs in a worker, so that should stay small).
 *
 *   npm run bench:tts -- [N=40] [voice=alloy]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { closeSpeech, mp3DurationSeconds, synthesizeSpeech } from '../src/ai/offline/tts';

const SENTENCES = [
  'Thanks for reaching out, I am happy to help with your order.',
  'Could you share your order number so I can look it up?',
  'I am sorry to hear the package arrived damaged.',
  'Refunds are issued to the original payment method within five business days.',
  'You can change your delivery address until the order ships.',
  'I have passed your conversation to one of our specialists, who will reply shortly.',
  'Our support team is available Monday to Friday, nine to six.',
  'Is there anything else I can help you with today?',
];

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 40);
  const voice = process.argv[3] ?? 'alloy';

  const coldStart = performance.now();
  await synthesizeSpeech('Warming up.', voice);
  const coldMs = performance.now() - coldStart;

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const times: number[] = [];
  let audioSeconds = 0;
  for (let i = 0; i < count; i++) {
    const sentence = SENTENCES[i % SENTENCES.length]!;
    const start = performance.now();
    const mp3 = await synthesizeSpeech(sentence, voice);
    times.push(performance.now() - start);
    audioSeconds += mp3DurationSeconds(mp3);
  }
  loop.disable();
  await closeSpeech();

  const sorted = [...times].sort((a, b) => a - b);
  const total = times.reduce((sum, t) => sum + t, 0);
  console.log(
    `offline TTS (espeak-ng wasm + lamejs, worker thread), voice=${voice}, sentences=${count}`,
  );
  console.log(`cold start (worker + wasm + first sentence): ${coldMs.toFixed(0)} ms`);
  console.log(
    `per sentence: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, mean ${(total / count).toFixed(0)} ms`,
  );
  console.log(
    `real-time factor: ${(total / 1000 / audioSeconds).toFixed(3)} (${audioSeconds.toFixed(1)} s of audio)`,
  );
  console.log(`main event loop max delay meanwhile: ${(loop.max / 1e6).toFixed(1)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
