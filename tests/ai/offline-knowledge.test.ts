import type { AgentProfile } from '../../src/ai/engine';
import {
  COMPANY_INFO_TITLE,
  retrieveKnowledge,
  splitPassages,
} from '../../src/ai/offline/knowledge';
import { stem } from '../../src/ai/offline/text';

function makeAgent(overrides: Partial<AgentProfile> = {}): AgentProfile {
  return {
    name: 'Maya',
    companyName: 'Acme',
    personality: 'Helpful',
    companyInfo:
      'Acme sells outdoor gear online and ships across Europe.\n\nOur customer service team works Monday to Friday, 9am to 6pm. Our warehouse is in Lyon, France.',
    prompts: [],
    responseStyle: 'professional',
    knowledge: {
      faqs: [
        {
          question: 'How long does shipping take?',
          answer: 'Standard shipping takes 3 to 5 business days within Europe.',
        },
        {
          question: 'Can I pay with PayPal?',
          answer: 'Yes, we accept PayPal, Visa and Mastercard.',
        },
        {
          question: 'Do you offer gift cards?',
          answer: 'Gift cards from 20 to 200 euros are sold on our website.',
        },
      ],
      policies: [
        {
          title: 'Refund Policy',
          text: 'Refunds are issued to the original payment method within 14 days of receiving the return.',
        },
        {
          title: 'Warranty',
          text: 'Tents and backpacks carry a two-year warranty against manufacturing defects.',
        },
      ],
    },
    voice: 'alloy',
    settings: { maxTokens: 300, temperature: 0.7 },
    ...overrides,
  };
}

describe('offline knowledge retrieval', () => {
  it('when a question paraphrases an FAQ, then that FAQ comes first with its question as title', () => {
    const [top] = retrieveKnowledge(makeAgent(), 'how many days for shipping to arrive?');
    expect(top).toMatchObject({ kind: 'faq', title: 'How long does shipping take?' });
    expect(top!.score).toBeGreaterThan(0);
  });

  it('matches inflected forms and customer synonyms', () => {
    expect(retrieveKnowledge(makeAgent(), 'when will I be refunded?')[0]?.title).toBe(
      'Refund Policy',
    );
    expect(retrieveKnowledge(makeAgent(), 'I want my money back')[0]?.title).toBe('Refund Policy');
    expect(
      retrieveKnowledge(makeAgent(), 'what payment options do you take, paypal?')[0]?.title,
    ).toBe('Can I pay with PayPal?');
  });

  it('finds company-info passages under the "Company info" title', () => {
    const results = retrieveKnowledge(makeAgent(), 'Where is your warehouse?');
    expect(results[0]).toMatchObject({ kind: 'company', title: COMPANY_INFO_TITLE });
    expect(results[0]!.text).toContain('Lyon');
  });

  it('when the question is unrelated, then nothing is returned', () => {
    expect(
      retrieveKnowledge(makeAgent(), 'Do you sponsor chess tournaments for retired astronauts?'),
    ).toEqual([]);
    expect(retrieveKnowledge(makeAgent(), 'hello, can you help me please?')).toEqual([]);
    expect(retrieveKnowledge(makeAgent(), 'what is your privacy policy?')).toEqual([]);
    expect(retrieveKnowledge(makeAgent(), '')).toEqual([]);
  });

  it('when the agent has no knowledge, then nothing is returned', () => {
    const empty = makeAgent({ companyInfo: '', knowledge: { faqs: [], policies: [] } });
    expect(retrieveKnowledge(empty, 'How long does shipping take?')).toEqual([]);
  });

  it('returns results best first, at most the limit', () => {
    const results = retrieveKnowledge(makeAgent(), 'shipping refund warranty payment gift cards', {
      limit: 2,
    });
    expect(results.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < results.length; i++)
      expect(results[i]!.score).toBeLessThanOrEqual(results[i - 1]!.score);
  });

  it('reflects edits to the knowledge (indexes are cached by content)', () => {
    const agent = makeAgent();
    expect(retrieveKnowledge(agent, 'do you have a loyalty programme?')).toEqual([]);
    agent.knowledge.faqs.push({
      question: 'Is there a loyalty programme?',
      answer: 'Yes: one point per euro spent.',
    });
    expect(retrieveKnowledge(agent, 'do you have a loyalty programme?')[0]?.title).toBe(
      'Is there a loyalty programme?',
    );
  });

  it('splits long text into sentence passages', () => {
    const long = Array.from(
      { length: 12 },
      (_, i) => `Sentence number ${i} talks about a topic in some detail.`,
    ).join(' ');
    const passages = splitPassages(long);
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) expect(passage.length).toBeLessThanOrEqual(340);
    expect(passages.join(' ')).toBe(long);
  });

  it('stems plurals, -ed and -ing alike', () => {
    expect(new Set(['refund', 'refunds', 'refunded', 'refunding'].map(stem)).size).toBe(1);
    expect(stem('deliveries')).toBe(stem('delivery'));
    expect(stem('shipping')).toBe(stem('ships'));
  });
});
