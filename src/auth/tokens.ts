import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import { AppError } from '../http/errors';
import { RefreshToken } from './refresh-token.model';

export interface AccessClaims {
  userId: string;
  tv: number;
}

type AuthConfig = Config['auth'];

/** HS256 access token with the frontend's payload shape ({ userId, iat, exp }) plus a token version. */
export function signAccessToken(auth: AuthConfig, userId: string, tokenVersion: number): string {
  return jwt.sign({ userId, tv: tokenVersion }, auth.jwtSecret, {
    algorithm: 'HS256',
    expiresIn: auth.jwtExpiresIn as jwt.SignOptions['expiresIn'],
  });
}

/** Returns the claims of a valid token, or null: callers decide what a bad token means. */
export function verifyAccessToken(auth: AuthConfig, token: string): AccessClaims | null {
  try {
    const payload = jwt.verify(token, auth.jwtSecret, { algorithms: ['HS256'] });
    if (typeof payload !== 'object' || typeof payload.userId !== 'string') return null;
    return { userId: payload.userId, tv: typeof payload.tv === 'number' ? payload.tv : 0 };
  } catch {
    return null;
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(
  auth: AuthConfig,
  userId: string,
  family: string = randomUUID(),
): Promise<string> {
  const token = randomBytes(48).toString('base64url');
  await RefreshToken.create({
    userId,
    family,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + auth.refreshTokenTtlDays * 86_400_000),
  });
  return token;
}

const invalidRefresh = () => new AppError(401, 'INVALID_TOKEN', 'Invalid refresh token');

/** Spends a refresh token and returns its user and the next token of the family. */
export async function rotateRefreshToken(
  auth: AuthConfig,
  token: string,
): Promise<{ userId: string; refreshToken: string }> {
  const now = new Date();
  // The conditional update is the spend: of two concurrent uses only one can match.
  const spent = await RefreshToken.findOneAndUpdate(
    { tokenHash: hashToken(token), spentAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { spentAt: now } },
  );
  if (!spent) {
    const known = await RefreshToken.findOne({ tokenHash: hashToken(token) });
    if (known && known.spentAt) {
      await RefreshToken.updateMany({ family: known.family }, { $set: { revokedAt: now } });
      throw new AppError(401, 'INVALID_TOKEN', 'Refresh token reuse detected: session revoked');
    }
    throw invalidRefresh();
  }
  const userId = spent.userId.toString();
  return { userId, refreshToken: await issueRefreshToken(auth, userId, spent.family) };
}

/** Revokes the family of the given token (logout). Unknown tokens are ignored. */
export async function revokeRefreshToken(token: string): Promise<void> {
  const known = await RefreshToken.findOne({ tokenHash: hashToken(token) });
  if (known) {
    await RefreshToken.updateMany({ family: known.family }, { $set: { revokedAt: new Date() } });
  }
}

export async function revokeAllRefreshTokens(userId: string): Promise<void> {
  await RefreshToken.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date() } });
}
