/**
 * Knowledge retrieval for the offline engine: BM25 ranking (MiniSearch) over the agent's FAQ
 * entries, policies and company info split into passages.
 *
 * Honesty over recall: a passage is only returned when enough of the question's topic words
 * occur in it, so an unrelated question gets nothing and the composer says "I don't know"
 * instead of quoting something beside the point.
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { AgentProfile } from '../engine';
import { STOP_WORDS, stem, words } from './text';

export type PassageKind = 'faq' | 'policy' | 'company';

export interface KnowledgePassage {
  /** FAQ question, policy title, or "Company info". */
  title: string;
  /** The answer, policy text or company-info passage, as written by the owner. */
  text: string;
  kind: PassageKind;
  /** BM25 score (unbounded, higher is better). */
  score: number;
}

interface IndexedPassage {
  id: number;
  title: string;
  text: string;
  kind: PassageKind;
}

export const COMPANY_INFO_TITLE = 'Company info';

/** Passages longer than this are split at sentence ends so a quote stays short. */
const MAX_PASSAGE_CHARS = 320;

/**
 * Customer words and the words owners tend to write for the same thing, applied to queries only
 * (so "money back" finds a refund policy). Written as plain words; stemmed once at load.
 */
const SYNONYM_WORDS: ReadonlyArray<[string, string[]]> = [
  ['money', ['refund']],
  ['reimbursement', ['refund']],
  ['return', ['refund']],
  ['deliver', ['ship']],
  ['delivery', ['deliver', 'shipping']],
  ['shipping', ['delivery']],
  ['ship', ['delivery']],
  ['parcel', ['package', 'order']],
  ['package', ['order', 'shipping']],
  ['price', ['cost', 'pricing']],
  ['cost', ['price', 'pricing']],
  ['fee', ['cost', 'charge']],
  ['charge', ['fee', 'payment']],
  ['pay', ['payment']],
  ['hours', ['open']],
  ['open', ['hours']],
  ['phone', ['call', 'contact']],
  ['email', ['contact']],
  ['contact', ['email', 'phone']],
  ['password', ['login', 'account']],
  ['login', ['password', 'account']],
  ['cancellation', ['cancel']],
];
const SYNONYMS: ReadonlyMap<string, string[]> = new Map(
  SYNONYM_WORDS.map(([word, others]) => [stem(word), others.map(stem)]),
);

/** Words every title or question may contain ("Refund Policy", "Shipping info"): not topics. */
const GENERIC_WORDS = new Set([
  'policy',
  'policies',
  'info',
  'information',
  'details',
  'faq',
  'faqs',
  'terms',
]);

function processTerm(term: string): string | null {
  const lower = term.toLowerCase().replace(/['’]/g, '');
  if (lower.length < 2 || STOP_WORDS.has(lower) || GENERIC_WORDS.has(lower)) return null;
  return stem(lower);
}

/** Splits free text into passages of whole sentences, each at most MAX_PASSAGE_CHARS or so. */
export function splitPassages(text: string): string[] {
  const passages: string[] = [];
  for (const paragraph of text.split(/\n\s*\n|\r?\n(?=\s*[-*•])/)) {
    const sentences =
      paragraph
        .replace(/\s+/g, ' ')
        .trim()
        .match(/[^.!?]+(?:[.!?]+|$)/g) ?? [];
    let current = '';
    for (const raw of sentences) {
      const sentence = raw.trim();
      if (!sentence) continue;
      if (current && current.length + sentence.length + 1 > MAX_PASSAGE_CHARS) {
        passages.push(current);
        current = sentence;
      } else {
        current = current ? `${current} ${sentence}` : sentence;
      }
    }
    if (current) passages.push(current);
  }
  return passages;
}

interface KnowledgeIndex {
  search: MiniSearch<IndexedPassage>;
  passages: Map<number, IndexedPassage>;
}

function buildIndex(agent: AgentProfile): KnowledgeIndex {
  const docs: IndexedPassage[] = [];
  const add = (title: string, text: string, kind: PassageKind): void => {
    if (text.trim()) docs.push({ id: docs.length, title, text: text.trim(), kind });
  };
  for (const faq of agent.knowledge.faqs) add(faq.question.trim(), faq.answer, 'faq');
  for (const policy of agent.knowledge.policies) {
    for (const passage of splitPassages(policy.text)) add(policy.title.trim(), passage, 'policy');
  }
  for (const passage of splitPassages(agent.companyInfo))
    add(COMPANY_INFO_TITLE, passage, 'company');

  const search = new MiniSearch<IndexedPassage>({
    fields: ['title', 'text'],
    storeFields: [],
    processTerm,
    searchOptions: {
      // A customer's question is closest to an FAQ's question; a policy title names its topic.
      boost: { title: 2 },
      prefix: (term) => term.length >= 5,
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  // The company-info title is the same for every passage: index it as empty so it does not match.
  search.addAll(docs.map((doc) => (doc.kind === 'company' ? { ...doc, title: '' } : doc)));
  return { search, passages: new Map(docs.map((doc) => [doc.id, doc])) };
}

/** Agent profiles are rebuilt per turn, so indexes are cached by content, a few at a time. */
const CACHE_SIZE = 64;
const cache = new Map<string, KnowledgeIndex>();

function indexFor(agent: AgentProfile): KnowledgeIndex {
  const key = createHash('sha1')
    .update(JSON.stringify([agent.companyInfo, agent.knowledge.faqs, agent.knowledge.policies]))
    .digest('hex');
  let index = cache.get(key);
  if (index) {
    cache.delete(key);
  } else {
    index = buildIndex(agent);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, index);
  return index;
}

/** The query's topic terms (stemmed, stop words dropped), each with its synonyms. */
function queryTerms(query: string): { terms: string[]; expanded: string[] } {
  // Order numbers, amounts and dates name no topic: keep words only.
  const topical = words(query).filter((w) => !/\d/.test(w));
  const terms = [...new Set(topical.map(processTerm).filter((t): t is string => t !== null))];
  const expanded = [...new Set(terms.flatMap((t) => [t, ...(SYNONYMS.get(t) ?? [])]))];
  return { terms, expanded };
}

export interface RetrieveOptions {
  /** Most passages returned; default 3. */
  limit?: number;
}

/**
 * Finds the passages of the agent's knowledge that answer `query`, best first. Returns [] when
 * nothing is relevant enough. Rules, in order:
 * - at least one topic word of the query (after stemming and synonyms) must occur in the passage;
 * - the passage must cover at least 40% of the query's topic words, or two of them, or have one
 *   in its title (FAQ question / policy title);
 * - a passage scoring under half of the best one is dropped (it is a weaker echo of the same words).
 */
export function retrieveKnowledge(
  agent: AgentProfile,
  query: string,
  options: RetrieveOptions = {},
): KnowledgePassage[] {
  const limit = options.limit ?? 3;
  const { terms, expanded } = queryTerms(query);
  if (terms.length === 0) return [];
  const index = indexFor(agent);
  const results = index.search.search(expanded.join(' '));
  if (results.length === 0) return [];

  const synonymsOf = (term: string): string[] => [term, ...(SYNONYMS.get(term) ?? [])];
  const relevant = results.filter((result) => {
    // queryTerms are the processed query terms that matched (fuzzy/prefix matches report the query side).
    const matched = new Set(result.queryTerms);
    const covered = terms.filter((term) => synonymsOf(term).some((t) => matched.has(t))).length;
    // A topic word in the FAQ question or policy title is a strong signal on its own.
    const inTitle = Object.values(result.match).some((fields) => fields.includes('title'));
    return covered >= 2 || covered / terms.length >= 0.4 || inTitle;
  });
  if (relevant.length === 0) return [];
  const best = relevant[0]!.score;
  return relevant
    .filter((result) => result.score >= best / 2)
    .slice(0, limit)
    .map((result) => {
      const passage = index.passages.get(result.id as number)!;
      return { title: passage.title, text: passage.text, kind: passage.kind, score: result.score };
    });
}
