/** Polarity from the model trained on Twitter US Airline Sentiment (CC BY-NC-SA 4.0, see docs/AI.md). */
import type { Polarity } from '../../engine';
import { loadModel } from './linear-model';

export interface PolarityResult {
  polarity: Polarity;
  confidence: number;
}

function isPolarity(label: string): label is Polarity {
  return label === 'positive' || label === 'negative' || label === 'neutral';
}

export function classifyPolarity(text: string): PolarityResult {
  const { label, probability } = loadModel('airline').predict(text);
  if (!isPolarity(label)) throw new Error(`airline model returned unknown label ${label}`);
  return { polarity: label, confidence: probability };
}
