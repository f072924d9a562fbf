import type { ChatMessage } from '../ai/engine';
import type { ConversationDocument, MessageFields } from './conversation.model';
import type { WireMessage } from './events';

/** How conversations and messages look on the wire (ISO dates, string ids). */

export function toWireMessage(m: MessageFields): WireMessage {
  return {
    _id: m._id.toString(),
    role: m.role,
    content: m.content,
    timestamp: new Date(m.timestamp ?? Date.now()).toISOString(),
    ...(m.audioUrl ? { audioUrl: m.audioUrl } : {}),
  };
}

/** The full document (list, /end, PUT): the frontend reads it as stored, minus secrets. */
export function toFullConversation(c: ConversationDocument) {
  const json = c.toJSON() as unknown as Record<string, unknown>;
  delete json.visitorKey;
  return json;
}

/** GET /:id: the frontend's reshaped view, no system messages, plus the product's extras. */
export function toConversationDetail(c: ConversationDocument) {
  return {
    _id: c._id.toString(),
    title: c.title || 'New Conversation',
    agentId: c.agentId?.toString() ?? null,
    status: c.status,
    channel: c.channel,
    visitor: c.visitor,
    agentSnapshot: c.agentSnapshot,
    agentDeleted: c.agentDeleted,
    handoff: c.handoff,
    messages: c.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({
        ...toWireMessage(m),
        ...(m.metadata ? { metadata: m.metadata } : {}),
      })),
    metadata: {
      created: c.metadata.created.toISOString(),
      updated: c.metadata.updated.toISOString(),
      duration: c.metadata.duration ?? 0,
      sentiment: c.metadata.sentiment ?? 'pending',
      intents: c.metadata.intents,
      companies: c.metadata.companies,
      messageCount: c.metadata.messageCount,
      firstResponseMs: c.metadata.firstResponseMs,
      satisfaction: c.metadata.satisfaction,
      satisfactionSource: c.metadata.satisfactionSource,
    },
  };
}

/** The customer/assistant turns as the AI sees them (no system messages), the last `lastN`. */
export function chatOf(messages: MessageFields[], lastN = Infinity): ChatMessage[] {
  const turns = messages.filter(
    (m): m is MessageFields & { role: 'user' | 'assistant' } =>
      m.role === 'user' || m.role === 'assistant',
  );
  return turns
    .slice(-Math.min(lastN, turns.length))
    .map((m) => ({ role: m.role, content: m.content }));
}
