/**
 * Offline text-to-speech: eSpeak-NG (compiled to WebAssembly, the `espeak-ng` package) makes
 * 22.05 kHz mono PCM, and lamejs (`@breezystack/lamejs`, pure JS) encodes it to MP3, the format
 * the frontend plays. No network, no key.
 *
 * Why a worker thread: both packages are ES modules (this backend is CommonJS, and Jest's module
 * sandbox cannot `import()` them), and both do their work synchronously: about 20 ms of eSpeak
 * plus 50-100 ms of MP3 encoding per sentence, and about 70 ms to set up a fresh WebAssembly
 * instance. In a worker, none of that blocks the event loop that serves every live chat. The
 * worker keeps one fresh eSpeak instance ready ahead of time, so the set-up cost is paid while idle.
 *
 * Licence note: eSpeak-NG is GPL-3.0-or-later; it is loaded as a separate module at run time.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { AiError } from '../engine';

/** eSpeak voice, variant and pitch for one voice name. */
export interface EspeakVoice {
  /** eSpeak language voice ("en-us", "en-gb-x-rp"). */
  language: string;
  /** eSpeak variant ("m3", "f4"): gives male/female timbre. */
  variant: string;
  /** 0..99, eSpeak's default is 50. */
  pitch: number;
  /** Words per minute, eSpeak's default is 175. */
  speed: number;
}

/**
 * OpenAI voice names are what agents store, so each maps to a distinct eSpeak voice: accent
 * (US / British), gender (variant) and pitch differ so two agents do not sound alike.
 */
export const VOICE_MAP: Readonly<Record<string, EspeakVoice>> = {
  alloy: { language: 'en-us', variant: 'f3', pitch: 50, speed: 165 },
  echo: { language: 'en-us', variant: 'm3', pitch: 45, speed: 165 },
  fable: { language: 'en-gb-x-rp', variant: 'm1', pitch: 55, speed: 160 },
  onyx: { language: 'en-us', variant: 'm7', pitch: 30, speed: 155 },
  nova: { language: 'en-us', variant: 'f4', pitch: 60, speed: 170 },
  shimmer: { language: 'en-gb', variant: 'f2', pitch: 65, speed: 165 },
  ash: { language: 'en-gb', variant: 'm2', pitch: 40, speed: 165 },
  coral: { language: 'en-us', variant: 'f5', pitch: 55, speed: 170 },
  sage: { language: 'en-gb-x-rp', variant: 'f1', pitch: 50, speed: 160 },
};

export const DEFAULT_VOICE = 'alloy';

/** Resolves a stored voice name (any case) to eSpeak settings; unknown names get the default. */
export function resolveVoice(voice: string): EspeakVoice {
  const key = voice.trim().toLowerCase();
  return VOICE_MAP[key] ?? VOICE_MAP[DEFAULT_VOICE]!;
}

/** Longest text spoken; longer replies are cut at a sentence end (voice replies should be short). */
export const MAX_SPOKEN_CHARS = 600;

/**
 * Makes text safe and short for speech: drops control characters and markdown-ish symbols the
 * synthesiser would read aloud, collapses whitespace, and cuts long text at the last sentence
 * end before MAX_SPOKEN_CHARS (or the last word end when there is none).
 */
export function prepareSpokenText(text: string, max = MAX_SPOKEN_CHARS): string {
  let clean = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/[*_#`~<>[\]{}|\\^]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  clean = clean.slice(0, max);
  const sentenceEnd = Math.max(
    clean.lastIndexOf('. '),
    clean.lastIndexOf('! '),
    clean.lastIndexOf('? '),
  );
  if (sentenceEnd > max / 3) return clean.slice(0, sentenceEnd + 1);
  const wordEnd = clean.lastIndexOf(' ');
  return wordEnd > 0 ? clean.slice(0, wordEnd) : clean;
}

/** MP3 bit rate: speech at 22.05 kHz mono is clear at 48 kbit/s and small to store. */
const MP3_KBPS = 48;
/** A job taking longer than this means the worker is stuck: it is restarted. */
const JOB_TIMEOUT_MS = 20_000;
/** Jobs allowed to wait for a worker; beyond this, replies go out as text only. */
const MAX_QUEUED = 64;

interface SynthJob {
  id: number;
  text: string;
  voice: EspeakVoice;
}

type WorkerReply =
  { id: number; ok: true; mp3: Uint8Array } | { id: number; ok: false; error: string };

/**
 * The worker's source, run with `eval: true` so it needs no separate .js file next to compiled
 * or ts-jest-loaded TypeScript. It uses native `import()` (a worker is outside Jest's sandbox).
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');

let loaded;
function load() {
  loaded ??= (async () => {
    const [{ default: ESpeakNg }, lame] = await Promise.all([
      import(workerData.espeakUrl),
      import(workerData.lameUrl),
    ]);
    const wasm = await WebAssembly.compile(readFileSync(workerData.wasmPath));
    return { ESpeakNg, Mp3Encoder: lame.Mp3Encoder, wasm };
  })();
  return loaded;
}

// A fresh eSpeak instance per job: eSpeak keeps global state, so each run gets a clean one.
// One is made ahead of time so the ~70 ms of set-up is paid while idle.
async function newInstance() {
  const { ESpeakNg, wasm } = await load();
  let exports;
  const module = await ESpeakNg({
    noInitialRun: true,
    print() {},
    printErr() {},
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(wasm, imports).then((instance) => {
        exports = instance.exports;
        done(instance, wasm);
      });
      return {};
    },
  });
  return { module, exports };
}
let spare = null;
function takeInstance() {
  const next = spare ?? newInstance();
  spare = null;
  return next;
}

// Calls eSpeak's main() with argv built in WebAssembly memory (the glue does not export callMain).
function runMain(exports, args) {
  const encoder = new TextEncoder();
  const all = ['espeak-ng', ...args];
  const pointers = all.map((arg) => {
    const bytes = encoder.encode(arg + '\0');
    const ptr = exports.malloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  });
  const argv = exports.malloc((pointers.length + 1) * 4);
  const view = new Uint32Array(exports.memory.buffer, argv, pointers.length + 1);
  view.set(pointers);
  view[pointers.length] = 0;
  try {
    return exports.__main_argc_argv(all.length, argv);
  } catch (error) {
    // exit() inside eSpeak surfaces as an ExitStatus throw from the glue.
    if (error && error.name === 'ExitStatus') return error.status;
    throw error;
  }
}

function pcmFromWav(wav) {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let offset = 12;
  let sampleRate = 22050;
  while (offset + 8 <= wav.byteLength) {
    const id = String.fromCharCode(wav[offset], wav[offset + 1], wav[offset + 2], wav[offset + 3]);
    let size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') sampleRate = view.getUint32(offset + 12, true);
    if (id === 'data') {
      // eSpeak writing to a file leaves 0x7fffffff-ish sizes when it cannot seek back: clamp.
      size = Math.min(size, wav.byteLength - offset - 8);
      const samples = new Int16Array(Math.floor(size / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(offset + 8 + i * 2, true);
      return { samples, sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  return { samples: new Int16Array(0), sampleRate };
}

function encodeMp3(Mp3Encoder, samples, sampleRate, kbps) {
  // Never encode nothing: a short silence keeps the output a playable MP3.
  if (samples.length === 0) samples = new Int16Array(Math.round(sampleRate / 4));
  const encoder = new Mp3Encoder(1, sampleRate, kbps);
  const parts = [];
  const block = 1152 * 16;
  for (let i = 0; i < samples.length; i += block) parts.push(encoder.encodeBuffer(samples.subarray(i, i + block)));
  parts.push(encoder.flush());
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.length), at);
    at += part.length;
  }
  return out;
}

async function synthesize(job) {
  const { Mp3Encoder } = await load();
  const { module, exports } = await takeInstance();
  let samples = new Int16Array(0);
  let sampleRate = 22050;
  if (job.text.length > 0) {
    // Text goes through a file, never argv, so a reply starting with "-" is not an option.
    module.FS.writeFile('/in.txt', job.text);
    const v = job.voice;
    runMain(exports, ['-b', '1', '-v', v.language + '+' + v.variant, '-p', String(v.pitch), '-s', String(v.speed), '-w', '/out.wav', '-f', '/in.txt']);
    ({ samples, sampleRate } = pcmFromWav(module.FS.readFile('/out.wav')));
  }
  return encodeMp3(Mp3Encoder, samples, sampleRate, workerData.kbps);
}

let queue = Promise.resolve();
parentPort.on('message', (job) => {
  queue = queue.then(async () => {
    try {
      const mp3 = await synthesize(job);
      parentPort.postMessage({ id: job.id, ok: true, mp3 }, [mp3.buffer]);
    } catch (error) {
      parentPort.postMessage({ id: job.id, ok: false, error: String((error && error.message) || error) });
    }
    // Prepare the next instance only after replying, so it never delays this answer.
    if (!spare) {
      spare = newInstance();
      spare.catch(() => (spare = null));
    }
  });
});
`;

interface Job {
  text: string;
  voice: EspeakVoice;
  resolve: (mp3: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread running one job at a time. Its deadline starts when the job starts running
 * (time spent queued does not count), and a job that overruns takes down only its own worker.
 */
class TtsWorker {
  private worker: Worker | null = null;
  private current: (Job & { id: number; timer: NodeJS.Timeout }) | null = null;
  private nextId = 1;

  constructor(private readonly onIdle: () => void) {}

  get busy(): boolean {
    return this.current !== null;
  }

  run(job: Job): void {
    const worker = this.ensure();
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.fail(new AiError('TTS_FAILED', `Offline TTS timed out after ${JOB_TIMEOUT_MS} ms`));
    }, JOB_TIMEOUT_MS);
    timer.unref();
    this.current = { ...job, id, timer };
    // Only hold the process open while work is running: an idle TTS must not stop shutdown.
    worker.ref();
    const message: SynthJob = { id, text: job.text, voice: job.voice };
    worker.postMessage(message);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const espeakJs = require.resolve('espeak-ng');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        espeakUrl: pathToFileURL(espeakJs).href,
        wasmPath: path.join(path.dirname(espeakJs), 'espeak-ng.wasm'),
        lameUrl: pathToFileURL(lamePath()).href,
        kbps: MP3_KBPS,
      },
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) =>
      this.fail(
        new AiError('TTS_FAILED', `Offline TTS worker failed: ${error.message}`, { cause: error }),
      ),
    );
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.fail(new AiError('TTS_FAILED', 'Offline TTS worker stopped'));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const job = this.current;
    if (!job || job.id !== reply.id) return;
    this.current = null;
    clearTimeout(job.timer);
    this.worker?.unref();
    if (reply.ok)
      job.resolve(Buffer.from(reply.mp3.buffer, reply.mp3.byteOffset, reply.mp3.byteLength));
    else job.reject(new AiError('TTS_FAILED', `Offline TTS failed: ${reply.error}`));
    this.onIdle();
  }

  /** Rejects the running job and drops the worker, so the next job starts a fresh one. */
  private fail(error: AiError): void {
    const job = this.current;
    this.current = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
    if (job) {
      clearTimeout(job.timer);
      job.reject(error);
      this.onIdle();
    }
  }
}

/**
 * A small pool: one worker per core (eSpeak and the MP3 encoder are synchronous WASM/JS, so a
 * worker is busy for the whole job), fed from one FIFO queue. Past MAX_QUEUED waiting jobs new
 * requests fail at once, and the caller answers with text only instead of waiting for minutes.
 */
class TtsPool {
  private readonly workers: TtsWorker[];
  private readonly queue: Job[] = [];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => new TtsWorker(() => this.drain()));
  }

  synthesize(text: string, voice: EspeakVoice): Promise<Buffer> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(
        new AiError('TTS_FAILED', 'Offline TTS is saturated; answering without audio'),
      );
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ text, voice, resolve, reject });
      this.drain();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private drain(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      if (!worker.busy) worker.run(this.queue.shift()!);
    }
  }
}

/**
 * lamejs's `require` entry is a browser IIFE that exports nothing to CommonJS; its ES module sits
 * next to it, and the package's `exports` map offers no other way to reach it.
 */
function lamePath(): string {
  return path.join(path.dirname(require.resolve('@breezystack/lamejs')), 'lamejs.js');
}

const tts = new TtsPool(Math.max(1, Math.min(4, os.availableParallelism())));

/**
 * Speaks `text` with the eSpeak voice mapped from `voice` and returns MP3 bytes (audio/mpeg).
 * Empty text gives a quarter second of silence, still a valid MP3.
 */
export function synthesizeSpeech(text: string, voice: string): Promise<Buffer> {
  return tts.synthesize(prepareSpokenText(text), resolveVoice(voice));
}

/** Stops the TTS workers (graceful shutdown, tests). The next call starts new ones. */
export function closeSpeech(): Promise<void> {
  return tts.close();
}

/**
 * Duration of an MP3 in seconds, by walking its frame headers (MPEG 1/2/2.5 layer III). Used by
 * tests and callers that want to show a length without decoding.
 */
export function mp3DurationSeconds(mp3: Buffer): number {
  let offset = 0;
  if (mp3.subarray(0, 3).toString('latin1') === 'ID3' && mp3.length >= 10) {
    const size =
      ((mp3[6]! & 0x7f) << 21) |
      ((mp3[7]! & 0x7f) << 14) |
      ((mp3[8]! & 0x7f) << 7) |
      (mp3[9]! & 0x7f);
    offset = 10 + size;
  }
  const bitrates: Record<'v1' | 'v2', number[]> = {
    v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  };
  const rates: Record<number, number[]> = {
    3: [44100, 48000, 32000],
    2: [22050, 24000, 16000],
    0: [11025, 12000, 8000],
  };
  let seconds = 0;
  while (offset + 4 <= mp3.length) {
    const b1 = mp3[offset + 1]!;
    const b2 = mp3[offset + 2]!;
    if (mp3[offset] !== 0xff || (b1 & 0xe0) !== 0xe0 || ((b1 >> 1) & 3) !== 1) break;
    const version = (b1 >> 3) & 3;
    const bitrate = (version === 3 ? bitrates.v1 : bitrates.v2)[(b2 >> 4) & 0xf];
    const sampleRate = rates[version]?.[(b2 >> 2) & 3];
    if (!bitrate || !sampleRate) break;
    const samplesPerFrame = version === 3 ? 1152 : 576;
    const padding = (b2 >> 1) & 1;
    const frameLength = Math.floor(((samplesPerFrame / 8) * bitrate * 1000) / sampleRate) + padding;
    seconds += samplesPerFrame / sampleRate;
    offset += frameLength;
  }
  return seconds;
}
