import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel, type ModelName } from '../../src/ai/offline/nlu/linear-model';

interface GoldenRow {
  text: string;
  bitext: { label: string; p: number };
  banking77: { label: string; p: number };
  airline: { label: string; p: number };
  urgency: { label: string; p: number };
}

// Written by scripts/nlu/train.py with sklearn's own predict_proba on the shipped (quantised) weights.
const golden = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/nlu-golden.json'), 'utf8'),
) as GoldenRow[];
const models: ModelName[] = ['bitext', 'banking77', 'airline', 'urgency'];

describe('offline NLU models reproduce scikit-learn', () => {
  it('has a golden file of about a hundred texts', () => {
    expect(golden.length).toBeGreaterThanOrEqual(100);
  });

  it.each(models)(
    'when the %s model reads the golden texts, then labels and probabilities match sklearn',
    (name) => {
      const model = loadModel(name);
      const mismatches: string[] = [];
      for (const row of golden) {
        const expected = row[name];
        const got = model.predict(row.text);
        if (got.label !== expected.label || Math.abs(got.probability - expected.p) > 1e-4) {
          mismatches.push(
            `${JSON.stringify(row.text)}: ${got.label} ${got.probability} != ${expected.label} ${expected.p}`,
          );
        }
      }
      expect(mismatches).toEqual([]);
    },
  );
});
