/**
 * npm run eval: measures the offline NLU on every data set's held-out TEST split, with baselines,
 * through the same code the app runs (analyseOffline / classifyBanking). Numbers go to docs/AI.md.
 */
import { modelLoadTimes } from '../src/ai/offline/nlu';
import { urgencyFixture } from './nlu/datasets';
import {
  evalAirline,
  evalBanking77,
  evalBaselines,
  evalBitext,
  evalChitChat,
  evalUrgencyHandoff,
  handoffSetFile,
  holdoutSets,
  urgencyParts,
} from './nlu/evaluate';
import { readJsonl } from './nlu/datasets';
import { formatConfusion, type BinaryReport, type Report } from './nlu/metrics';

const pct = (x: number): string => x.toFixed(4);
const line = (name: string, r: Report): string =>
  `${name.padEnd(46)} n=${String(r.n).padStart(5)}  accuracy ${pct(r.accuracy)}  macro-F1 ${pct(r.macroF1)}`;
const bin = (name: string, r: BinaryReport): string =>
  `${name.padEnd(46)} n=${String(r.n).padStart(5)}  precision ${pct(r.precision)}  recall ${pct(r.recall)}  F1 ${pct(r.f1)}`;

function main(): void {
  const started = performance.now();
  const bitext = evalBitext();
  const banking = evalBanking77();
  const airline = evalAirline();
  const handoff = evalUrgencyHandoff(urgencyFixture());
  const chat = evalChitChat();
  const base = evalBaselines();

  console.log('== Offline NLU, test splits (../shared/data) ==');
  console.log(line('bitext 27 intents (fineIntent)', bitext.fine));
  console.log(line('bitext 5 coarse intents', bitext.coarse));
  console.log(line('banking77 77 intents (classifyBanking)', banking));
  console.log(line('airline 3-class polarity', airline));
  console.log(bin('urgent (tests/fixtures/urgency-handoff.jsonl)', handoff.urgent));
  console.log(bin('wantsHuman (same fixture)', handoff.wantsHuman));
  for (const { name, result } of holdoutSets()) {
    console.log(bin(`urgent (${name})`, result.urgent));
    console.log(bin(`wantsHuman (${name})`, result.wantsHuman));
  }
  const eval2 = urgencyParts(readJsonl(handoffSetFile('eval2')));
  console.log(bin('urgent (eval2 set), rules alone', eval2.rules));
  console.log(bin('urgent (eval2 set), model alone', eval2.model));
  console.log(bin('wantsHuman vs bitext contact_human_agent', bitext.wantsHuman));
  console.log(
    `${'CLINC150 small-talk + oos test -> general'.padEnd(46)} n=${String(chat.n).padStart(5)}  rate ${pct(chat.generalRate)}`,
  );

  console.log('\n== Baselines (same splits) ==');
  console.log(line('bitext coarse: old backend keyword rules', base.bitextCoarseKeywords));
  console.log(line('bitext coarse: majority class', base.bitextCoarseMajority));
  console.log(line('bitext 27: majority class', base.bitextFineMajority));
  console.log(line('banking77: majority class', base.banking77Majority));
  console.log(line('airline: VADER lexicon (vader-sentiment)', base.airlineVader));
  console.log(line('airline: majority class', base.airlineMajority));
  console.log(bin('urgent: keyword (urgent|asap|emergency|...)', base.urgentKeywords));
  console.log(bin('wantsHuman: keyword (human|person|agent|...)', base.wantsHumanKeywords));

  console.log('\n== Confusion: bitext coarse intents (rows gold) ==');
  console.log(formatConfusion(bitext.coarse));
  console.log('\n== Confusion: airline polarity (rows gold) ==');
  console.log(formatConfusion(airline));
  console.log('\n== Confusion: airline polarity, VADER baseline ==');
  console.log(formatConfusion(base.airlineVader));

  console.log('\n== Per-label F1, lowest 10: banking77 ==');
  for (const s of [...banking.perLabel].sort((a, b) => a.f1 - b.f1).slice(0, 10)) {
    console.log(`  ${s.label.padEnd(48)} P ${pct(s.precision)} R ${pct(s.recall)} F1 ${pct(s.f1)}`);
  }
  if (handoff.errors.length > 0) {
    console.log('\n== Fixture errors ==');
    for (const e of handoff.errors) console.log(`  ${e.task} expected ${e.expected}: ${e.text}`);
  }
  const loads = Object.entries(modelLoadTimes())
    .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
    .join(', ');
  console.log(
    `\nmodel load: ${loads}; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

main();
