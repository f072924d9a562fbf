import { z } from 'zod';
import type { Config } from '../config';
import { ApiRouter, type AuthGuards } from '../http/api';
import { bearerToken, currentUser } from '../http/auth-guards';
import { AppError } from '../http/errors';
import { authRateLimit } from '../http/rate-limit';
import * as auth from './auth.service';
import {
  AuthResponse,
  loginBody,
  logoutBody,
  profileUpdateBody,
  refreshBody,
  registerBody,
  UserResponse,
} from './auth.schema';
import { publicUser, User } from './user.model';

/** The four keys the frontend stores as `user`. */
const wireUser = (u: { _id: string; name: string; email: string; role: string }) => ({
  _id: u._id,
  name: u.name,
  email: u.email,
  role: u.role,
});

export function authRoutes(config: Config['auth'], guards: AuthGuards) {
  const limiter = authRateLimit({ max: config.rateLimitMax, windowMs: config.rateLimitWindowMs });
  const api = new ApiRouter('/api/auth', 'Auth', guards);

  api.route(
    {
      method: 'post',
      path: '/register',
      summary: 'Create an account and sign in',
      auth: 'none',
      before: [limiter],
      body: registerBody,
      responses: {
        201: { description: 'Account created', schema: AuthResponse },
        429: { description: 'Too many attempts from this IP (Retry-After header)' },
      },
    },
    async ({ body }, _req, res) => {
      const session = await auth.register(config, body);
      res.status(201).json({ ...session, user: wireUser(session.user) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/login',
      summary: 'Sign in with email and password',
      description: 'Unknown email and wrong password give the same 401 "Invalid credentials".',
      auth: 'none',
      before: [limiter],
      body: loginBody,
      responses: {
        200: { description: 'Signed in', schema: AuthResponse },
        401: { description: 'Invalid credentials' },
        429: { description: 'Too many attempts from this IP (Retry-After header)' },
      },
    },
    async ({ body }, _req, res) => {
      const session = await auth.login(config, body);
      res.json({ ...session, user: wireUser(session.user) });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/me',
      summary: 'The signed-in user (flat object)',
      auth: 'none',
      documentBearer: true,
      description:
        'Authenticated with the Bearer token; answers 401 "No token provided" / "Invalid token" and 404 "User not found".',
      responses: {
        200: { description: 'The user', schema: UserResponse },
        401: { description: 'No token provided / Invalid token' },
        404: { description: 'User not found (the token is valid but the account was deleted)' },
      },
    },
    async (_input, req, res) => {
      const check = await auth.userFromToken(config, bearerToken(req));
      if (!check.ok) {
        if (check.reason === 'missing')
          throw new AppError(401, 'UNAUTHENTICATED', 'No token provided');
        if (check.reason === 'user-gone') throw new AppError(404, 'NOT_FOUND', 'User not found');
        throw new AppError(401, 'INVALID_TOKEN', 'Invalid token');
      }
      res.json(wireUser(publicUser(check.user)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/refresh',
      summary: 'Exchange a refresh token for a new access + refresh token pair',
      description:
        'Refresh tokens rotate: each is single-use. Presenting a spent token revokes its whole family (every token descended from the same login).',
      auth: 'none',
      before: [limiter],
      body: refreshBody,
      responses: {
        200: { description: 'New token pair', schema: AuthResponse },
        401: { description: 'Invalid, expired, revoked or reused refresh token' },
      },
    },
    async ({ body }, _req, res) => {
      const session = await auth.refresh(config, body.refreshToken);
      res.json({ ...session, user: wireUser(session.user) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/logout',
      summary: "Revoke a refresh token family (or all of the caller's when none is given)",
      auth: 'user',
      body: logoutBody,
      responses: { 200: { description: 'Signed out', schema: z.object({ message: z.string() }) } },
    },
    async ({ body }, req, res) => {
      await auth.logout(currentUser(req).id, body.refreshToken);
      res.json({ message: 'Logged out successfully' });
    },
  );

  const ProfileResponse = UserResponse.extend({
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  }).openapi('Profile');

  api.route(
    {
      method: 'get',
      path: '/profile',
      summary: "The caller's profile",
      auth: 'user',
      responses: { 200: { description: 'Profile', schema: ProfileResponse } },
    },
    async (_input, req, res) => {
      const user = await User.findById(currentUser(req).id);
      if (!user) throw new AppError(404, 'NOT_FOUND', 'User not found');
      res.json(publicUser(user));
    },
  );

  api.route(
    {
      method: 'put',
      path: '/profile',
      summary: 'Update name, avatar, or password (password change needs currentPassword)',
      description:
        'A password change revokes every other session and returns a new token and refreshToken.',
      auth: 'user',
      body: profileUpdateBody,
      responses: {
        200: {
          description: 'Updated profile',
          schema: ProfileResponse.extend({
            token: z.string().optional(),
            refreshToken: z.string().optional(),
          }),
        },
      },
    },
    async ({ body }, req, res) => {
      const result = await auth.updateProfile(config, currentUser(req).id, body);
      res.json({ ...result.user, token: result.token, refreshToken: result.refreshToken });
    },
  );

  return api.router;
}
