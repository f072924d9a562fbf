import type { AiEngine } from '../../src/ai/engine';
import { createOfflineEngine } from '../../src/ai/offline/engine';
import { mp3DurationSeconds } from '../../src/ai/offline/tts';
import { speak, spokenPieces, type AudioPiece } from '../../src/conversations/speech';
import { createLogger } from '../../src/logger';
import { AudioStore } from '../../src/voice/audio-store';

const logger = createLogger('silent');
const audio = new AudioStore('/tmp/ccv-speech-test');

describe('spokenPieces', () => {
  it('splits into sentences and merges short ones into pieces worth a TTS job', () => {
    expect(
      spokenPieces(
        'Hi! Thanks for reaching out. I can help with your order today, just tell me its number please.',
      ),
    ).toEqual([
      'Hi! Thanks for reaching out. I can help with your order today, just tell me its number please.',
    ]);
    const long =
      'This is the first sentence and it is long enough to stand alone. This is the second one, also long enough to stand alone here.';
    expect(spokenPieces(long)).toHaveLength(2);
    expect(spokenPieces('')).toEqual([]);
    const many = Array.from(
      { length: 20 },
      (_v, i) => `Sentence number ${i} is long enough to be a piece by itself.`,
    ).join(' ');
    expect(spokenPieces(many)).toHaveLength(8);
    expect(spokenPieces(many).join(' ')).toBe(many);
  });
});

describe('speak', () => {
  const reply =
    'Thanks for waiting, I found your order and it left our warehouse this morning. ' +
    'It should reach you within two business days, and you will get a tracking link by email. ' +
    'Is there anything else I can help you with today?';

  it('delivers pieces in order even when later ones finish first, and joins them', async () => {
    // A scripted engine: the first piece is the slowest to synthesize.
    let calls = 0;
    const scripted = {
      name: 'offline',
      async speak(text: string) {
        const delay = calls++ === 0 ? 60 : 5;
        await new Promise((r) => setTimeout(r, delay));
        return { audio: Buffer.from(`[${text.slice(0, 8)}]`), mimeType: 'audio/mpeg' as const };
      },
    } as unknown as AiEngine;
    const pieces: AudioPiece[] = [];
    const spoken = await speak(
      { ai: scripted, audio, logger },
      `${reply} (scripted)`,
      'alloy',
      'inline',
      (p) => pieces.push(p),
    );
    expect(pieces.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(pieces.map((p) => p.final)).toEqual([false, false, true]);
    const joined = Buffer.concat(pieces.map((p) => p.audio));
    expect(Buffer.from(spoken.audioData!, 'base64').equals(joined)).toBe(true);
  });

  it('produces one valid MP3 from real offline speech, as long as its pieces together', async () => {
    const ai = createOfflineEngine();
    const pieces: AudioPiece[] = [];
    const spoken = await speak({ ai, audio, logger }, reply, 'nova', 'inline', (p) =>
      pieces.push(p),
    );
    const whole = Buffer.from(spoken.audioData!, 'base64');
    const sum = pieces.reduce((s, p) => s + mp3DurationSeconds(p.audio), 0);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.abs(mp3DurationSeconds(whole) - sum)).toBeLessThan(0.05);
    expect(mp3DurationSeconds(whole)).toBeGreaterThan(5);
  });

  it('keeps the other pieces when one fails', async () => {
    let calls = 0;
    const flaky = {
      name: 'offline',
      async speak(text: string) {
        if (calls++ === 1) throw new Error('tts down');
        return { audio: Buffer.from(text.slice(0, 4)), mimeType: 'audio/mpeg' as const };
      },
    } as unknown as AiEngine;
    const pieces: AudioPiece[] = [];
    const spoken = await speak(
      { ai: flaky, audio, logger },
      `${reply} (flaky)`,
      'echo' /* a voice no other test uses: spoken pieces are cached per voice */,
      'inline',
      (p) => pieces.push(p),
    );
    expect(pieces.map((p) => p.index)).toEqual([0, 2]);
    expect(Buffer.from(spoken.audioData!, 'base64').length).toBe(8);
  });
});
