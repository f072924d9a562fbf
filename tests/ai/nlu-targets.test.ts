import { readJsonl, urgencyFixture } from '../../scripts/nlu/datasets';
import {
  evalAirline,
  evalBanking77,
  evalBitext,
  evalUrgencyHandoff,
  handoffSetFile,
} from '../../scripts/nlu/evaluate';

// The targets of docs/AI.md, measured on the held-out test splits through the app's code path.
describe('offline NLU meets its targets on the test splits', () => {
  it('bitext: 27 intents >= 0.97 and 5 coarse >= 0.95 accuracy', () => {
    const r = evalBitext();
    expect(r.fine.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(r.coarse.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('banking77: accuracy >= 0.90', () => {
    expect(evalBanking77().accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('airline sentiment: accuracy >= 0.80', () => {
    expect(evalAirline().accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('urgency and wantsHuman: recall >= 0.85 and precision >= 0.75 on the fixture', () => {
    const r = evalUrgencyHandoff(urgencyFixture());
    expect(urgencyFixture().length).toBeGreaterThanOrEqual(150);
    for (const signal of [r.urgent, r.wantsHuman]) {
      expect(signal.recall).toBeGreaterThanOrEqual(0.85);
      expect(signal.precision).toBeGreaterThanOrEqual(0.75);
    }
  });

  // eval2 was written before its author read the detector or the older sets, and was never used
  // to change anything (docs/AI.md): the product target is asserted on it.
  it('urgency and wantsHuman: recall >= 0.85 and precision >= 0.75 on the eval2 set', () => {
    const examples = readJsonl(handoffSetFile('eval2'));
    expect(examples.length).toBeGreaterThanOrEqual(150);
    expect(examples.filter((e) => e.urgent).length).toBeGreaterThanOrEqual(50);
    expect(examples.filter((e) => e.wantsHuman).length).toBeGreaterThanOrEqual(30);
    const r = evalUrgencyHandoff(examples);
    for (const signal of [r.urgent, r.wantsHuman]) {
      expect(signal.recall).toBeGreaterThanOrEqual(0.85);
      expect(signal.precision).toBeGreaterThanOrEqual(0.75);
    }
  });
});
