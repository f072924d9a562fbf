import { Schema, model, type Types } from 'mongoose';

/**
 * One flat row per conversation: the numbers analytics aggregate, kept in step with the
 * conversation by syncFact(). Flat on purpose: FerretDB v1 cannot group on dotted paths, and
 * flat rows keep every aggregation a cheap scan of one small document per conversation.
 */
export interface ConversationFactFields {
  _id: Types.ObjectId;
  userId: Types.ObjectId | null;
  agentId: Types.ObjectId | null;
  /** UTC day of creation, YYYY-MM-DD: the "by day" key. */
  day: string;
  created: Date;
  updated: Date;
  duration: number;
  /** Non-system messages. */
  messages: number;
  customerMessages: number;
  sentiment: string;
  intents: string[];
  companies: string[];
  handoff: boolean;
  firstResponseMs: number | null;
  satisfaction: number | null;
  channel: string;
  status: string;
}

const factSchema = new Schema<ConversationFactFields>(
  {
    userId: { type: Schema.Types.ObjectId, default: null },
    agentId: { type: Schema.Types.ObjectId, default: null },
    day: { type: String, required: true },
    created: { type: Date, required: true },
    updated: { type: Date, required: true },
    duration: { type: Number, default: 0 },
    messages: { type: Number, default: 0 },
    customerMessages: { type: Number, default: 0 },
    sentiment: { type: String, default: 'neutral' },
    intents: { type: [String], default: [] },
    companies: { type: [String], default: [] },
    handoff: { type: Boolean, default: false },
    firstResponseMs: { type: Number, default: null },
    satisfaction: { type: Number, default: null },
    channel: { type: String, default: 'chat' },
    status: { type: String, default: 'active' },
  },
  { versionKey: false },
);

factSchema.index({ userId: 1, day: 1 });
factSchema.index({ userId: 1, agentId: 1, day: 1 });

export const ConversationFact = model<ConversationFactFields>(
  'ConversationFact',
  factSchema,
  'conversation_facts',
);
