/**
 * Intent classifiers: the 27-intent bitext model (plus an out-of-scope class for greetings and
 * small talk) mapped to the product's five coarse intents, and the Banking77 model.
 */
import type { CoarseIntent } from '../../engine';
import { loadModel } from './linear-model';

/** The extra class train.py adds to the bitext model (CLINC150 small talk + our own chit-chat). */
export const OUT_OF_SCOPE = 'other';

/** Reference mapping from ../shared/data/bitext-customer-support/SOURCE.md. */
const COARSE_OF: Readonly<Record<string, CoarseIntent>> = {
  cancel_order: 'cancellation',
  get_refund: 'cancellation',
  // Product intents read by rule (no bitext data): see RETURN_OR_EXCHANGE.
  return_item: 'cancellation',
  exchange_item: 'support',
  track_refund: 'cancellation',
  delete_account: 'cancellation',
  place_order: 'purchase',
  check_refund_policy: 'question',
  check_cancellation_fee: 'question',
  delivery_options: 'question',
  delivery_period: 'question',
  check_payment_methods: 'question',
  check_invoices: 'question',
  contact_customer_service: 'question',
  review: 'general',
  [OUT_OF_SCOPE]: 'general',
};

/** Coarse intent of a bitext label; every label not listed above is support. */
export function coarseOf(fineIntent: string): CoarseIntent {
  return COARSE_OF[fineIntent] ?? 'support';
}

/**
 * Below this top probability the message is not clearly any support request, so it is
 * reported as general rather than forced into the nearest intent. Chosen by hand: bitext
 * validation messages are almost all above 0.6, greetings the model has not seen fall below.
 */
export const MIN_INTENT_PROBABILITY = 0.3;

export interface IntentResult {
  intent: CoarseIntent;
  /** Bitext label, or null when the message is out of scope. */
  fineIntent: string | null;
  confidence: number;
  /** The raw top label of the model (one of the 27 intents or "other"), for evaluation. */
  label: string;
  probability: number;
}

/**
 * Greetings and thanks around a request ("hi, I want to cancel my order", "thanks, but where is
 * my refund?"): the out-of-scope class would win on the pleasantry, so the request is also read
 * without it.
 */
const PLEASANTRY =
  /^(\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks|thank you( (so|very) much)?|many thanks|ok(ay)?|great|cool|sorry|please|excuse me)\b[\s,.!:;-]*(but|and|so|there)?\b)+|\b(thanks|thank you|thx|cheers)( (so|very) much| in advance)?[\s.!]*$/i;

/**
 * Explicit requests the model can miss when they come wrapped in a complaint or phrased unlike
 * bitext ("This is ridiculous! The blender broke ... I want a refund right now.", "I would like
 * to buy two of these"): the out-of-scope class, trained on CLINC's long-tail queries, wins on
 * the unfamiliar words around them. Used only when the model said general.
 */
const EXPLICIT_REQUESTS: readonly [RegExp, string][] = [
  [
    /\b(want|need|demand|expect|like|get|give me|requesting|request|asking for|issue me)\b.{0,20}\b(a |my |the |full |complete )*refund\b|\brefund (me|my money|my order|the order|it)\b|\b(want|need|get|like) my money back\b/i,
    'get_refund',
  ],
  [
    /\b(want|would like|'d like|wish|wanna|going|ready|looking|trying|like) to (buy|purchase|order)\b|\b(buy|purchase|order) (two|three|four|five|\d+|a couple|a few|some|one|another|more)\b/i,
    'place_order',
  ],
];
/** "I don't want a refund", "not looking to buy": the request is declined, no cue. */
const DECLINED_REQUEST =
  /\b(don't|do not|didn't|not|never|no longer|doesn't)\b.{0,12}\b(want|need|like|looking|going|trying|buy|refund)\b/i;

/**
 * Returns and exchanges: the bitext data has no such utterance at all (not one "return" or
 * "exchange" in train or test), so the model's label for them is arbitrary ("Can I return my
 * shoes?" came out check_invoices). These two product intents are read by rule, before the model.
 */
const RETURN_OR_EXCHANGE: readonly [RegExp, string][] = [
  [
    /\b(exchange|swap) (it|them|this|these|that|my|the|an?|one)\b(?! rates?\b)|\b(exchange|swap) (for|into) (a|an|another|the|a different)\b/i,
    'exchange_item',
  ],
  [
    /\breturn (it|them|this|these|my|the|an?|an item|the item|my order)\b|\bsend (it|them|this) back\b|\b(make|start|process) a return\b/i,
    'return_item',
  ],
];

export function classifyIntent(text: string): IntentResult {
  const rule = RETURN_OR_EXCHANGE.find(([re]) => re.test(text));
  if (rule && !DECLINED_REQUEST.test(text)) {
    const label = rule[1];
    return { intent: coarseOf(label), fineIntent: label, confidence: 0.9, label, probability: 0.9 };
  }
  const result = classifyWhole(text);
  if (result.intent !== 'general' || result.label === 'review') return result;
  const rest = text.replace(PLEASANTRY, '').trim();
  if (rest !== '' && rest !== text.trim()) {
    const inner = classifyWhole(rest);
    if (inner.intent !== 'general') return inner;
  }
  return explicitRequest(text) ?? result;
}

function explicitRequest(text: string): IntentResult | null {
  if (DECLINED_REQUEST.test(text)) return null;
  const hit = EXPLICIT_REQUESTS.find(([re]) => re.test(text));
  if (!hit) return null;
  const label = hit[1];
  const model = loadModel('bitext');
  const { probabilities } = model.predict(text);
  const intent = coarseOf(label);
  // Confidence given that it is a support request: the coarse intent's share of the probability
  // mass of all support labels (the out-of-scope class is what the cue overrides).
  let own = 0;
  let support = 0;
  model.labels.forEach((l, i) => {
    if (coarseOf(l) === 'general') return;
    support += probabilities[i];
    if (coarseOf(l) === intent) own += probabilities[i];
  });
  const confidence = support > 0 ? Math.min(1, own / support) : 0;
  const probability = probabilities[model.labels.indexOf(label)];
  return { intent, fineIntent: label, confidence, label, probability };
}

function classifyWhole(text: string): IntentResult {
  const model = loadModel('bitext');
  const { label, probability, probabilities } = model.predict(text);
  if (label === OUT_OF_SCOPE || probability < MIN_INTENT_PROBABILITY) {
    // Confidence that the message is general: the out-of-scope class plus every general label,
    // or at least how unlikely the best support intent is.
    let general = 0;
    model.labels.forEach((l, i) => {
      if (coarseOf(l) === 'general') general += probabilities[i];
    });
    return {
      intent: 'general',
      fineIntent: null,
      confidence: Math.max(general, 1 - probability),
      label,
      probability,
    };
  }
  // Confidence in the coarse intent is the probability mass of all fine labels mapped to it.
  const intent = coarseOf(label);
  let confidence = 0;
  model.labels.forEach((l, i) => {
    if (coarseOf(l) === intent) confidence += probabilities[i];
  });
  return { intent, fineIntent: label, confidence: Math.min(1, confidence), label, probability };
}

export interface BankingResult {
  /** One of the 77 Banking77 categories (e.g. "card_arrival"). */
  intent: string;
  confidence: number;
}

/**
 * Banking77 intent. Not used by analyseOffline (whose labels are the retail bitext ones); meant
 * for agents of banks and fintechs, where it gives a much finer fineIntent.
 */
export function classifyBanking(text: string): BankingResult {
  const { label, probability } = loadModel('banking77').predict(text);
  return { intent: label, confidence: probability };
}
