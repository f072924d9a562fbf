import type { AgentProfile, ChatMessage, MessageAnalysis } from '../../src/ai/engine';
import { composeOverallSentiment, composeTitle, type Analyse } from '../../src/ai/offline/title';
import { analysisOf } from '../support/ai-fixtures';

const agent = (companyName: string): AgentProfile => ({
  name: 'Maya',
  companyName,
  personality: '',
  companyInfo: '',
  prompts: [],
  responseStyle: 'professional',
  knowledge: { faqs: [], policies: [] },
  voice: 'alloy',
  settings: { maxTokens: 300, temperature: 0.7 },
});

const base = analysisOf;

/** A scripted NLU: the analysis of each text is given by the test. */
const scripted =
  (table: Record<string, Partial<MessageAnalysis>>): Analyse =>
  (text) =>
    base(table[text] ?? {});

const user = (...texts: string[]): ChatMessage[] =>
  texts.map((content) => ({ role: 'user', content }));

function expectTitleRules(title: string, company: string): void {
  const words = title.split(' ');
  expect(words.length).toBeGreaterThanOrEqual(3);
  expect(words.length).toBeLessThanOrEqual(6);
  for (const word of words) expect(word[0]).toBe(word[0]!.toUpperCase());
  expect(title).not.toMatch(/["'“”‘’]/);
  expect(title).toContain(company);
}

describe('offline titles', () => {
  it('names the company and the dominant fine intent', () => {
    const analyse = scripted({
      'where is my order': { intent: 'support', fineIntent: 'track_order' },
      thanks: { polarity: 'positive' },
    });
    const title = composeTitle(
      {
        agent: agent('Acme'),
        messages: [
          ...user('where is my order'),
          { role: 'assistant', content: 'Order number?' },
          ...user('thanks'),
        ],
      },
      analyse,
    );
    expect(title).toBe('Acme Order Tracking Request');
    expectTitleRules(title, 'Acme');
  });

  it('without a fine intent, uses topic words and the coarse intent', () => {
    const analyse = scripted({
      'I need help with interview prep': { intent: 'support' },
      'which interview prep sessions are left?': { intent: 'support' },
    });
    const title = composeTitle(
      {
        agent: agent('Zero To Hero'),
        messages: user(
          'I need help with interview prep',
          'which interview prep sessions are left?',
        ),
      },
      analyse,
    );
    expect(title).toBe('Zero To Hero Interview Prep Help');
    expectTitleRules(title, 'Zero To Hero');
  });

  it('without an agent, names the company the customer mentioned, and never quotes', () => {
    const analyse = scripted({
      'my "Globex" invoice is wrong': {
        intent: 'support',
        fineIntent: 'check_invoice',
        companies: ['Globex'],
      },
    });
    const title = composeTitle({ messages: user('my "Globex" invoice is wrong') }, analyse);
    expect(title).toBe('Globex Invoice Inquiry');
    expectTitleRules(title, 'Globex');
  });

  it('keeps to six words with a long company name and three with a short conversation', () => {
    const analyse = scripted({
      'cancel it': { intent: 'cancellation', fineIntent: 'cancel_order' },
    });
    const long = composeTitle(
      { agent: agent('The Very Long Company Name Group'), messages: user('cancel it') },
      analyse,
    );
    expect(long.split(' ').length).toBeLessThanOrEqual(6);
    expect(long.startsWith('The Very Long Company')).toBe(true);
    const empty = composeTitle({ agent: agent('Acme'), messages: [] }, scripted({}));
    expectTitleRules(empty, 'Acme');
    expect(
      composeTitle({ agent: agent('"Quoted" Co.'), messages: user('hi') }, scripted({})),
    ).not.toMatch(/["'.]/);
  });
});

describe('offline overall sentiment', () => {
  const analyse = scripted({
    happy: { polarity: 'positive', sentiment: 'positive' },
    angry: { polarity: 'negative', sentiment: 'negative' },
    urgent: { polarity: 'negative', sentiment: 'urgent', urgent: true },
  });

  it('is urgent when a recent customer message is urgent', () => {
    expect(composeOverallSentiment(user('happy', 'urgent', 'happy'), analyse)).toBe('urgent');
  });

  it('forgets urgency older than the last three customer messages', () => {
    expect(composeOverallSentiment(user('urgent', 'happy', 'happy', 'happy'), analyse)).toBe(
      'positive',
    );
  });

  it('weighs the latest messages most', () => {
    expect(composeOverallSentiment(user('happy', 'happy', 'angry', 'angry'), analyse)).toBe(
      'negative',
    );
    expect(composeOverallSentiment(user('angry', 'angry', 'happy', 'happy'), analyse)).toBe(
      'positive',
    );
    expect(composeOverallSentiment(user('happy', 'neutral', 'neutral', 'neutral'), analyse)).toBe(
      'neutral',
    );
  });

  it('ignores assistant messages and is neutral with no customer messages', () => {
    expect(composeOverallSentiment([{ role: 'assistant', content: 'angry' }], analyse)).toBe(
      'neutral',
    );
    expect(composeOverallSentiment([], analyse)).toBe('neutral');
  });
});
