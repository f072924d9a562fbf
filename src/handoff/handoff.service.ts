import { Types } from 'mongoose';
import { Agent } from '../agents/agent.model';
import { syncFact } from '../analytics/facts';
import {
  Conversation,
  type ConversationDocument,
  type MessageFields,
} from '../conversations/conversation.model';
import { toWireMessage } from '../conversations/conversation.view';
import type { ConversationEvents } from '../conversations/events';
import { AppError } from '../http/errors';

/**
 * Human handoff: the queue of conversations waiting for a person, taking one over, answering as
 * the agent, and releasing it back to the AI. Operators are the agent's owner and the users the
 * owner listed in agent.operators.
 */

const notFound = () => new AppError(404, 'NOT_FOUND', 'Conversation not found');

/** The agents a user may operate: their own and those that list them as operator. */
async function operableAgentIds(userId: string): Promise<Types.ObjectId[]> {
  const agents = await Agent.find({ $or: [{ userId }, { operators: userId }] }, { _id: 1 });
  return agents.map((a) => a._id);
}

/** Users to notify about a conversation: the agent's owner and its operators. */
export async function operatorsOf(
  conversation: Pick<ConversationDocument, 'agentId' | 'userId'>,
): Promise<string[]> {
  const ids = new Set<string>();
  if (conversation.userId) ids.add(conversation.userId.toString());
  if (conversation.agentId) {
    const agent = await Agent.findById(conversation.agentId, { userId: 1, operators: 1 });
    if (agent) {
      ids.add(agent.userId.toString());
      for (const op of agent.operators) ids.add(op.toString());
    }
  }
  return [...ids];
}

/** A conversation this user may operate, or 404. */
export async function getOperableConversation(
  userId: string,
  id: unknown,
): Promise<ConversationDocument> {
  if (typeof id !== 'string' || !Types.ObjectId.isValid(id)) throw notFound();
  const conversation = await Conversation.findById(id);
  if (!conversation) throw notFound();
  const operators = await operatorsOf(conversation);
  if (!operators.includes(userId)) throw notFound();
  return conversation;
}

export async function handoffQueue(userId: string): Promise<ConversationDocument[]> {
  const agentIds = await operableAgentIds(userId);
  return Conversation.find({
    status: 'handoff',
    $or: [{ agentId: { $in: agentIds } }, { userId, agentId: { $exists: false } }],
  }).sort({ 'handoff.requestedAt': 1 });
}

export async function takeOver(
  events: ConversationEvents,
  user: { id: string; name: string },
  id: unknown,
): Promise<ConversationDocument> {
  const conversation = await getOperableConversation(user.id, id);
  if (conversation.status === 'ended')
    throw new AppError(409, 'CONFLICT', 'This conversation has ended');
  const now = new Date();
  conversation.status = 'handoff';
  conversation.handoff.requested = true;
  conversation.handoff.requestedAt ??= now;
  conversation.handoff.reason ??= 'operator_takeover';
  conversation.handoff.operatorId = new Types.ObjectId(user.id);
  conversation.handoff.takenAt = now;
  conversation.handoff.releasedAt = null;
  await conversation.save();
  await syncFact(conversation);
  events.emit('handoff_taken', {
    conversationId: conversation._id.toString(),
    operatorId: user.id,
    operatorName: user.name,
  });
  return conversation;
}

export async function release(
  events: ConversationEvents,
  userId: string,
  id: unknown,
): Promise<ConversationDocument> {
  const conversation = await getOperableConversation(userId, id);
  if (conversation.status !== 'handoff')
    throw new AppError(409, 'CONFLICT', 'This conversation is not with a human');
  conversation.status = 'active';
  conversation.handoff.releasedAt = new Date();
  conversation.metadata.negativeStreak = 0;
  await conversation.save();
  events.emit('handoff_released', { conversationId: conversation._id.toString() });
  return conversation;
}

/** An operator's reply, stored as the agent's message and delivered to the customer. */
export async function operatorReply(
  events: ConversationEvents,
  user: { id: string; name: string },
  id: unknown,
  text: string,
): Promise<MessageFields> {
  let conversation = await getOperableConversation(user.id, id);
  if (conversation.status === 'ended')
    throw new AppError(409, 'CONFLICT', 'This conversation has ended');
  // Answering is taking over: the AI must not talk over the operator.
  if (
    conversation.status !== 'handoff' ||
    conversation.handoff.operatorId?.toString() !== user.id
  ) {
    conversation = await takeOver(events, user, id);
  }
  const message: MessageFields = {
    _id: new Types.ObjectId(),
    role: 'assistant',
    content: text,
    timestamp: new Date(),
    metadata: { operatorId: new Types.ObjectId(user.id), provider: 'human' },
  };
  await Conversation.updateOne(
    { _id: conversation._id },
    { $push: { messages: message }, $set: { 'metadata.updated': new Date() } },
  );
  events.emit('operator_message', {
    conversationId: conversation._id.toString(),
    message: toWireMessage(message),
  });
  return message;
}
