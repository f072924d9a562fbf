import { EventEmitter } from 'node:events';

/**
 * Domain events of conversations, published by the turn pipeline and the handoff service and
 * consumed by the realtime layer (operators' sockets). In-process; with several instances the
 * Socket.io Redis adapter carries the resulting emits (README, scale-out).
 */
export interface ConversationEventMap {
  handoff_requested: [
    {
      conversationId: string;
      ownerId: string | null;
      agentId: string | null;
      reason: string;
      title: string;
    },
  ];
  handoff_taken: [{ conversationId: string; operatorId: string; operatorName: string }];
  handoff_released: [{ conversationId: string }];
  customer_message: [{ conversationId: string; message: WireMessage }];
  operator_message: [{ conversationId: string; message: WireMessage }];
  conversation_ended: [{ conversationId: string }];
}

export interface WireMessage {
  _id: string;
  role: string;
  content: string;
  timestamp: string;
  audioUrl?: string;
}

export class ConversationEvents extends EventEmitter<ConversationEventMap> {}
