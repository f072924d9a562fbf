import { Schema, model, type Types } from 'mongoose';

/**
 * Who created which LiveKit room. LiveKit itself has no notion of our users, so this record is
 * what makes "list my rooms", "delete my room" and "whose call history gets this call" possible.
 * The room name is unique: the first user to create a name owns it until they delete it.
 */
export interface LivekitRoomFields {
  roomName: string;
  ownerId: Types.ObjectId;
  createdAt: Date;
}

const livekitRoomSchema = new Schema<LivekitRoomFields>(
  {
    roomName: { type: String, required: true, unique: true, maxlength: 128 },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { collection: 'livekit_rooms', versionKey: false },
);
livekitRoomSchema.index({ ownerId: 1, createdAt: -1 });

export const LivekitRoom = model<LivekitRoomFields>('LivekitRoom', livekitRoomSchema);

/**
 * One LiveKit room session (one room sid) as seen through webhooks: the bookkeeping behind the
 * voice Conversation it produces. Kept apart from Conversation so webhook retries can be detected
 * (eventIds) and out-of-order events merged ($min/$max/$addToSet) without new conversation fields.
 */
export interface LivekitCallFields {
  roomSid: string;
  roomName: string;
  ownerId: Types.ObjectId;
  conversationId: Types.ObjectId;
  /** Ids of the webhook events already applied: a retried delivery is recognised and skipped. */
  eventIds: string[];
  /** Participant identities (our user ids for tokens minted here) that joined. */
  participants: string[];
  // No defaults: $min/$max only set a missing field, a null would win every comparison.
  startedAt?: Date;
  endedAt?: Date;
}

const livekitCallSchema = new Schema<LivekitCallFields>(
  {
    roomSid: { type: String, required: true, unique: true },
    roomName: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    eventIds: { type: [String], default: [] },
    participants: { type: [String], default: [] },
    startedAt: { type: Date },
    endedAt: { type: Date },
  },
  { collection: 'livekit_calls', versionKey: false, timestamps: true },
);

export const LivekitCall = model<LivekitCallFields>('LivekitCall', livekitCallSchema);
