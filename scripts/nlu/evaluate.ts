/**
 * Evaluation of the offline NLU on held-out data, through the same functions the app calls
 * (analyseOffline, and classifyBanking for Banking77). Used by scripts/eval.ts and by
 * tests/ai/nlu-targets.test.ts.
 */
import path from 'node:path';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import type { CoarseIntent, MessageAnalysis } from '../../src/ai/engine';
import { analyseOffline, classifyBanking, coarseOf } from '../../src/ai/offline/nlu';
import {
  detectUrgentByRules,
  urgencyProbability,
  urgencyThreshold,
} from '../../src/ai/offline/nlu/signals';
import {
  airlineTest,
  banking77Test,
  bitextTest,
  clincChitChatTest,
  readJsonl,
  urgencyFixture,
  type Example,
  type HandoffExample,
} from './datasets';
import { binary, report, type BinaryReport, type Report } from './metrics';

const analyse = (text: string): MessageAnalysis => analyseOffline({ text });

/** The label a prediction gets when the model said "general / out of scope" with no fine intent. */
export const NO_FINE_INTENT = '(none)';

export interface BitextEval {
  fine: Report;
  coarse: Report;
  /** wantsHuman against the gold contact_human_agent label of the test split. */
  wantsHuman: BinaryReport;
}

export function evalBitext(examples: Example[] = bitextTest()): BitextEval {
  const results = examples.map((e) => analyse(e.text));
  return {
    fine: report(
      examples.map((e) => e.label),
      results.map((r) => r.fineIntent ?? NO_FINE_INTENT),
    ),
    coarse: report(
      examples.map((e) => coarseOf(e.label)),
      results.map((r) => r.intent),
    ),
    wantsHuman: binary(
      examples.map((e) => e.label === 'contact_human_agent'),
      results.map((r) => r.wantsHuman),
    ),
  };
}

export function evalBanking77(examples: Example[] = banking77Test()): Report {
  return report(
    examples.map((e) => e.label),
    examples.map((e) => classifyBanking(e.text).intent),
  );
}

export function evalAirline(examples: Example[] = airlineTest()): Report {
  return report(
    examples.map((e) => e.label),
    examples.map((e) => analyse(e.text).polarity),
  );
}

export interface HandoffEval {
  urgent: BinaryReport;
  wantsHuman: BinaryReport;
  errors: { text: string; task: 'urgent' | 'wantsHuman'; expected: boolean }[];
}

export function evalUrgencyHandoff(examples = urgencyFixture()): HandoffEval {
  const results = examples.map((e) => analyse(e.text));
  const errors: HandoffEval['errors'] = [];
  examples.forEach((e, i) => {
    if (results[i].urgent !== e.urgent)
      errors.push({ text: e.text, task: 'urgent', expected: e.urgent });
    if (results[i].wantsHuman !== e.wantsHuman) {
      errors.push({ text: e.text, task: 'wantsHuman', expected: e.wantsHuman });
    }
  });
  return {
    urgent: binary(
      examples.map((e) => e.urgent),
      results.map((r) => r.urgent),
    ),
    wantsHuman: binary(
      examples.map((e) => e.wantsHuman),
      results.map((r) => r.wantsHuman),
    ),
    errors,
  };
}

/** Share of CLINC150 small-talk and out-of-scope test queries that come out as general. */
export function evalChitChat(texts: string[] = clincChitChatTest()): {
  n: number;
  generalRate: number;
} {
  const general = texts.filter((t) => analyse(t).intent === 'general').length;
  return { n: texts.length, generalRate: general / texts.length };
}

// ---------------------------------------------------------------------------------------------
// Baselines, run on the same test splits.

/**
 * The previous backend's keyword rules (MisbahAN/CustomerCare-VoiceAI-Backend, aiService.ts
 * extractIntents): wh-words -> question, help/assist/support -> support, buy/purchase/order/book
 * -> purchase, cancel/refund/return -> cancellation, else general. It returned a list in that
 * order; its first element is taken as the prediction.
 */
export function keywordIntent(text: string): CoarseIntent {
  if (/\b(how|what|where|when|why|who)\b/i.test(text)) return 'question';
  if (/\b(help|assist|support)\b/i.test(text)) return 'support';
  if (/\b(buy|purchase|order|book)\b/i.test(text)) return 'purchase';
  if (/\b(cancel|refund|return)\b/i.test(text)) return 'cancellation';
  return 'general';
}

/** VADER lexicon polarity with its authors' usual thresholds on the compound score. */
export function vaderPolarity(text: string): string {
  const { compound } = SentimentIntensityAnalyzer.polarity_scores(text);
  if (compound >= 0.05) return 'positive';
  if (compound <= -0.05) return 'negative';
  return 'neutral';
}

/** Naive keyword baselines for the two signals, to show what the rules add. */
export const keywordUrgent = (text: string): boolean =>
  /\b(urgent|asap|emergency|immediately|right now)\b/i.test(text);
export const keywordWantsHuman = (text: string): boolean =>
  /\b(human|person|agent|representative|manager)\b/i.test(text);

/** The most frequent gold label of the (training-like) distribution, predicted for everything. */
export function majority(gold: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const g of gold) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

export interface Baselines {
  bitextCoarseKeywords: Report;
  bitextCoarseMajority: Report;
  bitextFineMajority: Report;
  banking77Majority: Report;
  airlineVader: Report;
  airlineMajority: Report;
  urgentKeywords: BinaryReport;
  wantsHumanKeywords: BinaryReport;
}

export function evalBaselines(): Baselines {
  const bitext = bitextTest();
  const banking = banking77Test();
  const airline = airlineTest();
  const fixture = urgencyFixture();
  const coarseGold = bitext.map((e) => coarseOf(e.label));
  const constant = (gold: string[]): Report =>
    report(
      gold,
      gold.map(() => majority(gold)),
    );
  return {
    bitextCoarseKeywords: report(
      coarseGold,
      bitext.map((e) => keywordIntent(e.text)),
    ),
    bitextCoarseMajority: constant(coarseGold),
    bitextFineMajority: constant(bitext.map((e) => e.label)),
    banking77Majority: constant(banking.map((e) => e.label)),
    airlineVader: report(
      airline.map((e) => e.label),
      airline.map((e) => vaderPolarity(e.text)),
    ),
    airlineMajority: constant(airline.map((e) => e.label)),
    urgentKeywords: binary(
      fixture.map((e) => e.urgent),
      fixture.map((e) => keywordUrgent(e.text)),
    ),
    wantsHumanKeywords: binary(
      fixture.map((e) => e.wantsHuman),
      fixture.map((e) => keywordWantsHuman(e.text)),
    ),
  };
}

/**
 * Extra urgency / hand-off sets in scripts/nlu/data: "holdout" was written after the first rules
 * and used once to broaden them; "blind" was written after that. Both (with the fixture) were
 * later used to broaden the rules again and to train the urgency model. "eval2" was written
 * before its author read the detector or the other sets, and is never used for changes.
 */
export const HANDOFF_SETS = ['holdout', 'blind', 'eval2'] as const;

export function handoffSetFile(name: (typeof HANDOFF_SETS)[number]): string {
  return path.join(__dirname, 'data', `urgency-handoff-${name}.jsonl`);
}

export function holdoutSets(): { name: string; result: HandoffEval }[] {
  return HANDOFF_SETS.map((name) => ({
    name: `${name} set`,
    result: evalUrgencyHandoff(readJsonl(handoffSetFile(name))),
  }));
}

/** Urgency of the rules alone and of the learned model alone on a set, to show what each adds. */
export function urgencyParts(examples: HandoffExample[]): {
  rules: BinaryReport;
  model: BinaryReport;
} {
  const gold = examples.map((e) => e.urgent);
  const threshold = urgencyThreshold();
  return {
    rules: binary(
      gold,
      examples.map((e) => detectUrgentByRules(e.text)),
    ),
    model: binary(
      gold,
      examples.map((e) => urgencyProbability(e.text) >= threshold),
    ),
  };
}
