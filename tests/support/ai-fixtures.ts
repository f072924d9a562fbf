import type { MessageAnalysis } from '../../src/ai/engine';

/** A neutral, general, English analysis; tests override what they are about. */
export function analysisOf(overrides: Partial<MessageAnalysis> = {}): MessageAnalysis {
  return {
    intent: 'general',
    fineIntent: null,
    sentiment: 'neutral',
    polarity: 'neutral',
    urgent: false,
    wantsHuman: false,
    companies: [],
    language: 'en',
    confidence: 0.9,
    ...overrides,
  };
}
