import { Types } from 'mongoose';
import type { AiEngine } from '../ai/engine';
import { removeFacts, syncFact } from '../analytics/facts';
import { AppError } from '../http/errors';
import type { AudioStore } from '../voice/audio-store';
import { durationSeconds, estimatedSatisfaction, normaliseSentiment } from './conversation-metrics';
import { Conversation, type ConversationDocument } from './conversation.model';
import type { ConversationEvents } from './events';
import { chatOf } from './conversation.view';
import { agentFor, getWritableConversation, type Actor } from './turn';

const notFound = () => new AppError(404, 'NOT_FOUND', 'Conversation not found');

/** A conversation the caller owns, or the same 404 as for a missing one. */
export async function getOwnedConversation(
  userId: string,
  id: string,
): Promise<ConversationDocument> {
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const conversation = await Conversation.findOne({ _id: id, userId });
  if (!conversation) throw notFound();
  return conversation;
}

export interface ListQuery {
  agentId?: string;
  status?: string;
  limit: number;
  cursor?: string;
}

/** Cursor = the last item's (metadata.created, _id), base64url: stable under inserts. */
export function encodeCursor(c: ConversationDocument): string {
  return Buffer.from(`${c.metadata.created.toISOString()}|${c._id.toString()}`).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): { created: Date; id: Types.ObjectId } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const created = new Date(iso ?? '');
  if (!id || !Types.ObjectId.isValid(id) || Number.isNaN(created.getTime())) {
    throw new AppError(400, 'VALIDATION_FAILED', 'Invalid cursor');
  }
  return { created, id: new Types.ObjectId(id) };
}

export async function listConversations(
  userId: string,
  q: ListQuery,
): Promise<{ items: ConversationDocument[]; nextCursor: string | null }> {
  const filter: Record<string, unknown> = { userId };
  if (q.agentId) filter.agentId = q.agentId;
  if (q.status) filter.status = q.status;
  if (q.cursor) {
    const { created, id } = decodeCursor(q.cursor);
    filter.$or = [
      { 'metadata.created': { $lt: created } },
      { 'metadata.created': created, _id: { $lt: id } },
    ];
  }
  const rows = await Conversation.find(filter)
    .sort({ 'metadata.created': -1, _id: -1 })
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return {
    items,
    nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!) : null,
  };
}

function audioUrlsOf(c: ConversationDocument): string[] {
  return c.messages.map((m) => m.audioUrl).filter((u): u is string => !!u);
}

/** Deletes the conversation, its analytics row and every audio file it references. */
export async function deleteConversation(
  audio: AudioStore,
  userId: string,
  id: string,
): Promise<void> {
  const conversation = await getOwnedConversation(userId, id);
  await Conversation.deleteOne({ _id: conversation._id });
  await removeFacts([conversation._id]);
  await audio.remove(audioUrlsOf(conversation));
}

interface Deps {
  ai: AiEngine;
  events: ConversationEvents;
}

/** Final title, sentiment and duration from the whole conversation. */
async function finalise(deps: Pick<Deps, 'ai'>, c: ConversationDocument): Promise<void> {
  const chat = chatOf(c.messages);
  const hasCustomer = chat.some((m) => m.role === 'user');
  if (hasCustomer) {
    const { profile } = await agentFor(c);
    const [title, sentiment] = await Promise.all([
      deps.ai.title({ agent: profile, messages: chat }),
      deps.ai.overallSentiment(chat),
    ]);
    c.title = title;
    c.metadata.sentiment = normaliseSentiment(sentiment);
    c.metadata.duration = durationSeconds(c.messages);
    if (c.metadata.satisfactionSource !== 'rating') {
      c.metadata.satisfaction = estimatedSatisfaction(normaliseSentiment(sentiment));
      c.metadata.satisfactionSource = 'estimate';
    }
  }
  c.metadata.updated = new Date();
}

export async function endConversation(
  deps: Deps,
  userId: string,
  id: string,
): Promise<ConversationDocument> {
  return endLoaded(deps, await getOwnedConversation(userId, id));
}

/** The customer's own session ends it (socket end_conversation). */
export async function endAsCustomer(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<ConversationDocument> {
  return endLoaded(deps, await getWritableConversation(actor, id));
}

async function endLoaded(
  deps: Deps,
  conversation: ConversationDocument,
): Promise<ConversationDocument> {
  await finalise(deps, conversation);
  conversation.status = 'ended';
  await conversation.save();
  await syncFact(conversation);
  deps.events.emit('conversation_ended', { conversationId: conversation._id.toString() });
  return conversation;
}

/** Recomputes sentiment and duration for every conversation of the caller with customer messages. */
export async function reanalyseAll(deps: Pick<Deps, 'ai'>, userId: string) {
  const cursor = Conversation.find({ userId, 'messages.role': 'user' }).cursor();
  let total = 0;
  let updated = 0;
  for await (const conversation of cursor) {
    total += 1;
    const chat = chatOf(conversation.messages);
    const sentiment = normaliseSentiment(await deps.ai.overallSentiment(chat));
    const duration = durationSeconds(conversation.messages);
    if (
      sentiment !== conversation.metadata.sentiment ||
      duration !== conversation.metadata.duration
    ) {
      conversation.metadata.sentiment = sentiment;
      conversation.metadata.duration = duration;
      await conversation.save();
      updated += 1;
    }
    await syncFact(conversation);
  }
  return { totalConversations: total, updatedConversations: updated };
}

export async function updateConversation(
  userId: string,
  id: string,
  input: { title?: string; status?: 'active' | 'ended' },
): Promise<ConversationDocument> {
  const conversation = await getOwnedConversation(userId, id);
  if (input.title !== undefined) conversation.title = input.title;
  if (input.status !== undefined) conversation.status = input.status;
  conversation.metadata.updated = new Date();
  await conversation.save();
  await syncFact(conversation);
  return conversation;
}

export async function retitle(
  deps: Pick<Deps, 'ai'>,
  userId: string,
  id: string,
  title?: string,
): Promise<string> {
  const conversation = await getOwnedConversation(userId, id);
  if (title === undefined) {
    const { profile } = await agentFor(conversation);
    const chat = chatOf(conversation.messages);
    title =
      chat.length > 0
        ? await deps.ai.title({ agent: profile, messages: chat })
        : conversation.title;
  }
  conversation.title = title;
  await conversation.save();
  return title;
}

/** The customer's own rating (1-5) replaces the sentiment-based estimate. */
export async function rateConversation(
  userId: string,
  id: string,
  rating: number,
): Promise<ConversationDocument> {
  const conversation = await getOwnedConversation(userId, id);
  conversation.metadata.satisfaction = rating;
  conversation.metadata.satisfactionSource = 'rating';
  await conversation.save();
  await syncFact(conversation);
  return conversation;
}

/** A rating from the customer's own session (socket), for visitor chats too. */
export async function rateAsCustomer(actor: Actor, id: string, rating: number): Promise<void> {
  const conversation = await getWritableConversation(actor, id);
  conversation.metadata.satisfaction = rating;
  conversation.metadata.satisfactionSource = 'rating';
  await conversation.save();
  await syncFact(conversation);
}
