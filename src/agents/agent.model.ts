import { Schema, model, Types, type HydratedDocument } from 'mongoose';

export const RESPONSE_STYLES = ['formal', 'casual', 'friendly', 'professional'] as const;
export const VOICES = [
  'alloy',
  'ash',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
] as const;

const faqSchema = new Schema(
  {
    question: { type: String, required: true, trim: true, maxlength: 500 },
    answer: { type: String, required: true, trim: true, maxlength: 4000 },
  },
  { _id: false },
);

const policySchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 200 },
    text: { type: String, required: true, trim: true, maxlength: 8000 },
  },
  { _id: false },
);

export interface AgentFields {
  name: string;
  companyName: string;
  personality: string;
  companyInfo: string;
  prompts: string[];
  userId: Types.ObjectId;
  responseStyle: (typeof RESPONSE_STYLES)[number];
  settings: { maxTokens: number; temperature: number };
  voice: (typeof VOICES)[number];
  avatar: string | null;
  greeting: string | null;
  knowledge: {
    faqs: Array<{ question: string; answer: string }>;
    policies: Array<{ title: string; text: string }>;
  };
  escalation: { onRequest: boolean; onUrgent: boolean; negativeStreak: number; keywords: string[] };
  isPublic: boolean;
  operators: Types.ObjectId[];
  createdAt: Date;
  updatedAt: Date;
}

const agentSchema = new Schema<AgentFields>(
  {
    // The frontend's five fields.
    name: { type: String, required: true, trim: true, maxlength: 50 },
    companyName: { type: String, required: true, trim: true, maxlength: 100 },
    personality: { type: String, required: true, trim: true, maxlength: 2000 },
    companyInfo: { type: String, required: true, trim: true, maxlength: 10000 },
    prompts: { type: [{ type: String, trim: true, maxlength: 2000 }], default: [] },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // What a real product needs on top.
    responseStyle: { type: String, enum: RESPONSE_STYLES, default: 'friendly' },
    settings: {
      maxTokens: { type: Number, min: 16, max: 4096, default: 400 },
      temperature: { type: Number, min: 0, max: 2, default: 0.7 },
    },
    voice: { type: String, enum: VOICES, default: 'alloy' },
    avatar: { type: String, default: null, maxlength: 500 },
    greeting: { type: String, default: null, trim: true, maxlength: 500 },
    knowledge: {
      faqs: { type: [faqSchema], default: [] },
      policies: { type: [policySchema], default: [] },
    },
    escalation: {
      /** Hand off when the customer asks for a person. */
      onRequest: { type: Boolean, default: true },
      /** Hand off when a message is urgent. */
      onUrgent: { type: Boolean, default: true },
      /** Hand off after this many negative customer messages in a row (0 = never). */
      negativeStreak: { type: Number, min: 0, max: 20, default: 3 },
      /** Hand off when a customer message contains one of these phrases (whole words). */
      keywords: { type: [{ type: String, trim: true, maxlength: 100 }], default: [] },
    },
    /** Customers may chat with a public agent without an account (visitor sockets). */
    isPublic: { type: Boolean, default: true },
    /** Other users (by id) who may take over this agent's conversations as operators. */
    operators: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
  },
  { timestamps: true },
);

agentSchema.index({ userId: 1, createdAt: -1 });
agentSchema.index({ operators: 1 });

export type AgentDocument = HydratedDocument<AgentFields>;
export const Agent = model<AgentFields>('Agent', agentSchema);
