/**
 * Runtime for the models written by scripts/nlu/train.py: a scikit-learn FeatureUnion of
 * TfidfVectorizer(word) + TfidfVectorizer(char_wb), both sublinear_tf and l2-normalised,
 * followed by a multinomial LogisticRegression whose weights are stored as int8 per class.
 *
 * Every step reproduces sklearn's own code so that predictions match the Python side exactly
 * (tests/ai/nlu-parity.test.ts checks it against tests/fixtures/nlu-golden.json).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface VectorizerSpec {
  analyzer: 'word' | 'char_wb';
  ngram: [number, number];
  terms: string[];
  idf: number[];
}

export interface ModelFile {
  name: string;
  format: number;
  preprocess: 'none' | 'tweet';
  labels: string[];
  vectorizers: VectorizerSpec[];
  /** base64 of int8 weights, feature-major: weights[feature * classes + class]. */
  weights: string;
  scales: number[];
  bias: number[];
  meta: Record<string, unknown>;
}

interface Vectorizer {
  analyzer: VectorizerSpec['analyzer'];
  minN: number;
  maxN: number;
  index: Map<string, number>;
  idf: Float64Array;
  /** Column of this vectorizer's first feature in the concatenated FeatureUnion output. */
  offset: number;
}

export interface Prediction {
  label: string;
  probability: number;
  /** Probability of every label, in `labels` order. */
  probabilities: Float64Array;
}

// sklearn's default token_pattern (?u)\b\w\w+\b: Python's Unicode \w is letters, numbers, '_'.
const WORD_TOKEN = /[\p{L}\p{N}_]{2,}/gu;
// Python's str.split() whitespace, which differs a little from JavaScript's \s.
/* eslint-disable no-control-regex -- \x1c-\x1f are whitespace to Python's str.split(). */
const PY_WHITESPACE =
  /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
/* eslint-enable no-control-regex */
const MENTION = /@[A-Za-z0-9_]+/g;
const URL = /https?:\/\/[^\s]+/g;

/** Same as normalise_tweet() in train.py: mentions and links carry no sentiment. */
export function normaliseTweet(text: string): string {
  return text.replace(MENTION, '@user').replace(URL, 'http');
}

function wordNgrams(text: string, minN: number, maxN: number, out: string[]): void {
  const tokens = text.match(WORD_TOKEN) ?? [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
}

/** sklearn _char_wb_ngrams: n-grams inside each space-padded word, by code point. */
function charWbNgrams(text: string, minN: number, maxN: number, out: string[]): void {
  for (const raw of text.split(PY_WHITESPACE)) {
    if (raw === '') continue;
    const w = Array.from(` ${raw} `);
    for (let n = minN; n <= maxN; n++) {
      let offset = 0;
      out.push(w.slice(offset, offset + n).join(''));
      while (offset + n < w.length) {
        offset += 1;
        out.push(w.slice(offset, offset + n).join(''));
      }
      // A word shorter than n is counted once, as sklearn does.
      if (offset === 0) break;
    }
  }
}

export class LinearTextModel {
  readonly labels: string[];
  readonly name: string;
  readonly meta: Record<string, unknown>;
  private readonly vectorizers: Vectorizer[];
  private readonly weights: Int8Array;
  private readonly scales: Float64Array;
  private readonly bias: Float64Array;
  private readonly preprocess: ModelFile['preprocess'];

  constructor(file: ModelFile) {
    this.name = file.name;
    this.labels = file.labels;
    this.meta = file.meta;
    this.preprocess = file.preprocess;
    let offset = 0;
    this.vectorizers = file.vectorizers.map((spec) => {
      const index = new Map<string, number>();
      spec.terms.forEach((term, i) => index.set(term, i));
      const v: Vectorizer = {
        analyzer: spec.analyzer,
        minN: spec.ngram[0],
        maxN: spec.ngram[1],
        index,
        idf: Float64Array.from(spec.idf),
        offset,
      };
      offset += spec.terms.length;
      return v;
    });
    const buf = Buffer.from(file.weights, 'base64');
    this.weights = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
    this.scales = Float64Array.from(file.scales);
    this.bias = Float64Array.from(file.bias);
    if (this.weights.length !== offset * this.labels.length) {
      throw new Error(`model ${file.name}: weights do not match ${offset} features`);
    }
  }

  /** Raw class scores (the logistic regression's decision_function). */
  scores(text: string): Float64Array {
    const input = (this.preprocess === 'tweet' ? normaliseTweet(text) : text).toLowerCase();
    const classes = this.labels.length;
    const scores = Float64Array.from(this.bias);
    const grams: string[] = [];
    for (const v of this.vectorizers) {
      grams.length = 0;
      if (v.analyzer === 'word') wordNgrams(input, v.minN, v.maxN, grams);
      else charWbNgrams(input, v.minN, v.maxN, grams);
      const counts = new Map<number, number>();
      for (const g of grams) {
        const i = v.index.get(g);
        if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
      }
      // Sublinear tf (1 + ln tf) times idf, then l2 normalisation of this vectorizer's part.
      let norm = 0;
      const values: [number, number][] = [];
      for (const [i, c] of counts) {
        const x = (1 + Math.log(c)) * v.idf[i];
        values.push([i, x]);
        norm += x * x;
      }
      if (norm === 0) continue;
      norm = Math.sqrt(norm);
      for (const [i, x] of values) {
        const row = (v.offset + i) * classes;
        const value = x / norm;
        for (let c = 0; c < classes; c++)
          scores[c] += value * this.weights[row + c] * this.scales[c];
      }
    }
    return scores;
  }

  predict(text: string): Prediction {
    const scores = this.scores(text);
    let max = -Infinity;
    for (const s of scores) max = Math.max(max, s);
    const probabilities = new Float64Array(scores.length);
    let sum = 0;
    for (let c = 0; c < scores.length; c++) {
      probabilities[c] = Math.exp(scores[c] - max);
      sum += probabilities[c];
    }
    let best = 0;
    for (let c = 0; c < scores.length; c++) {
      probabilities[c] /= sum;
      if (probabilities[c] > probabilities[best]) best = c;
    }
    return { label: this.labels[best], probability: probabilities[best], probabilities };
  }
}

export type ModelName = 'bitext' | 'banking77' | 'airline' | 'urgency';

const cache = new Map<ModelName, LinearTextModel>();
const loadMs = new Map<ModelName, number>();

/**
 * Where the JSON files are: next to this module when running from src (ts-node, jest), or back
 * in src when running compiled code from dist/ (tsc does not copy data files).
 */
export function modelsDir(): string {
  const fromEnv = process.env.NLU_MODELS_DIR;
  if (fromEnv) return fromEnv;
  const candidates = [
    path.join(__dirname, 'models'),
    path.resolve(__dirname, '../../../../src/ai/offline/nlu/models'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0];
}

/** Loads a model once (lazily, on first use) and keeps it for the life of the process. */
export function loadModel(name: ModelName): LinearTextModel {
  const cached = cache.get(name);
  if (cached) return cached;
  const started = performance.now();
  const file = JSON.parse(
    readFileSync(path.join(modelsDir(), `${name}.json`), 'utf8'),
  ) as ModelFile;
  const model = new LinearTextModel(file);
  cache.set(name, model);
  loadMs.set(name, performance.now() - started);
  return model;
}

/** Milliseconds each loaded model took to read and index (for the eval report and logs). */
export function modelLoadTimes(): Record<string, number> {
  return Object.fromEntries(loadMs);
}
