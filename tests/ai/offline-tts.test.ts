import {
  closeSpeech,
  mp3DurationSeconds,
  prepareSpokenText,
  resolveVoice,
  synthesizeSpeech,
  VOICE_MAP,
  MAX_SPOKEN_CHARS,
} from '../../src/ai/offline/tts';

afterAll(() => closeSpeech());

function startsLikeMp3(audio: Buffer): boolean {
  const id3 = audio.subarray(0, 3).toString('latin1') === 'ID3';
  const frameSync = audio[0] === 0xff && (audio[1]! & 0xe0) === 0xe0;
  return id3 || frameSync;
}

describe('offline TTS (espeak-ng + lamejs)', () => {
  it('when given a sentence, then returns MP3 bytes with a frame sync and a plausible length', async () => {
    const audio = await synthesizeSpeech('Thanks for contacting Acme support.', 'alloy');
    expect(startsLikeMp3(audio)).toBe(true);
    const seconds = mp3DurationSeconds(audio);
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(6);
  });

  it('when the text is longer, then the audio lasts longer', async () => {
    const short = await synthesizeSpeech('Hello.', 'nova');
    const long = await synthesizeSpeech(
      'Hello. Your refund has been approved and the money should be back on your card within five business days.',
      'nova',
    );
    expect(mp3DurationSeconds(long)).toBeGreaterThan(mp3DurationSeconds(short) * 3);
  });

  it('when two voices speak the same text, then the audio differs', async () => {
    const text = 'Your order is on its way.';
    const [alloy, onyx] = await Promise.all([
      synthesizeSpeech(text, 'alloy'),
      synthesizeSpeech(text, 'onyx'),
    ]);
    expect(alloy.equals(onyx)).toBe(false);
    expect(startsLikeMp3(onyx)).toBe(true);
  });

  it('when the voice name is unknown, then the default voice is used', async () => {
    expect(resolveVoice('no-such-voice')).toEqual(VOICE_MAP.alloy);
    expect(resolveVoice('  ONYX ')).toEqual(VOICE_MAP.onyx);
    // Byte equality is too strict under load (encoder frames can differ); the spoken length of
    // the same words in the same voice is not.
    const unknown = await synthesizeSpeech('Same words.', 'no-such-voice');
    const alloy = await synthesizeSpeech('Same words.', 'alloy');
    expect(startsLikeMp3(unknown)).toBe(true);
    expect(Math.abs(mp3DurationSeconds(unknown) - mp3DurationSeconds(alloy))).toBeLessThan(0.1);
  });

  it('maps every OpenAI voice name to a distinct eSpeak voice', () => {
    const names = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer', 'ash', 'coral', 'sage'];
    const settings = names.map((name) => JSON.stringify(resolveVoice(name)));
    expect(new Set(settings).size).toBe(names.length);
  });

  it('when the text is empty or garbage, then it still returns a short valid MP3', async () => {
    const empty = await synthesizeSpeech('   ', 'alloy');
    expect(startsLikeMp3(empty)).toBe(true);
    expect(mp3DurationSeconds(empty)).toBeGreaterThan(0);
    expect(mp3DurationSeconds(empty)).toBeLessThan(1);
    const garbage = await synthesizeSpeech('-v --help \u0000\u0007 ### <<>> @@ %%', 'echo');
    expect(startsLikeMp3(garbage)).toBe(true);
  });

  it('when the text is very long, then only the first part is spoken, cut at a sentence end', async () => {
    const sentence = 'This sentence is here to make the reply much too long to speak. ';
    const text = sentence.repeat(40);
    const prepared = prepareSpokenText(text);
    expect(prepared.length).toBeLessThanOrEqual(MAX_SPOKEN_CHARS);
    expect(prepared.endsWith('speak.')).toBe(true);
    const audio = await synthesizeSpeech(text, 'fable');
    expect(mp3DurationSeconds(audio)).toBeLessThan(60);
  });

  it('prepares text: strips control characters and markdown symbols, collapses spaces', () => {
    expect(prepareSpokenText('**Hello**\u0000  \n world #1')).toBe('Hello world 1');
    expect(prepareSpokenText('')).toBe('');
  });

  it('does not block the event loop for long while speaking', async () => {
    let maxGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const started = Date.now();
    await synthesizeSpeech(
      'I have passed your conversation to one of our specialists, who will reply shortly. Is there anything else I can help with today?',
      'sage',
    );
    const elapsed = Date.now() - started;
    clearInterval(timer);
    // Run synchronously, the longest gap would be the whole synthesis; in the worker it is a tick.
    expect(maxGap).toBeLessThan(Math.max(60, elapsed / 2));
  });
});

describe('offline TTS under load', () => {
  it('runs jobs in parallel workers and refuses, instead of queueing for minutes, past its bound', async () => {
    const jobs = Array.from({ length: 72 }, (_v, i) =>
      synthesizeSpeech(`Reply number ${i}.`, 'alloy'),
    );
    const results = await Promise.allSettled(jobs);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok.length).toBeGreaterThanOrEqual(64);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused)
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/saturated/);
    for (const r of ok)
      expect(startsLikeMp3((r as PromiseFulfilledResult<Buffer>).value)).toBe(true);
  }, 60_000);
});
