/**
 * Conversation titles and overall sentiment for the offline engine, from the NLU's analysis of
 * each customer message (passed in, so this module does no NLU of its own).
 */
import type { ChatMessage, CoarseIntent, MessageAnalysis, Sentiment, TitleInput } from '../engine';
import { STOP_WORDS, titleCase, words } from './text';

export type Analyse = (text: string) => MessageAnalysis;

/** Issue phrases for the fine intents (Bitext labels), two or three words each. */
const FINE_ISSUES: Readonly<Record<string, string>> = {
  track_order: 'Order Tracking Request',
  cancel_order: 'Order Cancellation Request',
  change_order: 'Order Change Request',
  change_shipping_address: 'Delivery Address Change',
  set_up_shipping_address: 'Shipping Address Setup',
  get_refund: 'Refund Request',
  track_refund: 'Refund Status Inquiry',
  check_refund_policy: 'Refund Policy Question',
  complaint: 'Customer Complaint',
  review: 'Customer Feedback',
  payment_issue: 'Payment Issue',
  check_payment_methods: 'Payment Methods Question',
  check_invoice: 'Invoice Inquiry',
  get_invoice: 'Invoice Request',
  check_cancellation_fee: 'Cancellation Fee Question',
  delivery_options: 'Delivery Options Question',
  delivery_period: 'Delivery Time Question',
  place_order: 'New Order Help',
  recover_password: 'Password Recovery Help',
  registration_problems: 'Registration Problem',
  create_account: 'Account Creation Help',
  edit_account: 'Account Update Request',
  switch_account: 'Account Switch Help',
  delete_account: 'Account Deletion Request',
  newsletter_subscription: 'Newsletter Subscription',
  contact_customer_service: 'Customer Service Contact',
  contact_human_agent: 'Human Agent Request',
};

/** Suffix after topic keywords, and the phrase alone when there are none. */
const COARSE_ISSUES: Readonly<Record<CoarseIntent, { suffix: string; alone: string }>> = {
  question: { suffix: 'Question', alone: 'General Inquiry' },
  support: { suffix: 'Help', alone: 'Support Request' },
  purchase: { suffix: 'Purchase Inquiry', alone: 'Purchase Inquiry' },
  cancellation: { suffix: 'Cancellation', alone: 'Cancellation Request' },
  general: { suffix: 'Help', alone: 'General Conversation' },
};

/** Greetings and filler that make poor topic words. */
const NOT_TOPICS = new Set([
  'good',
  'morning',
  'afternoon',
  'evening',
  'bye',
  'hey',
  'great',
  'sure',
  'got',
  'one',
  'thing',
  'something',
  'anything',
  'day',
  'today',
  'time',
  'able',
  'way',
]);

function cleanCompany(name: string): string {
  // No quotes or symbols in a title; keep letters, digits, & and inner hyphens.
  return name
    .replace(/[^\p{L}\p{N}&\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The most frequent topic words of the customer messages, in first-seen order, at most `max`. */
function topicWords(texts: string[], exclude: Set<string>, max: number): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of words(text)) {
      if (
        word.length < 3 ||
        STOP_WORDS.has(word) ||
        NOT_TOPICS.has(word) ||
        exclude.has(word) ||
        /\d/.test(word)
      )
        continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, max);
  const order = [...counts.keys()];
  return ranked.map(([word]) => word).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** The label seen most often; ties go to the earliest (the opening request names the issue). */
function dominant<T>(labels: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const label of labels) {
    const count = counts.get(label)!;
    if (count > bestCount) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}

/**
 * 3 to 6 words, Title Case, no quotes: company + issue. Company: the agent's company name, else
 * the first company the NLU detected, else "Customer". Issue: the phrase for the dominant fine
 * intent; else up to two topic words plus the coarse intent's suffix ("Interview Prep Help");
 * else the coarse intent's phrase. A long company name shortens the issue to fit six words.
 */
export function composeTitle(input: TitleInput, analyse: Analyse): string {
  const texts = input.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content.trim())
    .filter(Boolean);
  const analyses = texts.map(analyse);
  const detected = analyses.flatMap((a) => a.companies)[0];
  const company =
    cleanCompany(input.agent?.companyName ?? '') || cleanCompany(detected ?? '') || 'Customer';
  const companyWords = company.split(' ').slice(0, 4);

  const fine = dominant(
    analyses.map((a) => a.fineIntent).filter((f): f is string => !!f && f in FINE_ISSUES),
  );
  const coarse =
    dominant(analyses.map((a) => a.intent).filter((i) => i !== 'general')) ?? 'general';
  let issue: string[];
  if (fine) {
    issue = FINE_ISSUES[fine]!.split(' ');
  } else {
    const exclude = new Set(companyWords.map((w) => w.toLowerCase()));
    const topics = topicWords(texts, exclude, 2);
    issue =
      topics.length > 0
        ? [...topics, ...COARSE_ISSUES[coarse].suffix.split(' ')]
        : COARSE_ISSUES[coarse].alone.split(' ');
  }
  // Fit in six words: drop trailing issue words ("Request") before the company's own.
  const room = Math.max(1, 6 - companyWords.length);
  if (issue.length > room) issue = issue.slice(0, room);
  let title = [...companyWords, ...issue];
  if (title.length < 3) title = [...title, 'Support', 'Chat'].slice(0, 3);
  return titleCase(title.join(' '));
}

/** How many of the latest customer messages can make the whole conversation urgent. */
const URGENT_WINDOW = 3;

/**
 * Overall sentiment of the customer's messages:
 * - urgent when any of the last three customer messages is urgent (the need is still live);
 * - otherwise a weighted vote of polarities (+1 positive, -1 negative, 0 neutral), each message
 *   weighing twice the one before it, so the latest mood counts most but one bad message in a long
 *   happy chat does not flip it; above +0.25 is positive, below -0.25 negative, else neutral.
 * No customer messages: neutral.
 */
export function composeOverallSentiment(messages: ChatMessage[], analyse: Analyse): Sentiment {
  const analyses = messages
    .filter((m) => m.role === 'user' && m.content.trim())
    .map((m) => analyse(m.content));
  if (analyses.length === 0) return 'neutral';
  if (analyses.slice(-URGENT_WINDOW).some((a) => a.urgent || a.sentiment === 'urgent'))
    return 'urgent';
  let score = 0;
  let total = 0;
  analyses.forEach((a, i) => {
    const weight = 2 ** (i - analyses.length + 1);
    score += weight * (a.polarity === 'positive' ? 1 : a.polarity === 'negative' ? -1 : 0);
    total += weight;
  });
  const mean = score / total;
  return mean > 0.25 ? 'positive' : mean < -0.25 ? 'negative' : 'neutral';
}
