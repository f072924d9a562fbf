import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { errorBody } from './error-handler';
import { AppError } from './errors';

/**
 * Per-client-IP limit for unauthenticated credential endpoints. Answers 429 with Retry-After and
 * the usual JSON error body. Memory store: one process (see README for Redis when scaling out).
 */
export function authRateLimit(options: { max: number; windowMs: number }): RateLimitRequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, _next, opts) => {
      const retryAfter = Math.ceil(opts.windowMs / 1000);
      if (!res.getHeader('Retry-After')) res.setHeader('Retry-After', String(retryAfter));
      const error = new AppError(
        429,
        'RATE_LIMITED',
        'Too many attempts, please try again later.',
        {
          retryAfterSeconds: Number(res.getHeader('Retry-After')),
        },
      );
      res.status(429).json(errorBody(error));
    },
  });
}
