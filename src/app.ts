import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { adminRoutes } from './admin/admin.routes';
import { agentRoutes } from './agents/agent.routes';
import { analyticsRoutes } from './analytics/analytics.routes';
import { authRoutes } from './auth/auth.routes';
import { conversationRoutes } from './conversations/conversation.routes';
import { handoffRoutes } from './handoff/handoff.routes';
import type { AppContext } from './context';
import { createAuthGuards } from './http/auth-guards';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { healthRoutes } from './http/health.routes';
import { openApiRoutes } from './http/openapi';
import { staticFiles } from './http/static-files';
import { livekitRoutes, livekitWebhookRouter } from './voice/livekit.routes';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the Express app without listening: index.ts and the tests both use it. */
export function createApp(ctx: AppContext): Express {
  const { config, logger } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  // The frontend builds URLs as `${API}/` + "/audio/x.mp3", i.e. "//audio/x.mp3".
  app.use((req, _res, next) => {
    const q = req.url.indexOf('?');
    const pathPart = q === -1 ? req.url : req.url.slice(0, q);
    if (pathPart.includes('//'))
      req.url = pathPart.replace(/\/{2,}/g, '/') + (q === -1 ? '' : req.url.slice(q));
    next();
  });

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Method, path and status only: no headers (tokens) and no bodies (personal data).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );

  app.use(helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }));
  app.use(
    cors({
      origin: config.http.corsOrigins,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
      exposedHeaders: ['X-Request-Id', 'X-Next-Cursor', 'Retry-After'],
    }),
  );
  // LiveKit signs the raw webhook body: this router reads it before express.json() can.
  app.use(livekitWebhookRouter(ctx));
  app.use(express.json({ limit: config.http.bodyLimit }));

  const guards = createAuthGuards(config.auth);
  app.use(healthRoutes(ctx, guards));
  app.use('/api/auth', authRoutes(config.auth, guards));
  app.use('/api/livekit', livekitRoutes(ctx, guards));
  app.use('/api/agents', agentRoutes(ctx, guards));
  app.use('/api/conversations', conversationRoutes(ctx, guards));
  app.use('/api/analytics', analyticsRoutes(ctx, guards));
  app.use('/api/handoffs', handoffRoutes(ctx, guards));
  app.use('/api/admin', adminRoutes(ctx, guards));
  app.use(openApiRoutes(config.version));
  app.use(staticFiles(config));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
