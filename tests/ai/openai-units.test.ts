import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { AiError, type AgentProfile, type MessageAnalysis } from '../../src/ai/engine';
import { ActionTagFilter } from '../../src/ai/openai/action-tag';
import { parseAnalysis } from '../../src/ai/openai/analysis';
import { toAiError } from '../../src/ai/openai/errors';
import { normaliseSentiment, normaliseTitle } from '../../src/ai/openai/normalise';
import {
  buildReplyMessages,
  buildReplySystemPrompt,
  buildSentimentMessages,
  HONESTY_INSTRUCTION,
} from '../../src/ai/openai/prompt';

const agent: AgentProfile = {
  name: 'Ava',
  companyName: 'Acme Outfitters',
  personality: 'Patient and upbeat; loves hiking.',
  companyInfo: 'Acme Outfitters sells outdoor gear online and in 12 stores.',
  prompts: ['Always offer the 10% loyalty code HIKE10 to returning customers.'],
  responseStyle: 'friendly',
  knowledge: {
    faqs: [
      {
        question: 'How long does shipping take?',
        answer: 'Standard shipping takes 3-5 business days.',
      },
    ],
    policies: [
      { title: 'Refund policy', text: 'Refunds within 30 days of delivery, unused items only.' },
    ],
  },
  voice: 'nova',
  settings: { maxTokens: 300, temperature: 0.7 },
};

const analysis: MessageAnalysis = {
  intent: 'cancellation',
  fineIntent: 'get_refund',
  sentiment: 'negative',
  polarity: 'negative',
  urgent: false,
  wantsHuman: false,
  companies: [],
  language: 'en',
  confidence: 0.9,
};

/** Runs deltas through the filter the way the provider does. */
function filterAll(deltas: string[]): { shown: string[]; text: string; action: string | null } {
  const f = new ActionTagFilter();
  const shown = [...deltas.map((d) => f.push(d)), f.end()].filter(Boolean);
  return { shown, text: shown.join(''), action: f.action };
}

describe('ActionTagFilter', () => {
  it('when the tag arrives split across deltas, then none of it is shown and the action is read', () => {
    const r = filterAll(['Sure, I will ', 'connect you.', '\n[[', 'act', 'ion:hand', 'off]', ']']);
    expect(r.text).toBe('Sure, I will connect you.');
    expect(r.action).toBe('handoff');
    expect(r.shown.join('')).not.toContain('[');
  });

  it('when every character is its own delta, then the result is the same', () => {
    const r = filterAll([...'Done!  [[action:resolve]]']);
    expect(r).toMatchObject({ text: 'Done!', action: 'resolve' });
  });

  it('when brackets are ordinary text, then they are released unchanged', () => {
    const r = filterAll(['See [1] and [[note]] or [[act', 'ual]] text']);
    expect(r.text).toBe('See [1] and [[note]] or [[actual]] text');
    expect(r.action).toBeNull();
  });

  it('when the stream ends inside a tag, then the fragment is dropped', () => {
    expect(filterAll(['Hello', ' [[action:hand'])).toMatchObject({ text: 'Hello', action: null });
  });

  it('when the tag is spaced or upper-case, then it is still understood; unknown actions are stripped but ignored', () => {
    expect(filterAll(['Ok [[ACTION: Resolve ]]'])).toMatchObject({ text: 'Ok', action: 'resolve' });
    expect(filterAll(['Ok [[action:escalate]]'])).toMatchObject({ text: 'Ok', action: null });
  });

  it('when the model starts with whitespace, then it is not shown (deltas concatenate to the text)', () => {
    const r = filterAll(['\n\n  Hi', ' there\n']);
    expect(r.text).toBe('Hi there');
  });
});

describe('buildReplySystemPrompt', () => {
  const passages = [
    { title: 'How long does shipping take?', text: 'Standard shipping takes 3-5 business days.' },
  ];
  const prompt = buildReplySystemPrompt(agent, passages, analysis);

  it('names the persona, the company, the personality and the response style', () => {
    expect(prompt).toContain('You are Ava, the customer service assistant for Acme Outfitters.');
    expect(prompt).toContain('Patient and upbeat; loves hiking.');
    expect(prompt).toMatch(/Tone: warm and friendly/);
  });

  it('carries company info, every policy, the owner instructions and the retrieved passages', () => {
    expect(prompt).toContain('Acme Outfitters sells outdoor gear online');
    expect(prompt).toContain(
      '- Refund policy: Refunds within 30 days of delivery, unused items only.',
    );
    expect(prompt).toContain('- Always offer the 10% loyalty code HIKE10');
    expect(prompt).toContain(
      '[1] How long does shipping take?: Standard shipping takes 3-5 business days.',
    );
  });

  it('tells the model to say when it does not know, never to invent policies, and to end with an action tag', () => {
    expect(prompt).toContain(HONESTY_INSTRUCTION);
    expect(prompt).toMatch(/say plainly that you do not know/);
    expect(prompt).toMatch(/Never invent policies/);
    expect(prompt).toContain('[[action:handoff]]');
  });

  it('when no passage matched, then there is no knowledge section at all', () => {
    expect(buildReplySystemPrompt(agent, [])).not.toContain('Knowledge relevant');
  });

  it('is a pure function: same input, same prompt', () => {
    expect(buildReplySystemPrompt(agent, passages, analysis)).toBe(prompt);
  });

  it('builds system, history and the new message in order', () => {
    const messages = buildReplyMessages(
      {
        agent,
        analysis,
        message: 'Where is my refund?',
        history: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
      },
      passages,
    );
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[3].content).toBe('Where is my refund?');
  });

  it('judges sentiment on the customer messages only', () => {
    const [, user] = buildSentimentMessages([
      { role: 'user', content: 'This is awful' },
      { role: 'assistant', content: 'So sorry!' },
    ]);
    expect(user.content).toBe('Customer: This is awful');
  });
});

describe('parseAnalysis', () => {
  const valid = {
    intent: 'Cancellation',
    fineIntent: 'get_refund',
    sentiment: 'negative',
    urgent: false,
    wantsHuman: true,
    companies: ['FedEx', 'Acme Outfitters', 'fedex'],
    language: 'en-US',
    confidence: 0.8,
  };

  it('when the JSON is valid (even fenced), then it is normalised into a MessageAnalysis', () => {
    const a = parseAnalysis('```json\n' + JSON.stringify(valid) + '\n```', agent);
    expect(a).toEqual({
      intent: 'cancellation',
      fineIntent: 'get_refund',
      sentiment: 'negative',
      polarity: 'negative',
      urgent: false,
      wantsHuman: true,
      companies: ['Acme Outfitters', 'FedEx'],
      language: 'en',
      confidence: 0.8,
    });
  });

  it('when urgent, then the four-way sentiment is urgent and the polarity is kept', () => {
    expect(parseAnalysis(JSON.stringify({ ...valid, urgent: true }))).toMatchObject({
      sentiment: 'urgent',
      polarity: 'negative',
    });
  });

  it.each([
    ['not JSON', 'I think the intent is support'],
    ['an unknown intent', JSON.stringify({ ...valid, intent: 'complaint' })],
    ['a missing field', JSON.stringify({ ...valid, wantsHuman: undefined })],
    ['confidence out of range', JSON.stringify({ ...valid, confidence: 7 })],
  ])('when the answer has %s, then PROVIDER_BAD_RESPONSE', (_label, content) => {
    expect(() => parseAnalysis(content)).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
  });
});

describe('normaliseTitle / normaliseSentiment', () => {
  it.each([
    ['"acme outfitters refund request".', 'Acme Outfitters Refund Request'],
    [
      'Title: Late delivery of the hiking boots for a customer',
      'Late Delivery of the Hiking Boots',
    ],
    ['**SSO login problem at Acme**\nextra line', 'SSO Login Problem at Acme'],
  ])('%s -> %s', (raw, title) => {
    expect(normaliseTitle(raw)).toBe(title);
  });

  it('when the title is too short, then the company is put in front; with no company it is refused', () => {
    expect(normaliseTitle('Refund', agent)).toBe('Acme Outfitters Refund');
    expect(() => normaliseTitle('Refund')).toThrow(AiError);
  });

  it.each([
    ['Negative.', 'negative'],
    ['URGENT', 'urgent'],
    ['The customer is not urgent, just frustrated', 'negative'],
    ['mixed', 'neutral'],
    ['positive', 'positive'],
  ])('%s -> %s', (raw, label) => {
    expect(normaliseSentiment(raw)).toBe(label);
  });

  it('when no label can be read, then PROVIDER_BAD_RESPONSE', () => {
    expect(() => normaliseSentiment('I cannot say')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
  });
});

describe('toAiError', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it.each([
    ['connection timeout', new APIConnectionTimeoutError(), 'PROVIDER_TIMEOUT'],
    [
      'connection refused',
      new APIConnectionError({ message: 'ECONNREFUSED' }),
      'PROVIDER_UNAVAILABLE',
    ],
    ['429', new RateLimitError(429, undefined, 'slow down', headers({})), 'PROVIDER_RATE_LIMITED'],
    ['503', new InternalServerError(503, undefined, 'busy', headers({})), 'PROVIDER_UNAVAILABLE'],
    ['401', new AuthenticationError(401, undefined, 'bad key', headers({})), 'PROVIDER_AUTH'],
    ['malformed chunk', new SyntaxError('Unexpected token'), 'PROVIDER_BAD_RESPONSE'],
  ])('%s -> %s', (_label, err, code) => {
    expect(toAiError(err, 'analyse').code).toBe(code);
  });

  it('keeps the retry-after of a 429 (retry-after-ms wins over retry-after)', () => {
    const err = toAiError(
      new RateLimitError(429, undefined, 'x', headers({ 'retry-after': '2' })),
      'reply',
    );
    expect(err).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 2000 });
    const ms = toAiError(
      new RateLimitError(
        429,
        undefined,
        'x',
        headers({ 'retry-after': '2', 'retry-after-ms': '150' }),
      ),
      'reply',
    );
    expect(ms).toMatchObject({ retryAfterMs: 150 });
  });

  it('when the wrapper aborted with a timeout, then the timeout is what comes out', () => {
    const reason = new AiError('PROVIDER_TIMEOUT', 'too slow');
    expect(toAiError(new APIUserAbortError(), 'reply', reason)).toBe(reason);
  });
});
