import { LRUCache } from 'lru-cache';
import type { AiEngine } from '../ai/engine';
import type { Logger } from '../logger';
import type { AudioStore } from '../voice/audio-store';

/**
 * Speaking replies. For a client that plays audio as it comes (onPiece), text is spoken sentence
 * by sentence: the pieces are synthesized in parallel (the TTS pool has a worker per core),
 * delivered in order as each is ready, and joined into one MP3 for the final answer (MP3 is a
 * stream of frames, so pieces concatenate into a valid file). Otherwise the text is one job.
 */

export type SpeakMode = 'inline' | 'file' | 'none';

export interface SpokenReply {
  /** base64 mp3 for sockets (inline) */
  audioData?: string;
  audioType?: 'audio/mpeg';
  /** a served file for REST */
  audioUrl?: string;
}

export interface AudioPiece {
  index: number;
  /** The sentence(s) this piece speaks. */
  text: string;
  audio: Buffer;
  /** The last piece of the reply. */
  final: boolean;
}

export interface SpeechDeps {
  ai: AiEngine;
  audio: AudioStore;
  logger: Logger;
}

/** Pieces shorter than this are merged with the next: a tiny TTS job costs more than it saves. */
const MIN_PIECE_CHARS = 60;
const MAX_PIECES = 8;

/** Sentences, merged so that each piece is worth a TTS job, at most MAX_PIECES. */
export function spokenPieces(text: string): string[] {
  const sentences = text
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.length > 0);
  const pieces: string[] = [];
  for (const sentence of sentences) {
    const last = pieces[pieces.length - 1];
    if (last !== undefined && (last.length < MIN_PIECE_CHARS || pieces.length >= MAX_PIECES)) {
      pieces[pieces.length - 1] = `${last} ${sentence}`;
    } else {
      pieces.push(sentence);
    }
  }
  return pieces;
}

/**
 * The same text is often spoken again (every welcome of an agent, handoff notices, common
 * answers): audio is kept for reuse, bounded by total size, keyed by provider, voice and text.
 */
const speechCache = new LRUCache<string, Buffer>({
  maxSize: 32 * 1024 * 1024,
  sizeCalculation: (audio) => audio.length || 1,
});

async function speakPiece(ai: AiEngine, text: string, voice: string): Promise<Buffer> {
  const key = `${ai.name}|${voice}|${text}`;
  const cached = speechCache.get(key);
  if (cached) return cached;
  const { audio } = await ai.speak(text, voice);
  speechCache.set(key, audio);
  return audio;
}

/**
 * Speech never fails a turn: without audio the client still shows the text. A piece that fails
 * is left out; the others still play.
 */
export async function speak(
  deps: SpeechDeps,
  text: string,
  voice: string,
  mode: SpeakMode,
  onPiece?: (piece: AudioPiece) => void,
): Promise<SpokenReply> {
  if (mode === 'none' || !text.trim()) return {};
  // Pieces cost a TTS job each (~70 ms of set-up): only worth it for a client that plays them.
  const pieces = onPiece ? spokenPieces(text) : [text.trim()];
  const ready: Array<Buffer | null | undefined> = new Array(pieces.length);
  let next = 0;
  // Deliver in order: a piece goes out once every piece before it has.
  const flush = () => {
    while (next < pieces.length && ready[next] !== undefined) {
      const audio = ready[next];
      if (audio)
        onPiece?.({ index: next, text: pieces[next]!, audio, final: next === pieces.length - 1 });
      next += 1;
    }
  };
  await Promise.all(
    pieces.map(async (piece, i) => {
      try {
        ready[i] = await speakPiece(deps.ai, piece, voice);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'speech failed; that part is text only');
        ready[i] = null;
      }
      flush();
    }),
  );
  const parts = ready.filter((b): b is Buffer => !!b);
  if (parts.length === 0) return {};
  const audio = Buffer.concat(parts);
  if (mode === 'inline') return { audioData: audio.toString('base64'), audioType: 'audio/mpeg' };
  return { audioUrl: await deps.audio.save(audio, 'mp3') };
}
