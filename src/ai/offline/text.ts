/**
 * Small text helpers shared by the offline knowledge retrieval, composer and titles: word
 * splitting, stop words and a light suffix-stripping stemmer (enough for "refunds" / "refunded" /
 * "refunding" to meet "refund"; not a full Porter stemmer, which would over-merge short words).
 */

/** Words that carry no topic: dropped from search queries and title keywords. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being ' +
    'below between both but by can cannot could did do does doing done down during each few for ' +
    'from further get got had has have having he her here hers him his how i if in into is it its ' +
    'just let like me more most my myself no nor not now of off on once only or other our ours out ' +
    'over own same she should so some such than that the their them then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours yourself im ive id dont cant wont didnt doesnt isnt hi hello hey ' +
    'please thanks thank ok okay yes yeah want need know tell help question ask asking wondering ' +
    'u ur pls plz hii thx much many really still already'
  ).split(/\s+/),
);

/** Lower-case word tokens (letters and digits, inner apostrophes dropped). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/['’]/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

const VOWEL = /[aeiou]|(?<=[^aeiou])y/;

function hasVowel(word: string): boolean {
  return VOWEL.test(word);
}

/**
 * Porter's step 1 (plurals, -ed, -ing, final -y): "refunds", "refunded" and "refunding" all
 * become "refund", "delivery" and "deliveries" become "deliveri". The later Porter steps are
 * left out: on short customer messages they merge too much ("general" / "generous").
 */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  // Step 1a: plurals.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  // Step 1b: -eed, -ed, -ing, then repair the stem ("hopp" -> "hop", "hop" + "e" for "hoping").
  if (w.endsWith('eed')) {
    if (w.length > 4) w = w.slice(0, -1);
  } else {
    const suffix = w.endsWith('ed') ? 'ed' : w.endsWith('ing') ? 'ing' : '';
    const base = suffix ? w.slice(0, -suffix.length) : '';
    if (suffix && base.length >= 2 && hasVowel(base)) {
      w = base;
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (/^[^aeiou]*[aeiouy][^aeiouwxy]$/.test(w)) w += 'e';
    }
  }
  // Step 1c: final y after a consonant -> i ("delivery" / "deliveries").
  if (w.endsWith('y') && w.length > 2 && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i';
  return w;
}

/** Title Case: upper-cases the first letter of every word, leaves the rest as written. */
export function titleCase(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** FNV-1a: a small, stable string hash for deterministic choices (not for security). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
