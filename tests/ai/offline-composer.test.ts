import type {
  AgentProfile,
  ChatMessage,
  MessageAnalysis,
  ResponseStyle,
} from '../../src/ai/engine';
import {
  composeGreeting,
  composeReply,
  findEmail,
  findOrderNumber,
  isClosingMessage,
} from '../../src/ai/offline/composer';
import * as P from '../../src/ai/offline/phrases';
import { analysisOf } from '../support/ai-fixtures';

function makeAgent(overrides: Partial<AgentProfile> = {}): AgentProfile {
  return {
    name: 'Maya',
    companyName: 'Acme',
    personality: 'Warm and helpful',
    companyInfo:
      'Acme sells outdoor gear online and ships across Europe. Our warehouse is in Lyon.',
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
      ],
      policies: [
        {
          title: 'Refund Policy',
          text: 'Refunds are issued to the original payment method within 14 days of receiving the return.',
        },
      ],
    },
    voice: 'alloy',
    settings: { maxTokens: 300, temperature: 0.7 },
    ...overrides,
  };
}

const analysis = analysisOf;

const negative = { sentiment: 'negative', polarity: 'negative' } as const;
const sentences = (text: string): string[] =>
  text
    .match(/[^.!?]+[.!?]*/g)!
    .map((s) => s.trim())
    .filter((s) => s.length > 3);
const anyOf = (
  text: string,
  lines: readonly string[],
  vars: Record<string, string> = {},
): boolean =>
  lines.some((line) => text.includes(line.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')));

describe('offline reply composer', () => {
  it('when the customer is negative, then the reply opens with empathy', () => {
    const agent = makeAgent();
    const reply = composeReply({
      agent,
      history: [],
      message: 'My jacket arrived torn, this is unacceptable',
      analysis: analysis({ intent: 'support', fineIntent: 'complaint', ...negative }),
    });
    expect(P.EMPATHY.professional.some((line) => reply.text.startsWith(line))).toBe(true);
    expect(reply.text).toMatch(/refund, an exchange or a replacement/);
    expect(reply.action).toBe('continue');
  });

  it('when urgent but calm, then it acknowledges the urgency first', () => {
    const reply = composeReply({
      agent: makeAgent(),
      history: [],
      message: 'I need my order today, it is urgent',
      analysis: analysis({
        intent: 'support',
        fineIntent: 'track_order',
        sentiment: 'urgent',
        urgent: true,
      }),
    });
    expect(P.URGENCY.professional.some((line) => reply.text.startsWith(line))).toBe(true);
  });

  it('when the order number is missing, then it asks for it; when given, it does not', () => {
    const agent = makeAgent();
    const track = analysis({ intent: 'support', fineIntent: 'track_order' });
    const missing = composeReply({
      agent,
      history: [],
      message: 'Where is my order?',
      analysis: track,
    });
    expect(anyOf(missing.text, P.ASK_ORDER.professional)).toBe(true);

    const given = composeReply({
      agent,
      history: [],
      message: 'Where is my order #A12345?',
      analysis: track,
    });
    expect(anyOf(given.text, P.ASK_ORDER.professional)).toBe(false);
    expect(given.text).toContain('A12345');

    const history: ChatMessage[] = [
      { role: 'user', content: 'Hi, my order number is 7781234' },
      { role: 'assistant', content: 'Thanks, how can I help?' },
    ];
    const earlier = composeReply({ agent, history, message: 'Where is it now?', analysis: track });
    expect(anyOf(earlier.text, P.ASK_ORDER.professional)).toBe(false);
    expect(earlier.text).toContain('7781234');
  });

  it('when the account email is needed and missing, then it asks for it, and not once given', () => {
    const agent = makeAgent();
    const recover = analysis({ intent: 'support', fineIntent: 'recover_password' });
    const missing = composeReply({
      agent,
      history: [],
      message: 'I forgot my password',
      analysis: recover,
    });
    expect(anyOf(missing.text, P.ASK_EMAIL.professional)).toBe(true);
    const given = composeReply({
      agent,
      history: [],
      message: 'I forgot my password, my email is jo@example.com',
      analysis: recover,
    });
    expect(anyOf(given.text, P.ASK_EMAIL.professional)).toBe(false);
    expect(given.text).toContain('jo@example.com');
  });

  it('when the knowledge has the answer, then it quotes it and cites the FAQ', () => {
    const reply = composeReply({
      agent: makeAgent(),
      history: [],
      message: 'How long does shipping take to Spain?',
      analysis: analysis({ intent: 'question', fineIntent: 'delivery_period' }),
    });
    expect(reply.text).toContain('Standard shipping takes 3 to 5 business days within Europe.');
    expect(reply.sources).toEqual(['How long does shipping take?']);
    expect(reply.text).not.toMatch(/don't have that information/);
  });

  it('when a policy answers, then its title is a source', () => {
    const reply = composeReply({
      agent: makeAgent(),
      history: [],
      message: 'I want a refund for order 554433',
      analysis: analysis({ intent: 'support', fineIntent: 'get_refund' }),
    });
    expect(reply.sources).toContain('Refund Policy');
    expect(reply.text).toContain('within 14 days');
  });

  it('when nothing in the knowledge matches, then it says so honestly and offers a human', () => {
    const reply = composeReply({
      agent: makeAgent(),
      history: [],
      message: 'Do you sponsor chess tournaments for retired astronauts?',
      analysis: analysis({ intent: 'question' }),
    });
    expect(reply.text).toMatch(/don't have that information/);
    expect(anyOf(reply.text, P.OFFER_HUMAN.professional, { company: 'Acme' })).toBe(true);
    expect(reply.sources).toEqual([]);
    expect(reply.action).toBe('continue');
  });

  it('when the response style changes, then the wording changes', () => {
    const input = {
      history: [],
      message: 'My parcel never arrived and I am annoyed',
      analysis: analysis({ intent: 'support' as const, fineIntent: 'track_order', ...negative }),
    };
    const texts = (['formal', 'casual', 'friendly', 'professional'] as ResponseStyle[]).map(
      (responseStyle) => composeReply({ ...input, agent: makeAgent({ responseStyle }) }).text,
    );
    expect(new Set(texts).size).toBe(4);
    const formal = texts[0]!;
    expect(formal).not.toMatch(/n't|I'm|I'll|let's/);
    expect(anyOf(texts[1]!, P.ASK_ORDER.casual)).toBe(true);
  });

  it('never says the same line twice in a row over a five-turn conversation', () => {
    const agent = makeAgent();
    const turns: Array<[string, MessageAnalysis]> = [
      ['Where is my order?', analysis({ intent: 'support', fineIntent: 'track_order' })],
      [
        'Where is my order??',
        analysis({ intent: 'support', fineIntent: 'track_order', ...negative }),
      ],
      [
        'It is order 99887766, still nothing',
        analysis({ intent: 'support', fineIntent: 'track_order', ...negative }),
      ],
      [
        'How long does shipping take?',
        analysis({ intent: 'question', fineIntent: 'delivery_period' }),
      ],
      [
        'How long does shipping take?',
        analysis({ intent: 'question', fineIntent: 'delivery_period' }),
      ],
    ];
    const history: ChatMessage[] = [];
    const replies: string[] = [];
    for (const [message, result] of turns) {
      const reply = composeReply({ agent, history: [...history], message, analysis: result });
      replies.push(reply.text);
      history.push({ role: 'user', content: message }, { role: 'assistant', content: reply.text });
    }
    for (let i = 1; i < replies.length; i++) {
      const before = new Set(sentences(replies[i - 1]!));
      const repeated = sentences(replies[i]!).filter((s) => before.has(s));
      expect({ turn: i, repeated }).toEqual({ turn: i, repeated: [] });
    }
  });

  it('is deterministic: the same input gives the same reply', () => {
    const input = {
      agent: makeAgent(),
      history: [] as ChatMessage[],
      message: 'Can I pay with PayPal?',
      analysis: analysis({ intent: 'question', fineIntent: 'check_payment_methods' }),
    };
    expect(composeReply(input)).toEqual(composeReply(input));
  });

  it('when the customer asks for a human, or is urgent and negative, then it hands off', () => {
    const agent = makeAgent();
    const human = composeReply({
      agent,
      history: [],
      message: 'Let me talk to a real person',
      analysis: analysis({ wantsHuman: true }),
    });
    expect(human.action).toBe('handoff');
    expect(anyOf(human.text, P.HANDOFF.professional, { company: 'Acme' })).toBe(true);

    const urgentAngry = composeReply({
      agent,
      history: [],
      message: 'My order is wrong and I need it fixed NOW',
      analysis: analysis({
        intent: 'support',
        fineIntent: 'complaint',
        sentiment: 'urgent',
        polarity: 'negative',
        urgent: true,
      }),
    });
    expect(urgentAngry.action).toBe('handoff');
    expect(P.EMPATHY.professional.some((line) => urgentAngry.text.startsWith(line))).toBe(true);
  });

  it('when the customer says thanks and bye, then it resolves; thanks with a problem does not', () => {
    const agent = makeAgent();
    const bye = composeReply({
      agent,
      history: [],
      message: "Thanks, that's all!",
      analysis: analysis({ polarity: 'positive', sentiment: 'positive' }),
    });
    expect(bye.action).toBe('resolve');
    expect(anyOf(bye.text, P.CLOSING.professional, { company: 'Acme' })).toBe(true);
    const notDone = composeReply({
      agent,
      history: [],
      message: 'Thanks, but my order is still missing',
      analysis: analysis({ intent: 'support', fineIntent: 'track_order' }),
    });
    expect(notDone.action).toBe('continue');
  });

  it('when the message is not in English, then it answers politely in English and offers a human', () => {
    const reply = composeReply({
      agent: makeAgent(),
      history: [],
      message: '¿Dónde está mi pedido?',
      analysis: analysis({ language: 'es' }),
    });
    expect(reply.text).toMatch(/English/);
    expect(reply.text).toMatch(/Acme team/);
    expect(reply.action).toBe('continue');
  });

  it('greets with the owner greeting, else one line naming the agent and company', () => {
    expect(composeGreeting(makeAgent({ greeting: 'Welcome to Acme!' }))).toBe('Welcome to Acme!');
    const greeting = composeGreeting(makeAgent({ greeting: '  ' }));
    expect(greeting).toContain('Maya');
    expect(greeting).toContain('Acme');
    expect(greeting).not.toContain('\n');
    expect(composeGreeting(makeAgent({ responseStyle: 'formal' }))).not.toBe(greeting);
  });

  it('finds order numbers and emails in customer text', () => {
    expect(findOrderNumber('my order number is 12345')).toBe('12345');
    expect(findOrderNumber('order #A1B2C3 has not arrived')).toBe('A1B2C3');
    expect(findOrderNumber('it is ORD-998877')).toBe('ORD-998877');
    expect(findOrderNumber('my order has not arrived')).toBeNull();
    expect(findOrderNumber('write to me at jo12345@example.com')).toBeNull();
    expect(findEmail('write to me at jo.doe+x@example.co.uk please')).toBe(
      'jo.doe+x@example.co.uk',
    );
    expect(isClosingMessage('thank you so much, bye', analysis({ polarity: 'positive' }))).toBe(
      true,
    );
    expect(isClosingMessage('thanks, why was I charged twice?', analysis())).toBe(false);
  });
});
