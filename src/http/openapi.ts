import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { registry } from './api';

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(version: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'CustomerCare-VoiceAI API',
      version,
      description:
        'REST API of the CustomerCare-VoiceAI backend. Socket.io events are documented in README.md and docs/API.md. Every error body is { message, error, code }.',
    },
    servers: [{ url: '/' }],
  });
}

export function openApiRoutes(version: string) {
  const router = Router();
  let cached: ReturnType<typeof openApiDocument> | undefined;
  const doc = () => (cached ??= openApiDocument(version));
  router.get('/openapi.json', (_req, res) => {
    res.json(doc());
  });
  router.use('/docs', swaggerUi.serve);
  router.get('/docs', (req, res, next) => swaggerUi.setup(doc())(req, res, next));
  return router;
}
