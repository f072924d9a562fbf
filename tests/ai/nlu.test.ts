import {
  analyseOffline,
  classifyBanking,
  detectCompanies,
  detectLanguage,
  detectUrgent,
  detectWantsHuman,
  modelLoadTimes,
} from '../../src/ai/offline/nlu';
import type { AgentProfile } from '../../src/ai/engine';

const agent = (companyName: string): AgentProfile => ({
  name: 'Ava',
  companyName,
  personality: 'helpful',
  companyInfo: '',
  prompts: [],
  responseStyle: 'friendly',
  knowledge: { faqs: [], policies: [] },
  voice: 'alloy',
  settings: { maxTokens: 200, temperature: 0.3 },
});

describe('analyseOffline', () => {
  it.each([
    ['I want to cancel my order', 'cancellation', 'cancel_order'],
    ['where is my package? it has not arrived', 'support', 'track_order'],
    ['I would like to place an order for two of these', 'purchase', 'place_order'],
    ['what payment methods do you accept?', 'question', 'check_payment_methods'],
  ])('when a customer writes %j, then the intent is %s (%s)', (text, intent, fine) => {
    const a = analyseOffline({ text });
    expect(a.intent).toBe(intent);
    expect(a.fineIntent).toBe(fine);
    expect(a.language).toBe('en');
    expect(a.confidence).toBeGreaterThan(0.5);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });

  it.each([
    'hi',
    'thank you so much',
    'ok',
    'hello there!',
    'thanks a bunch, bye',
    'lol',
    'good evening',
  ])(
    'when the message %j is not a support request, then it is general with no fine intent',
    (text) => {
      const a = analyseOffline({ text });
      expect(a.intent).toBe('general');
      expect(a.fineIntent).toBeNull();
      expect(a.urgent).toBe(false);
      expect(a.wantsHuman).toBe(false);
    },
  );

  it.each([
    [
      'This is ridiculous! The blender broke after two days and I want a refund right now.',
      'cancellation',
      'get_refund',
    ],
    [
      'This is terrible service! I want a refund for my order right now.',
      'cancellation',
      'get_refund',
    ],
    ['I would like to buy two of these', 'purchase', 'place_order'],
  ])(
    'when an explicit request is wrapped in a complaint or unusual wording (%j), then it is %s (%s)',
    (text, intent, fine) => {
      const a = analyseOffline({ text });
      expect(a.intent).toBe(intent);
      expect(a.fineIntent).toBe(fine);
      expect(a.confidence).toBeGreaterThan(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
    },
  );

  it('when the customer declines a refund, then the refund cue does not fire', () => {
    expect(
      analyseOffline({ text: "I don't want a refund, just a replacement" }).fineIntent,
    ).not.toBe('place_order');
    expect(analyseOffline({ text: 'how much is it to buy a house' }).intent).toBe('general');
  });

  it('when a greeting wraps a request, then the request wins', () => {
    expect(analyseOffline({ text: 'hi, I want to cancel my order' }).intent).toBe('cancellation');
    expect(analyseOffline({ text: 'thanks, but where is my refund?' }).intent).toBe('cancellation');
  });

  it.each([
    ['Hola, quiero cancelar mi pedido, por favor', 'es'],
    ['Bonjour, je voudrais annuler ma commande', 'fr'],
    ['Guten Tag, ich möchte meine Bestellung stornieren', 'de'],
  ])(
    'when the message %j is not English, then the language is %s and the answer is cautious',
    (text, lang) => {
      const a = analyseOffline({ text });
      expect(a.language).toBe(lang);
      expect(a.intent).toBe('general');
      expect(a.confidence).toBeLessThanOrEqual(0.3);
    },
  );

  it('when the customer needs help now, then sentiment is urgent whatever the polarity', () => {
    const a = analyseOffline({ text: 'Someone hacked my account and is buying things right now' });
    expect(a.urgent).toBe(true);
    expect(a.sentiment).toBe('urgent');
    const calm = analyseOffline({ text: 'Thank you, the delivery was great!' });
    expect(calm.urgent).toBe(false);
    expect(calm.sentiment).toBe(calm.polarity);
    expect(calm.polarity).toBe('positive');
  });

  it("when the agent's company is named, then it comes first", () => {
    const a = analyseOffline({
      text: 'I ordered on Amazon but Acme Shoes shipped it late',
      agent: agent('Acme Shoes'),
    });
    expect(a.companies).toEqual(['Acme Shoes', 'Amazon']);
  });

  it('loads each model once and reports its load time', () => {
    analyseOffline({ text: 'warm up' });
    classifyBanking('my card has not arrived');
    const times = modelLoadTimes();
    expect(Object.keys(times).sort()).toEqual(['airline', 'banking77', 'bitext', 'urgency']);
  });
});

describe('classifyBanking', () => {
  it('when a banking customer asks about a card, then a Banking77 label comes back', () => {
    const r = classifyBanking('I am still waiting on my new card, when will it arrive?');
    expect(r.intent).toBe('card_arrival');
    expect(r.confidence).toBeGreaterThan(0.3);
  });
});

describe('detectCompanies', () => {
  it.each([
    ['My Uber was late', ['Uber']],
    ['I feel exuberant today', []],
    ['I bought applesauce', []],
    ['my APPLE watch and my amazon order', ['Apple', 'Amazon']],
    ['Delta lost my bag, then Uber Eats was cold', ['Delta', 'Uber Eats']],
    ['pineapple and deltas', []],
  ])('in %j finds %j', (text, expected) => {
    expect(detectCompanies(text)).toEqual(expected);
  });

  it('matches the agent company as a whole word only', () => {
    expect(detectCompanies('Ask Nova about it', 'Nova')).toEqual(['Nova']);
    expect(detectCompanies('Supernova sale', 'Nova')).toEqual([]);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['ok', 'en'],
    ['cancel order', 'en'],
    ['where is my package?', 'en'],
    ['¿Dónde está mi paquete?', 'es'],
    ['Où est ma commande ?', 'fr'],
    ['Wo ist meine Bestellung?', 'de'],
    ['12345 !!!', 'und'],
  ])('%j -> %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});

describe('urgency and hand-off rules', () => {
  it.each([
    ['No rush, but when does my order ship?', false],
    ['Do you sell the Urgent Care First Aid Kit?', false],
    ['my card was stolen, block it', true],
    ['the site is down for all our customers', true],
    ['Someone is logged into my account and changing my details', true],
    ['Water is pouring through the ceiling from the flat upstairs', true],
    ['There is a payment on my card I did not make', true],
    ['What happens if my card is stolen abroad?', false],
    ['My account was hacked two years ago, so I want to turn on 2FA', false],
    ['I want a refund right now, this is ridiculous', false],
    ['Does my plan cover urgent care visits?', false],
  ])('urgent(%j) = %s', (text, expected) => {
    expect(detectUrgent(text)).toBe(expected);
  });

  it.each([
    ["I don't need a human, just the refund policy", false],
    ['The agent was helpful, thanks', false],
    ['Can I talk to a real person?', true],
    ['stop the bot', true],
    ["I'd like to be transferred to your returns department", true],
    ['I want to know if the team shipped it', false],
  ])('wantsHuman(%j) = %s', (text, expected) => {
    expect(detectWantsHuman(text)).toBe(expected);
  });
});

describe('returns and exchanges (no bitext data: read by rule)', () => {
  it.each([
    ['Can I return my shoes?', 'return_item', 'cancellation'],
    ['I want to send them back, they are too small', 'return_item', 'cancellation'],
    ['Can I exchange them for another colour?', 'exchange_item', 'support'],
    ['I would like to swap this for a bigger size', 'exchange_item', 'support'],
  ])('%s -> %s', (text, fineIntent, intent) => {
    const a = analyseOffline({ text });
    expect(a.fineIntent).toBe(fineIntent);
    expect(a.intent).toBe(intent);
  });

  it('does not fire on unrelated uses of the words', () => {
    expect(analyseOffline({ text: 'What is the exchange rate for euros?' }).fineIntent).not.toBe(
      'exchange_item',
    );
    expect(analyseOffline({ text: 'When will my refund return to my card?' }).fineIntent).not.toBe(
      'return_item',
    );
    expect(
      analyseOffline({ text: "I don't want to return it, I want to track my order" }).fineIntent,
    ).not.toBe('return_item');
  });
});
