import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export const CONVERSATION_STATUSES = ['active', 'handoff', 'ended'] as const;
export const CHANNELS = ['chat', 'simulator', 'voice', 'api'] as const;

export interface MessageMeta {
  intent?: string | null;
  fineIntent?: string | null;
  sentiment?: string | null;
  confidence?: number | null;
  urgent?: boolean | null;
  wantsHuman?: boolean | null;
  language?: string | null;
  companies?: string[];
  sources?: string[];
  action?: string | null;
  provider?: string | null;
  latencyMs?: number | null;
  operatorId?: Types.ObjectId | null;
}

export type MessageRole = 'user' | 'assistant' | 'system';

export interface MessageFields {
  _id: Types.ObjectId;
  role: MessageRole;
  content: string;
  timestamp: Date;
  audioUrl?: string;
  clientMessageId?: string;
  metadata?: MessageMeta;
}

export type Status = (typeof CONVERSATION_STATUSES)[number];
export type Channel = (typeof CHANNELS)[number];

export interface ConversationFields {
  userId?: Types.ObjectId;
  agentId?: Types.ObjectId;
  title: string;
  messages: Types.DocumentArray<MessageFields>;
  metadata: {
    duration: number;
    sentiment: string;
    intents: string[];
    companies: string[];
    created: Date;
    updated: Date;
    messageCount: number;
    firstResponseMs: number | null;
    satisfaction: number | null;
    satisfactionSource: 'rating' | 'estimate' | null;
    negativeStreak: number;
    tokens: { prompt: number; completion: number };
  };
  status: Status;
  channel: Channel;
  visitor: boolean;
  visitorKey?: string;
  handoff: {
    requested: boolean;
    reason: string | null;
    requestedAt: Date | null;
    operatorId: Types.ObjectId | null;
    takenAt: Date | null;
    releasedAt: Date | null;
  };
  agentSnapshot: { name: string | null; companyName: string | null };
  agentDeleted: boolean;
  voice: {
    roomName: string | null;
    participants?: string[];
    startedAt: Date | null;
    endedAt: Date | null;
  };
  createdAt: Date;
  updatedAt: Date;
}

/** Per-message analysis and provenance (customer messages: analysis; replies: how they were made). */
const messageMetaSchema = new Schema<MessageMeta>(
  {
    intent: { type: String, default: null },
    fineIntent: { type: String, default: null },
    sentiment: { type: String, default: null },
    confidence: { type: Number, default: null },
    urgent: { type: Boolean, default: null },
    wantsHuman: { type: Boolean, default: null },
    language: { type: String, default: null },
    companies: { type: [String], default: undefined },
    sources: { type: [String], default: undefined },
    action: { type: String, default: null },
    provider: { type: String, default: null },
    latencyMs: { type: Number, default: null },
    /** Set on operator replies: who answered. */
    operatorId: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

const messageSchema = new Schema<MessageFields>({
  role: { type: String, enum: ['user', 'assistant', 'system'], required: true },
  content: { type: String, required: true, maxlength: 20000 },
  timestamp: { type: Date, default: () => new Date() },
  audioUrl: { type: String, default: undefined },
  /** The client's id for this message: a resend with the same id is not a new turn. */
  clientMessageId: { type: String, default: undefined },
  metadata: { type: messageMetaSchema, default: undefined },
});

const conversationSchema = new Schema<ConversationFields>(
  {
    /**
     * The owner: the signed-in user, or for visitor chats the agent's owner. Absent only for a
     * visitor's chat with the demo agent, which belongs to no account.
     */
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: undefined },
    agentId: { type: Schema.Types.ObjectId, ref: 'Agent', default: undefined },
    title: { type: String, required: true, default: 'New Conversation', maxlength: 200 },
    messages: { type: [messageSchema], default: [] },
    metadata: {
      duration: { type: Number, default: 0 },
      sentiment: { type: String, default: 'neutral' },
      intents: { type: [String], default: [] },
      companies: { type: [String], default: [] },
      created: { type: Date, default: () => new Date() },
      updated: { type: Date, default: () => new Date() },
      messageCount: { type: Number, default: 0 },
      /** Milliseconds from the first customer message to the first reply after it. */
      firstResponseMs: { type: Number, default: null },
      /** 1-5: the customer's own rating when given, else estimated from sentiment (README). */
      satisfaction: { type: Number, default: null },
      satisfactionSource: { type: String, enum: ['rating', 'estimate', null], default: null },
      negativeStreak: { type: Number, default: 0 },
      tokens: {
        prompt: { type: Number, default: 0 },
        completion: { type: Number, default: 0 },
      },
    },
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'active' },
    channel: { type: String, enum: CHANNELS, default: 'chat' },
    /** Started by an unauthenticated socket (a customer of a public agent). */
    visitor: { type: Boolean, default: false },
    /** Which visitor socket session may write to it (never sent: views strip it). */
    visitorKey: { type: String, default: undefined },
    handoff: {
      requested: { type: Boolean, default: false },
      reason: { type: String, default: null },
      requestedAt: { type: Date, default: null },
      operatorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
      takenAt: { type: Date, default: null },
      releasedAt: { type: Date, default: null },
    },
    /** Kept when the agent is deleted, so history still says who answered. */
    agentSnapshot: {
      name: { type: String, default: null },
      companyName: { type: String, default: null },
    },
    agentDeleted: { type: Boolean, default: false },
    /** For LiveKit calls: the room and its participants. */
    voice: {
      roomName: { type: String, default: null },
      participants: { type: [String], default: undefined },
      startedAt: { type: Date, default: null },
      endedAt: { type: Date, default: null },
    },
  },
  { timestamps: true },
);

conversationSchema.index({ userId: 1, 'metadata.created': -1 });
conversationSchema.index({ userId: 1, agentId: 1, 'metadata.created': -1 });
conversationSchema.index({ agentId: 1, status: 1 });
conversationSchema.index({ 'voice.roomName': 1 });

export type ConversationDocument = HydratedDocument<ConversationFields>;
export const Conversation = model<ConversationFields>('Conversation', conversationSchema);
