import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type {
  AgentProfile,
  AiEngine,
  ChatMessage,
  MessageAnalysis,
  ReplyResult,
} from '../ai/engine';
import { Agent, type AgentDocument } from '../agents/agent.model';
import { toAgentProfile } from '../agents/agent.service';
import { DEMO_AGENT_PROFILE } from '../agents/demo-agent';
import { AppError } from '../http/errors';
import type { Logger } from '../logger';
import type { AudioStore } from '../voice/audio-store';
import {
  durationSeconds,
  estimatedSatisfaction,
  firstResponseMs,
  normaliseSentiment,
} from './conversation-metrics';
import {
  Conversation,
  type Channel,
  type ConversationDocument,
  type MessageFields,
} from './conversation.model';
import type { ConversationEvents } from './events';
import { speak, type AudioPiece, type SpeakMode, type SpokenReply } from './speech';

import {
  DEFAULT_ESCALATION,
  HANDOFF_NOTICE,
  handoffReason,
  type EscalationRules,
} from './handoff-rules';
import { chatOf, toWireMessage } from './conversation.view';
import { syncFact } from '../analytics/facts';

/**
 * The one conversation turn pipeline. Sockets, REST and voice uploads all come through here:
 * check who may write, store the customer's message, analyse, decide on a handoff, reply
 * (streamed), speak, store, and update the conversation's analytics.
 */

export interface TurnDeps {
  ai: AiEngine;
  logger: Logger;
  audio: AudioStore;
  events: ConversationEvents;
}

/**
 * Who is asking: a verified user (REST, or a socket with a token) and/or a socket session's
 * visitor key (every socket has one). Never a userId the client claimed.
 */
export interface Actor {
  userId?: string;
  visitorKey?: string;
}

const conversationNotFound = () => new AppError(404, 'NOT_FOUND', 'Conversation not found');
/** History sent to the AI: enough context for a reply, bounded so prompts stay small. */
const HISTORY_TURNS = 20;
/** Titles are regenerated over the first few customer messages, then kept. */
const TITLE_UNTIL_USER_MESSAGES = 3;

// ---------------------------------------------------------------------------------------------
// Access

/** A conversation the actor may write to, or 404 (also for someone else's: nothing leaks). */
export async function getWritableConversation(
  actor: Actor,
  conversationId: unknown,
): Promise<ConversationDocument> {
  if (typeof conversationId !== 'string' || !Types.ObjectId.isValid(conversationId))
    throw conversationNotFound();
  const conversation = await Conversation.findById(conversationId);
  if (!conversation) throw conversationNotFound();
  // A visitor conversation is listed in the agent owner's history, but only the visitor's own
  // session speaks as the customer in it (the owner answers as an operator, via handoff).
  const asOwner =
    !!actor.userId && !conversation.visitor && conversation.userId?.toString() === actor.userId;
  const asVisitor = !!actor.visitorKey && conversation.visitorKey === actor.visitorKey;
  if (!asOwner && !asVisitor) throw conversationNotFound();
  return conversation;
}

/** The agent behind a conversation as the AI sees it (Sigma for the simulator). */
export async function agentFor(
  conversation: Pick<ConversationDocument, 'agentId' | 'agentSnapshot' | 'channel'>,
): Promise<{ profile: AgentProfile; escalation: EscalationRules; agent: AgentDocument | null }> {
  if (!conversation.agentId)
    return { profile: DEMO_AGENT_PROFILE, escalation: DEFAULT_ESCALATION, agent: null };
  const agent = await Agent.findById(conversation.agentId);
  if (agent) return { profile: toAgentProfile(agent), escalation: agent.escalation, agent };
  // The agent was deleted: keep answering as it, from what the conversation remembers.
  return {
    profile: {
      ...DEMO_AGENT_PROFILE,
      name: conversation.agentSnapshot?.name ?? 'Assistant',
      companyName: conversation.agentSnapshot?.companyName ?? 'our company',
      companyInfo: '',
      prompts: [],
      greeting: undefined,
      knowledge: { faqs: [], policies: [] },
      voice: 'alloy',
    },
    escalation: DEFAULT_ESCALATION,
    agent: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Start

export interface StartInput {
  actor: Actor;
  /** Absent: the demo agent (call simulator). */
  agentId?: string;
  channel: Channel;
  title?: string;
  speak: SpeakMode;
}

export interface StartResult {
  conversation: ConversationDocument;
  welcome: MessageFields;
  speech: SpokenReply;
  visitorKey?: string;
}

export function greetingFor(profile: AgentProfile): string {
  return (
    profile.greeting?.trim() ||
    `Hi, I'm ${profile.name} from ${profile.companyName}. How can I help you today?`
  );
}

/**
 * Who owns a new conversation: a user owns what they start with their own agent (or the demo);
 * a customer's chat with someone else's public agent belongs to the agent's owner, marked
 * visitor and writable only by the customer's socket session; a visitor's demo chat belongs to
 * no account. Never the client's claimed userId.
 */
async function resolveOwnership(actor: Actor, agentId: string | undefined) {
  if (!agentId) {
    if (actor.userId) return { owner: actor.userId, agent: null, visitor: false };
    return { owner: undefined, agent: null, visitor: true };
  }
  const agent = Types.ObjectId.isValid(agentId) ? await Agent.findById(agentId) : null;
  if (!agent) throw new AppError(404, 'NOT_FOUND', 'Agent not found');
  const ownerId = agent.userId.toString();
  if (actor.userId === ownerId) return { owner: ownerId, agent, visitor: false };
  if (agent.isPublic && actor.visitorKey) return { owner: ownerId, agent, visitor: true };
  throw new AppError(404, 'NOT_FOUND', 'Agent not found');
}

export async function startConversation(deps: TurnDeps, input: StartInput): Promise<StartResult> {
  const { owner, agent, visitor } = await resolveOwnership(input.actor, input.agentId);
  if (visitor && !input.actor.visitorKey) throw new AppError(404, 'NOT_FOUND', 'Agent not found');
  const profile = agent ? toAgentProfile(agent) : DEMO_AGENT_PROFILE;
  const now = new Date();
  const welcome = {
    _id: new Types.ObjectId(),
    role: 'assistant' as const,
    content: greetingFor(profile),
    timestamp: now,
  };
  const visitorKey = visitor ? input.actor.visitorKey : undefined;
  const conversation = await Conversation.create({
    userId: owner,
    agentId: agent?._id,
    title:
      input.title?.trim() ||
      `Chat with ${profile.name} at ${now.toISOString().slice(0, 16).replace('T', ' ')}`,
    messages: [welcome],
    metadata: {
      created: now,
      updated: now,
      sentiment: 'neutral',
      duration: 0,
      intents: [],
      messageCount: 1,
    },
    channel: input.channel,
    visitor,
    visitorKey,
    agentSnapshot: { name: profile.name, companyName: profile.companyName },
  });
  await syncFact(conversation);
  const speech = await speak(deps, welcome.content, profile.voice, input.speak);
  return { conversation, welcome, speech, visitorKey };
}

// ---------------------------------------------------------------------------------------------
// A customer message

export interface TurnInput {
  actor: Actor;
  conversationId: unknown;
  text: string;
  clientMessageId?: string;
  /** The customer's recorded audio, already stored (voice uploads). */
  userAudioUrl?: string;
  speak: SpeakMode;
  onDelta?: (delta: string, index: number) => void;
  /**
   * Called once the reply is stored and spoken, before the conversation's analytics are
   * refreshed: a socket answers here, so title and sentiment work never delays the customer.
   */
  onReply?: (reply: MessageFields, speech: SpokenReply, isDemo: boolean) => void;
  /** Each spoken sentence of the reply, in order, as soon as it is ready (voice clients). */
  onAudio?: (piece: AudioPiece) => void;
  signal?: AbortSignal;
}

export interface TurnResult {
  conversationId: string;
  userMessage: MessageFields;
  /** null while a human has the conversation: the AI stays silent. */
  reply: MessageFields | null;
  speech: SpokenReply;
  analysis: MessageAnalysis;
  /** Set when this turn handed the conversation to a human. */
  handoffReason: string | null;
  /** The same clientMessageId was seen before: nothing new was stored. */
  duplicate: boolean;
  status: string;
  title: string;
  /** A chat with the demo agent (no agentId). */
  isDemo: boolean;
}

const toChat = (messages: MessageFields[]): ChatMessage[] => chatOf(messages, HISTORY_TURNS);

function duplicateResult(
  conversation: ConversationDocument,
  clientMessageId: string,
): TurnResult | null {
  const index = conversation.messages.findIndex((m) => m.clientMessageId === clientMessageId);
  if (index === -1) return null;
  const userMessage = conversation.messages[index]!;
  const reply = conversation.messages.slice(index + 1).find((m) => m.role === 'assistant') ?? null;
  const meta = userMessage.metadata;
  return {
    conversationId: conversation._id.toString(),
    userMessage,
    reply,
    speech: reply?.audioUrl ? { audioUrl: reply.audioUrl } : {},
    analysis: {
      intent: (meta?.intent ?? 'general') as MessageAnalysis['intent'],
      fineIntent: meta?.fineIntent ?? null,
      sentiment: normaliseSentiment(meta?.sentiment),
      polarity: 'neutral',
      urgent: !!meta?.urgent,
      wantsHuman: !!meta?.wantsHuman,
      companies: meta?.companies ?? [],
      language: meta?.language ?? 'und',
      confidence: meta?.confidence ?? 0,
    },
    handoffReason: null,
    duplicate: true,
    status: conversation.status,
    title: conversation.title,
    isDemo: !conversation.agentId,
  };
}

export async function handleCustomerMessage(deps: TurnDeps, input: TurnInput): Promise<TurnResult> {
  const conversation = await getWritableConversation(input.actor, input.conversationId);
  if (conversation.status === 'ended') {
    throw new AppError(409, 'CONFLICT', 'This conversation has ended; start a new one');
  }
  if (input.clientMessageId) {
    const seen = duplicateResult(conversation, input.clientMessageId);
    if (seen) return seen;
  }
  const { profile, escalation } = await agentFor(conversation);
  const history = toChat(conversation.messages);
  const analysis = await deps.ai.analyse({ text: input.text, agent: profile });

  const userMessage: MessageFields = {
    _id: new Types.ObjectId(),
    role: 'user',
    content: input.text,
    timestamp: new Date(),
    audioUrl: input.userAudioUrl,
    clientMessageId: input.clientMessageId,
    metadata: {
      intent: analysis.intent,
      fineIntent: analysis.fineIntent,
      sentiment: analysis.sentiment,
      confidence: analysis.confidence,
      urgent: analysis.urgent,
      wantsHuman: analysis.wantsHuman,
      language: analysis.language,
      companies: analysis.companies,
    },
  };
  const negative = analysis.sentiment === 'negative' || analysis.sentiment === 'urgent';
  const negativeStreak = negative ? (conversation.metadata?.negativeStreak ?? 0) + 1 : 0;

  // While a human has the conversation the AI says nothing; the operator sees the message.
  if (conversation.status === 'handoff') {
    await appendMessages(conversation, [userMessage], { negativeStreak });
    deps.events.emit('customer_message', {
      conversationId: conversation._id.toString(),
      message: toWireMessage(userMessage),
    });
    const saved = await refreshAnalytics(deps, conversation._id, profile, false);
    return {
      conversationId: conversation._id.toString(),
      userMessage,
      reply: null,
      speech: {},
      analysis,
      handoffReason: null,
      duplicate: false,
      status: 'handoff',
      title: saved?.title ?? conversation.title,
      isDemo: !conversation.agentId,
    };
  }

  const reason = handoffReason(escalation, input.text, analysis, negativeStreak);
  const started = Date.now();
  let result: ReplyResult;
  if (reason) {
    result = { text: HANDOFF_NOTICE[reason], action: 'handoff', sources: [] };
    input.onDelta?.(result.text, 0);
  } else {
    let index = 0;
    result = await deps.ai.reply(
      { agent: profile, history, message: input.text, analysis },
      { onDelta: (delta) => input.onDelta?.(delta, index++), signal: input.signal },
    );
  }
  const handoffNow = reason ?? (result.action === 'handoff' ? 'ai_decision' : null);
  const speech = await speak(deps, result.text, profile.voice, input.speak, input.onAudio);

  const reply: MessageFields = {
    _id: new Types.ObjectId(),
    role: 'assistant',
    content: result.text,
    timestamp: new Date(),
    audioUrl: speech.audioUrl,
    metadata: {
      action: handoffNow ? 'handoff' : result.action,
      sources: result.sources,
      provider: reason ? 'rules' : (result.provider ?? deps.ai.name),
      latencyMs: Date.now() - started,
    },
  };
  await appendMessages(conversation, [userMessage, reply], {
    negativeStreak,
    tokens: result.usage,
    handoff: handoffNow,
  });
  if (handoffNow) {
    deps.events.emit('handoff_requested', {
      conversationId: conversation._id.toString(),
      ownerId: conversation.userId?.toString() ?? null,
      agentId: conversation.agentId?.toString() ?? null,
      reason: handoffNow,
      title: conversation.title,
    });
  }
  input.onReply?.(reply, speech, !conversation.agentId);
  const saved = await refreshAnalytics(deps, conversation._id, profile, true);
  return {
    conversationId: conversation._id.toString(),
    userMessage,
    reply,
    speech,
    analysis,
    handoffReason: handoffNow,
    duplicate: false,
    status: handoffNow ? 'handoff' : 'active',
    title: saved?.title ?? conversation.title,
    isDemo: !conversation.agentId,
  };
}

/** Atomic append ($push), so two turns on one conversation never overwrite each other. */
async function appendMessages(
  conversation: ConversationDocument,
  messages: MessageFields[],
  extra: {
    negativeStreak: number;
    tokens?: { promptTokens: number; completionTokens: number };
    handoff?: string | null;
  },
): Promise<void> {
  const set: Record<string, unknown> = {
    'metadata.updated': new Date(),
    'metadata.negativeStreak': extra.negativeStreak,
  };
  if (extra.handoff) {
    set.status = 'handoff';
    set['handoff.requested'] = true;
    set['handoff.reason'] = extra.handoff;
    set['handoff.requestedAt'] = new Date();
    set['handoff.operatorId'] = null;
    set['handoff.takenAt'] = null;
    set['handoff.releasedAt'] = null;
  }
  const inc: Record<string, number> = {};
  if (extra.tokens) {
    inc['metadata.tokens.prompt'] = extra.tokens.promptTokens;
    inc['metadata.tokens.completion'] = extra.tokens.completionTokens;
  }
  await Conversation.updateOne(
    { _id: conversation._id },
    { $push: { messages: { $each: messages } }, $set: set, ...(extra.tokens ? { $inc: inc } : {}) },
  );
}

/**
 * Recomputes the conversation's analytics from its messages: duration, message count, intents,
 * companies, first-response time, overall sentiment, satisfaction estimate, and (early on) title.
 */
export async function refreshAnalytics(
  deps: Pick<TurnDeps, 'ai'>,
  conversationId: Types.ObjectId,
  profile: AgentProfile,
  retitle: boolean,
): Promise<ConversationDocument | null> {
  const conversation = await Conversation.findById(conversationId);
  if (!conversation) return null;
  const messages = conversation.messages;
  const customer = messages.filter((m) => m.role === 'user');
  const chat = toChat(messages);
  const intents = [
    ...new Set(customer.map((m) => m.metadata?.intent).filter((i): i is string => !!i)),
  ];
  const companies = [...new Set(customer.flatMap((m) => m.metadata?.companies ?? []))];
  const sentiment =
    customer.length > 0 ? normaliseSentiment(await deps.ai.overallSentiment(chat)) : 'neutral';
  const set: Record<string, unknown> = {
    'metadata.duration': durationSeconds(messages),
    'metadata.messageCount': messages.filter((m) => m.role !== 'system').length,
    'metadata.intents': intents,
    'metadata.companies': companies,
    'metadata.firstResponseMs': firstResponseMs(messages),
    'metadata.sentiment': sentiment,
    'metadata.updated': new Date(),
  };
  if (conversation.metadata?.satisfactionSource !== 'rating' && customer.length > 0) {
    set['metadata.satisfaction'] = estimatedSatisfaction(sentiment);
    set['metadata.satisfactionSource'] = 'estimate';
  }
  if (retitle && customer.length > 0 && customer.length <= TITLE_UNTIL_USER_MESSAGES) {
    set.title = await deps.ai.title({ agent: profile, messages: chat });
  }
  const saved = await Conversation.findByIdAndUpdate(conversationId, { $set: set }, { new: true });
  if (saved) await syncFact(saved);
  return saved;
}

// ---------------------------------------------------------------------------------------------
// Speech

// ---------------------------------------------------------------------------------------------
// Preview (POST /api/agents/:id/test): the same analyse + decide + reply, nothing stored.

export async function previewTurn(
  deps: Pick<TurnDeps, 'ai'>,
  agent: AgentDocument,
  message: string,
  history: ChatMessage[],
): Promise<{
  reply: string;
  action: string;
  sources: string[];
  analysis: MessageAnalysis;
  handoffReason: string | null;
}> {
  const profile = toAgentProfile(agent);
  const analysis = await deps.ai.analyse({ text: message, agent: profile });
  const negative = analysis.sentiment === 'negative' || analysis.sentiment === 'urgent';
  const reason = handoffReason(agent.escalation, message, analysis, negative ? 1 : 0);
  if (reason) {
    return {
      reply: HANDOFF_NOTICE[reason],
      action: 'handoff',
      sources: [],
      analysis,
      handoffReason: reason,
    };
  }
  const result = await deps.ai.reply({ agent: profile, history, message, analysis });
  return {
    reply: result.text,
    action: result.action,
    sources: result.sources,
    analysis,
    handoffReason: null,
  };
}

export const newVisitorKey = () => randomUUID();
