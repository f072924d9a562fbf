/**
 * Offline NLU of the built-in engine: everything analyse() needs, synchronous and local.
 * Models are trained by scripts/nlu/train.py and measured by `npm run eval` (docs/AI.md).
 */
import type { AnalyseInput, MessageAnalysis } from '../../engine';
import { detectCompanies } from './companies';
import { classifyIntent } from './intents';
import { detectLanguage } from './language';
import { classifyPolarity } from './polarity';
import { detectUrgent, detectWantsHuman } from './signals';

export { classifyBanking, classifyIntent, coarseOf, OUT_OF_SCOPE } from './intents';
export type { BankingResult, IntentResult } from './intents';
export { classifyPolarity } from './polarity';
export {
  detectUrgent,
  detectUrgentByRules,
  detectWantsHuman,
  urgencyProbability,
  urgencyThreshold,
} from './signals';
export { detectCompanies, KNOWN_COMPANIES } from './companies';
export { detectLanguage } from './language';
export { loadModel, modelLoadTimes } from './linear-model';

/** An English-only model's guess on a foreign message is kept only when it is this sure. */
const FOREIGN_MIN_PROBABILITY = 0.9;
/** And its confidence is capped, so callers see that the analysis is weak. */
const FOREIGN_MAX_CONFIDENCE = 0.3;

export function analyseOffline(input: AnalyseInput): MessageAnalysis {
  const { text } = input;
  const language = detectLanguage(text);
  const english = language === 'en' || language === 'und';

  let { intent, fineIntent, confidence } = classifyIntent(text);
  let { polarity } = classifyPolarity(text);
  if (!english) {
    // The models only read English: say "general, not sure" rather than a confident wrong label.
    const sure = classifyIntent(text).probability >= FOREIGN_MIN_PROBABILITY;
    if (!sure) {
      intent = 'general';
      fineIntent = null;
    }
    confidence = Math.min(confidence, FOREIGN_MAX_CONFIDENCE);
    polarity = 'neutral';
  }

  const urgent = detectUrgent(text);
  // The bitext contact_human_agent intent is the same signal learned from data.
  const wantsHuman = detectWantsHuman(text) || (english && fineIntent === 'contact_human_agent');
  return {
    intent,
    fineIntent,
    sentiment: urgent ? 'urgent' : polarity,
    polarity,
    urgent,
    wantsHuman,
    companies: detectCompanies(text, input.agent?.companyName),
    language,
    confidence,
  };
}
