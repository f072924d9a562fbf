import bcrypt from 'bcrypt';
import type { Config } from '../config';
import { isDuplicateKey } from '../db/errors';
import { AppError } from '../http/errors';
import type { AuthUser } from './auth.types';
import {
  issueRefreshToken,
  revokeAllRefreshTokens,
  revokeRefreshToken,
  rotateRefreshToken,
  signAccessToken,
  verifyAccessToken,
} from './tokens';
import { publicUser, User, type UserDocument } from './user.model';

type AuthConfig = Config['auth'];

/** Compared against when the email is unknown, so both failures cost the same time. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);
const invalidCredentials = () => new AppError(401, 'UNAUTHENTICATED', 'Invalid credentials');

export interface Session {
  token: string;
  refreshToken: string;
  user: ReturnType<typeof publicUser>;
}

async function sessionFor(
  auth: AuthConfig,
  user: UserDocument,
  refreshToken?: string,
): Promise<Session> {
  return {
    token: signAccessToken(auth, user._id.toString(), user.tokenVersion ?? 0),
    refreshToken: refreshToken ?? (await issueRefreshToken(auth, user._id.toString())),
    user: publicUser(user),
  };
}

export async function register(
  auth: AuthConfig,
  input: { name: string; email: string; password: string },
): Promise<Session> {
  if (await User.exists({ email: input.email })) {
    throw new AppError(400, 'CONFLICT', 'User already exists with this email');
  }
  const password = await bcrypt.hash(input.password, auth.bcryptRounds);
  try {
    const user = await User.create({ name: input.name, email: input.email, password });
    return await sessionFor(auth, user);
  } catch (err) {
    if (isDuplicateKey(err))
      throw new AppError(400, 'CONFLICT', 'User already exists with this email');
    throw err;
  }
}

export async function login(
  auth: AuthConfig,
  input: { email: string; password: string },
): Promise<Session> {
  const user = await User.findOne({ email: input.email }).select('+password');
  const ok = await bcrypt.compare(input.password, user?.password ?? DUMMY_HASH);
  if (!user || !ok) throw invalidCredentials();
  return sessionFor(auth, user);
}

export async function refresh(auth: AuthConfig, token: string): Promise<Session> {
  const { userId, refreshToken } = await rotateRefreshToken(auth, token);
  const user = await User.findById(userId);
  if (!user) throw new AppError(401, 'INVALID_TOKEN', 'Invalid refresh token');
  return sessionFor(auth, user, refreshToken);
}

export async function logout(userId: string, refreshToken?: string): Promise<void> {
  if (refreshToken) await revokeRefreshToken(refreshToken);
  else await revokeAllRefreshTokens(userId);
}

export type TokenCheck =
  { ok: true; user: UserDocument } | { ok: false; reason: 'missing' | 'invalid' | 'user-gone' };

/** Resolves a bearer token to a live user; the token version must match the user's. */
export async function userFromToken(
  auth: AuthConfig,
  token: string | undefined,
): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: 'missing' };
  const claims = verifyAccessToken(auth, token);
  if (!claims || !/^[0-9a-f]{24}$/i.test(claims.userId)) return { ok: false, reason: 'invalid' };
  const user = await User.findById(claims.userId);
  if (!user) return { ok: false, reason: 'user-gone' };
  if ((user.tokenVersion ?? 0) !== claims.tv) return { ok: false, reason: 'invalid' };
  return { ok: true, user };
}

export const toAuthUser = (user: UserDocument): AuthUser => ({
  id: user._id.toString(),
  name: user.name,
  email: user.email,
  role: user.role as AuthUser['role'],
});

export async function updateProfile(
  auth: AuthConfig,
  userId: string,
  input: { name?: string; avatar?: string | null; currentPassword?: string; newPassword?: string },
): Promise<{ user: ReturnType<typeof publicUser>; token?: string; refreshToken?: string }> {
  const user = await User.findById(userId).select('+password');
  if (!user) throw new AppError(404, 'NOT_FOUND', 'User not found');
  if (input.name !== undefined) user.name = input.name;
  if (input.avatar !== undefined) user.avatar = input.avatar || null;
  let passwordChanged = false;
  if (input.newPassword !== undefined) {
    if (!(await bcrypt.compare(input.currentPassword ?? '', user.password))) {
      throw new AppError(400, 'VALIDATION_FAILED', 'Current password is incorrect');
    }
    user.password = await bcrypt.hash(input.newPassword, auth.bcryptRounds);
    user.tokenVersion = (user.tokenVersion ?? 0) + 1;
    passwordChanged = true;
  }
  await user.save();
  if (!passwordChanged) return { user: publicUser(user) };
  // A new password ends every other session: old access tokens fail the version check and
  // every refresh family is revoked; the caller gets a fresh pair.
  await revokeAllRefreshTokens(userId);
  const session = await sessionFor(auth, user);
  return { user: session.user, token: session.token, refreshToken: session.refreshToken };
}
