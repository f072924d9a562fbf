import type { Sentiment } from '../ai/engine';

/** Pure definitions of the per-conversation numbers the dashboard shows (see README). */

interface TimedMessage {
  role: string;
  timestamp: Date;
}

/** Whole seconds from the first customer message to the last message; 0 without one. */
export function durationSeconds(messages: TimedMessage[]): number {
  const first = messages.find((m) => m.role === 'user');
  const last = messages[messages.length - 1];
  if (!first || !last) return 0;
  return Math.max(0, Math.round((last.timestamp.getTime() - first.timestamp.getTime()) / 1000));
}

/** Milliseconds from the first customer message to the first assistant reply after it. */
export function firstResponseMs(messages: TimedMessage[]): number | null {
  const firstUser = messages.findIndex((m) => m.role === 'user');
  if (firstUser === -1) return null;
  const reply = messages.slice(firstUser + 1).find((m) => m.role === 'assistant');
  if (!reply) return null;
  return reply.timestamp.getTime() - messages[firstUser]!.timestamp.getTime();
}

/** Estimated satisfaction (1-5) from the conversation's sentiment, when the customer gave none. */
export function estimatedSatisfaction(sentiment: Sentiment): number {
  switch (sentiment) {
    case 'positive':
      return 5;
    case 'neutral':
      return 4;
    case 'negative':
      return 2;
    case 'urgent':
      return 1;
  }
}

const KNOWN: readonly string[] = ['positive', 'negative', 'neutral', 'urgent'];

/** Any stored or model-produced label, normalised to the four the frontend colours. */
export function normaliseSentiment(value: unknown): Sentiment {
  const cleaned = String(value ?? '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return (KNOWN.includes(cleaned) ? cleaned : 'neutral') as Sentiment;
}
