import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z, type ZodType } from 'zod';
import { AppError } from './errors';

extendZodWithOpenApi(z);

/**
 * Routes are declared once with their zod schemas; the same declaration validates requests and
 * feeds the OpenAPI document (/openapi.json), so the docs cannot drift from what is enforced.
 */
export const registry = new OpenAPIRegistry();

export const ErrorBody = registry.register(
  'Error',
  z
    .object({
      message: z.string(),
      error: z.string().describe('Same text as message (older clients read either key)'),
      code: z.string().describe('Machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND'),
    })
    .passthrough(),
);

registry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
});

export const objectId = (what = 'id') =>
  z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, `Invalid ${what}: expected a 24-character hex ObjectId`)
    .openapi({ example: '665f1c2b9d3e4a0012345678' });

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
export type AuthMode = 'user' | 'admin' | 'optional' | 'none';

export interface AuthGuards {
  user: RequestHandler;
  admin: RequestHandler;
  optional: RequestHandler;
}

interface ResponseSpec {
  description: string;
  schema?: ZodType;
  contentType?: string;
}

export interface RouteSpec<B extends ZodType, P extends ZodType, Q extends ZodType> {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  auth: AuthMode;
  /** Document a bearer token although the handler checks it itself (GET /api/auth/me). */
  documentBearer?: boolean;
  body?: B;
  /** multipart bodies are parsed by a middleware (multer) before validation. */
  bodyContentType?: 'application/json' | 'multipart/form-data';
  params?: P;
  query?: Q;
  /** Runs after auth and before validation (rate limits, uploads). */
  before?: RequestHandler[];
  responses: Record<number, ResponseSpec>;
}

export interface RouteInput<B, P, Q> {
  body: B;
  params: P;
  query: Q;
}

type Handler<B, P, Q> = (input: RouteInput<B, P, Q>, req: Request, res: Response) => unknown;

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function standardErrors(spec: {
  auth: AuthMode;
  params?: ZodType;
  body?: ZodType;
  query?: ZodType;
}) {
  const ref = { content: { 'application/json': { schema: ErrorBody } } };
  const out: Record<number, { description: string } & typeof ref> = {
    500: { description: 'Unexpected server error', ...ref },
    503: { description: 'Database temporarily unavailable', ...ref },
  };
  if (spec.params || spec.body || spec.query) {
    out[400] = { description: 'Invalid input (malformed JSON, id, type or value)', ...ref };
  }
  if (spec.auth === 'user' || spec.auth === 'admin') {
    out[401] = { description: 'Missing, invalid or expired access token', ...ref };
  }
  if (spec.auth === 'admin') out[403] = { description: 'Admin role required', ...ref };
  return out;
}

const documented = new Set<string>();

export class ApiRouter {
  readonly router = Router();

  constructor(
    private readonly basePath: string,
    private readonly tag: string,
    private readonly guards: AuthGuards,
  ) {}

  route<
    B extends ZodType = ZodType<unknown>,
    P extends ZodType = ZodType<unknown>,
    Q extends ZodType = ZodType<unknown>,
  >(spec: RouteSpec<B, P, Q>, handler: Handler<z.infer<B>, z.infer<P>, z.infer<Q>>): this {
    this.document(spec);
    const chain: RequestHandler[] = [];
    if (spec.auth !== 'none') chain.push(this.guards[spec.auth]);
    chain.push(...(spec.before ?? []));
    chain.push(async (req, res) => {
      const input = {
        body: spec.body ? await parse(spec.body, req.body ?? {}) : req.body,
        params: spec.params ? await parse(spec.params, req.params) : req.params,
        query: spec.query ? await parse(spec.query, req.query) : req.query,
      } as RouteInput<z.infer<B>, z.infer<P>, z.infer<Q>>;
      await handler(input, req, res);
    });
    this.router[spec.method](spec.path, ...chain);
    return this;
  }

  private document(spec: RouteSpec<ZodType, ZodType, ZodType>): void {
    // createApp() may run many times in one process (tests): describe each route once.
    const key = `${spec.method} ${this.basePath}${spec.path}`;
    if (documented.has(key)) return;
    documented.add(key);
    const responses: RouteConfig['responses'] = { ...standardErrors(spec) };
    for (const [status, r] of Object.entries(spec.responses)) {
      // Every error answer has the one error body unless the route says otherwise.
      const schema = r.schema ?? (Number(status) >= 400 ? ErrorBody : undefined);
      responses[status] = schema
        ? {
            description: r.description,
            content: { [r.contentType ?? 'application/json']: { schema } },
          }
        : { description: r.description };
    }
    const request: RouteConfig['request'] = {};
    // zod-to-openapi wants object schemas here; every params/query schema we declare is one.
    if (spec.params) request.params = spec.params as never;
    if (spec.query) request.query = spec.query as never;
    if (spec.body) {
      request.body = {
        required: true,
        content: { [spec.bodyContentType ?? 'application/json']: { schema: spec.body } },
      };
    }
    registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(this.basePath + (spec.path === '/' ? '' : spec.path)),
      tags: [this.tag],
      summary: spec.summary,
      description: spec.description,
      security:
        spec.auth === 'user' || spec.auth === 'admin' || spec.documentBearer
          ? [{ bearerAuth: [] }]
          : undefined,
      request,
      responses,
    });
  }
}

async function parse<S extends ZodType>(schema: S, value: unknown): Promise<z.infer<S>> {
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  throw validationError(result.error.issues);
}

// zod's own messages ("Invalid input: expected string...") do not name the field; ours do.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

/**
 * The first issue becomes the message (clients show one line); all issues travel in `errors`.
 * A custom issue may carry `params.details` to shape the body exactly (e.g. register's `fields`).
 */
export function validationError(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  const message = first?.message ?? 'Invalid input';
  const where =
    first && first.path.length > 0 && ZOD_DEFAULT_MESSAGE.test(message)
      ? `${first.path.join('.')}: `
      : '';
  const custom =
    first?.code === 'custom' ? (first.params as { details?: object } | undefined) : undefined;
  const details: Record<string, unknown> = custom?.details
    ? { ...custom.details }
    : { errors: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  return new AppError(400, 'VALIDATION_FAILED', `${where}${message}`, details);
}
