import type { AuthUser } from '../auth/auth.types';

declare global {
  namespace Express {
    interface Request {
      /** Set by requireUser / optionalUser from a verified access token, never from the body. */
      user?: AuthUser;
    }
  }
}

export {};
