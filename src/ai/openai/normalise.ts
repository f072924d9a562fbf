import { AiError, type AgentProfile, type Sentiment } from '../engine';

/**
 * Small completions come back in many shapes ("Title: \"Refund for order\".", "Negative.").
 * These turn them into what the interface promises, or refuse (PROVIDER_BAD_RESPONSE) so that
 * the wrapper can answer offline instead of storing junk.
 */

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);

function titleCaseWord(word: string, first: boolean): string {
  // Acronyms and brand spellings (SSO, iPhone) are kept as written.
  if (/[A-Z]/.test(word.slice(1))) return word;
  const lower = word.toLowerCase();
  if (!first && SMALL_WORDS.has(lower)) return lower;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export function normaliseTitle(raw: string | null | undefined, agent?: AgentProfile): string {
  const firstLine =
    (raw ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  let words = firstLine
    .replace(/^\s*(conversation\s+)?title\s*[:\-–]\s*/i, '')
    .replace(/[*_#`"“”‘’«»]/g, '')
    .replace(/^'+|'+$/g, '')
    .replace(/[.!?:;,]+$/g, '')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
  if (words.length < 3 && agent) {
    const company = agent.companyName.trim().split(/\s+/);
    if (!words.join(' ').toLowerCase().includes(agent.companyName.trim().toLowerCase())) {
      words = [...company, ...words];
    }
  }
  if (words.length < 3) {
    throw new AiError('PROVIDER_BAD_RESPONSE', 'title: answer too short for a title');
  }
  return words
    .slice(0, 6)
    .map((w, i) => titleCaseWord(w, i === 0))
    .join(' ');
}

const SYNONYMS: ReadonlyArray<[RegExp, Sentiment]> = [
  [/\b(?:urgent|emergency|critical)\b/g, 'urgent'],
  [/\b(?:negative|angry|frustrated|upset|unhappy|dissatisfied)\b/g, 'negative'],
  [/\b(?:positive|happy|satisfied|pleased)\b/g, 'positive'],
  [/\b(?:neutral|mixed)\b/g, 'neutral'],
];

/** Index of the first match not negated by a preceding "not" ("not urgent"), or -1. */
function firstAffirmed(pattern: RegExp, text: string): number {
  for (const m of text.matchAll(pattern)) {
    if (!/\bnot\s+$/.test(text.slice(0, m.index))) return m.index;
  }
  return -1;
}

export function normaliseSentiment(raw: string | null | undefined): Sentiment {
  const text = (raw ?? '').toLowerCase();
  // The earliest label in the answer wins ("Negative, though not urgent" is negative).
  let best: { at: number; label: Sentiment } | null = null;
  for (const [pattern, label] of SYNONYMS) {
    const at = firstAffirmed(pattern, text);
    if (at >= 0 && (best === null || at < best.at)) best = { at, label };
  }
  if (!best) throw new AiError('PROVIDER_BAD_RESPONSE', 'overallSentiment: no sentiment label');
  return best.label;
}
