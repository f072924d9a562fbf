import type { Request, RequestHandler } from 'express';
import { toAuthUser, userFromToken } from '../auth/auth.service';
import type { Config } from '../config';
import type { AuthGuards } from './api';
import { AppError } from './errors';

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** The old backend's text for every missing or bad token; the frontend logs out on any 401. */
const pleaseAuthenticate = () => new AppError(401, 'UNAUTHENTICATED', 'Please authenticate.');

export function createAuthGuards(auth: Config['auth']): AuthGuards {
  const user: RequestHandler = async (req, _res, next) => {
    const check = await userFromToken(auth, bearerToken(req));
    if (!check.ok) return next(pleaseAuthenticate());
    req.user = toAuthUser(check.user);
    next();
  };
  const admin: RequestHandler = (req, res, next) =>
    user(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (req.user?.role !== 'admin')
        return next(new AppError(403, 'FORBIDDEN', 'Admin role required'));
      next();
    });
  const optional: RequestHandler = async (req, _res, next) => {
    const token = bearerToken(req);
    if (token) {
      const check = await userFromToken(auth, token);
      if (!check.ok) return next(pleaseAuthenticate());
      req.user = toAuthUser(check.user);
    }
    next();
  };
  return { user, admin, optional };
}

export function currentUser(req: Request) {
  if (!req.user) throw pleaseAuthenticate();
  return req.user;
}
