/**
 * Language of a customer message: ISO 639-1 code, or "und".
 *
 * tinyld (CommonJS build, no native code) is good on sentences but guesses wildly on the 1-3
 * word messages common in chat ("ok" -> nothing, "hello" -> Italian). So English is decided
 * first by vocabulary: the share of words found in the English training texts
 * (models/english-words.json, written by scripts/nlu/train.py); tinyld names other languages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectAll } from 'tinyld';
import { modelsDir } from './linear-model';

let english: Set<string> | undefined;

function englishWords(): Set<string> {
  english ??= new Set(
    JSON.parse(readFileSync(path.join(modelsDir(), 'english-words.json'), 'utf8')) as string[],
  );
  return english;
}

// Template placeholders ({{Order Number}}), links, mentions and e-mail addresses say nothing
// about the language.
const NOISE = /\{\{[^}]*\}\}|https?:\/\/\S+|\S+@\S+|@\w+/g;
const WORD = /[\p{L}\p{M}]+/gu;

/** Share of English words above which a message is English whatever tinyld says. */
const ENGLISH_SHARE = 0.6;
/** Below ENGLISH_SHARE, another language needs this tinyld score (or a longer text). */
const OTHER_MIN_SCORE = 0.5;

export function detectLanguage(text: string): string {
  const clean = text.replace(NOISE, ' ');
  const words = (clean.toLowerCase().match(WORD) ?? []).filter((w) => w.length > 0);
  if (words.length === 0) return 'und';
  const known = englishWords();
  const share = words.filter((w) => known.has(w)).length / words.length;
  if (share >= ENGLISH_SHARE) return 'en';
  const [best] = detectAll(clean);
  // tinyld also knows languages with no two-letter code ("ber", "tlh"): those are reported as und.
  if (
    best &&
    best.lang !== 'en' &&
    best.lang.length === 2 &&
    (best.accuracy >= OTHER_MIN_SCORE || words.length >= 4)
  ) {
    return best.lang;
  }
  // Mixed or unknown words (names, typos) with a fair share of English: still English.
  if (share >= 0.34 || best?.lang === 'en') return 'en';
  return 'und';
}
