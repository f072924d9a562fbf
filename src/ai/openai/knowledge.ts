import type { AgentProfile } from '../engine';
import { retrieveKnowledge } from '../offline/knowledge';
import type { KnowledgePassage } from './prompt';

/**
 * The knowledge passages sent to the model for this message. Retrieval is shared with the
 * offline engine (BM25 with an honesty threshold), so both providers ground their answers on
 * the same passages and an unrelated question gets none: the prompt then tells the model to say
 * it does not know rather than guess.
 */
const MAX_PASSAGES = 4;

export function selectPassages(agent: AgentProfile, message: string): KnowledgePassage[] {
  return retrieveKnowledge(agent, message, { limit: MAX_PASSAGES }).map(({ title, text }) => ({
    title,
    text,
  }));
}

/** Distinct passage titles, in ranking order: what ReplyResult.sources reports. */
export function sourceTitles(passages: KnowledgePassage[]): string[] {
  return [...new Set(passages.map((p) => p.title))];
}
