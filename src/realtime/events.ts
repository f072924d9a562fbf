import type { AuthUser } from '../auth/auth.types';

/** Socket.io event contracts. Payloads from clients are `unknown` until validated. */

export interface AudioPayload {
  audioData?: string;
  audioType?: 'audio/mpeg';
}

export interface DemoAgentWire {
  name: string;
  company: string;
  personality: string;
}

export interface Ack {
  ok: boolean;
  conversationId?: string;
  messageId?: string | null;
  userMessageId?: string;
  duplicate?: boolean;
  error?: string;
  code?: string;
}

export type AckFn = (ack: Ack) => void;

export interface ServerToClientEvents {
  conversation_started: (p: {
    conversationId: string;
    welcomeMessage: { role: 'assistant'; content: string; timestamp: string } & AudioPayload;
    demoAgent?: DemoAgentWire;
  }) => void;
  typing: (typing: boolean) => void;
  ai_response_chunk: (p: { conversationId: string; index: number; delta: string }) => void;
  /** The reply spoken sentence by sentence, in order, before ai_response carries it whole. */
  ai_audio_chunk: (p: {
    conversationId: string;
    index: number;
    text: string;
    audioData: string;
    audioType: 'audio/mpeg';
    final: boolean;
  }) => void;
  ai_response: (
    p: {
      message: string;
      conversationId: string;
      messageId: string | null;
      demoAgent?: DemoAgentWire;
      operator?: boolean;
    } & AudioPayload,
  ) => void;
  error: (p: { message: string; details?: string; code?: string }) => void;
  handoff_started: (p: { conversationId: string; reason: string }) => void;
  handoff_requested: (p: {
    conversationId: string;
    reason: string;
    title: string;
    agentId: string | null;
  }) => void;
  handoff_taken: (p: { conversationId: string; operatorId: string; operatorName: string }) => void;
  handoff_released: (p: { conversationId: string }) => void;
  customer_message: (p: {
    conversationId: string;
    message: { _id: string; role: string; content: string; timestamp: string };
  }) => void;
  operator_message: (p: {
    conversationId: string;
    message: { _id: string; role: string; content: string; timestamp: string };
  }) => void;
  customer_typing: (p: { conversationId: string; typing: boolean }) => void;
  conversation_history: (p: {
    conversationId: string;
    status: string;
    messages: Array<{ _id: string; role: string; content: string; timestamp: string }>;
  }) => void;
  conversation_ended: (p: { conversationId: string }) => void;
}

/** Client events carry unknown payloads: every handler validates before use. */
export interface ClientToServerEvents {
  start_conversation: (payload: unknown, ack?: unknown) => void;
  user_message: (payload: unknown, ack?: unknown) => void;
  customer_typing: (payload: unknown) => void;
  rate_conversation: (payload: unknown, ack?: unknown) => void;
  end_conversation: (payload: unknown, ack?: unknown) => void;
  join_conversation: (payload: unknown, ack?: unknown) => void;
  leave_conversation: (payload: unknown, ack?: unknown) => void;
  operator_message: (payload: unknown, ack?: unknown) => void;
  operator_typing: (payload: unknown) => void;
  release_conversation: (payload: unknown, ack?: unknown) => void;
}

export interface SocketData {
  user: AuthUser | null;
  /** Random per connection: what makes a visitor the writer of its own conversations. */
  visitorKey: string;
  ip: string;
  /** Conversations this socket started (visitors may only write to these). */
  conversations: Set<string>;
  /** false when the client asked for text only (handshake auth.audio or ?audio=false). */
  wantsAudio: boolean;
  /** true when the client plays ai_audio_chunk pieces (handshake auth.audioChunks or ?audioChunks=true). */
  audioChunks: boolean;
}
