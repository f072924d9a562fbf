import type { MessageAnalysis } from '../ai/engine';
import type { AgentFields } from '../agents/agent.model';

export type HandoffReason =
  'customer_request' | 'urgent' | 'negative_streak' | 'keyword' | 'ai_decision';

export type EscalationRules = AgentFields['escalation'];

export const DEFAULT_ESCALATION: EscalationRules = {
  onRequest: true,
  onUrgent: true,
  negativeStreak: 3,
  keywords: [],
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Decides whether this customer message hands the conversation to a human, from the agent's
 * escalation rules. `negativeStreak` counts this message too. Returns the reason or null.
 */
export function handoffReason(
  rules: EscalationRules,
  text: string,
  analysis: MessageAnalysis,
  negativeStreak: number,
): HandoffReason | null {
  if (rules.onRequest && analysis.wantsHuman) return 'customer_request';
  if (rules.onUrgent && analysis.urgent) return 'urgent';
  if (rules.negativeStreak > 0 && negativeStreak >= rules.negativeStreak) return 'negative_streak';
  const lowered = text.toLowerCase();
  for (const keyword of rules.keywords) {
    const k = keyword.trim().toLowerCase();
    if (k && new RegExp(`(^|\\W)${escapeRegExp(k)}($|\\W)`).test(lowered)) return 'keyword';
  }
  return null;
}

export const HANDOFF_NOTICE: Record<HandoffReason, string> = {
  customer_request:
    "Of course. I'm connecting you with a member of our team now; they'll reply right here.",
  urgent:
    "This needs a person right away, so I'm bringing in a member of our team now. Please stay in this chat.",
  negative_streak:
    "I'm sorry this hasn't been resolved yet. I'm handing you to a member of our team who can help directly.",
  keyword:
    "I'm passing this to a member of our team who can help with it. They'll reply right here.",
  ai_decision: "I'm bringing in a member of our team to help with this. They'll reply right here.",
};
