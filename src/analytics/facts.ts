import type { Types } from 'mongoose';
import type { ConversationDocument } from '../conversations/conversation.model';
import { normaliseSentiment } from '../conversations/conversation-metrics';
import { ConversationFact } from './fact.model';

/** Writes the conversation's analytics row (upsert); call after anything that changes it. */
export async function syncFact(c: ConversationDocument): Promise<void> {
  const messages = c.messages.filter((m) => m.role !== 'system');
  await ConversationFact.updateOne(
    { _id: c._id },
    {
      $set: {
        userId: c.userId ?? null,
        agentId: c.agentId ?? null,
        day: c.metadata.created.toISOString().slice(0, 10),
        created: c.metadata.created,
        updated: c.metadata.updated,
        duration: c.metadata.duration ?? 0,
        messages: messages.length,
        customerMessages: messages.filter((m) => m.role === 'user').length,
        sentiment: normaliseSentiment(c.metadata.sentiment),
        intents: c.metadata.intents ?? [],
        // The agent's own company plus every company the customer named.
        companies: [
          ...new Set(
            [c.agentSnapshot?.companyName, ...(c.metadata.companies ?? [])].filter(
              (x): x is string => !!x,
            ),
          ),
        ],
        handoff: !!c.handoff?.requested,
        firstResponseMs: c.metadata.firstResponseMs ?? null,
        satisfaction: c.metadata.satisfaction ?? null,
        channel: c.channel,
        status: c.status,
      },
    },
    { upsert: true },
  );
}

export async function removeFacts(ids: Types.ObjectId[]): Promise<void> {
  if (ids.length > 0) await ConversationFact.deleteMany({ _id: { $in: ids } });
}
