import { Schema, model, Types } from 'mongoose';

/**
 * Refresh tokens rotate: each use spends the token and issues the next one of the same family.
 * Presenting a spent token means it was stolen or replayed, so the whole family is revoked.
 * Only a SHA-256 hash of the token is stored.
 */
const refreshTokenSchema = new Schema(
  {
    userId: { type: Types.ObjectId, ref: 'User', required: true },
    family: { type: String, required: true },
    tokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    spentAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

refreshTokenSchema.index({ tokenHash: 1 }, { unique: true });
refreshTokenSchema.index({ family: 1 });
refreshTokenSchema.index({ userId: 1 });

export const RefreshToken = model('RefreshToken', refreshTokenSchema);
