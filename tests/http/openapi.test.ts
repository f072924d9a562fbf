import SwaggerParser from '@apidevtools/swagger-parser';
import express, { Router } from 'express';
import type { OpenAPIV3_1 } from 'openapi-types';
import { createApp } from '../../src/app';
import { startTestApp, type TestApp } from '../support/app';

/**
 * The OpenAPI document is generated from the zod specs of ApiRouter, so it cannot drift from the
 * validation; what it can drift from is the app itself (a route mounted outside ApiRouter, a
 * registerPath with no route behind it). These tests pin both directions:
 *
 * 1. /openapi.json is a valid OpenAPI 3.1 document (swagger-parser: JSON-schema check against the
 *    official 3.1 schema and $ref resolution), plus the semantic checks swagger-parser skips for
 *    OpenAPI 3 (path templates vs path parameters, unique operationIds).
 * 2. Every route mounted in Express is documented and every documented operation is mounted.
 *    "Mounted" is read from the app that createApp() builds (the same factory the running server
 *    used), by walking the Express 5 router stack. That walk reads internals (Layer.rawPath,
 *    Route.path/methods), so it fails loudly when they change instead of finding nothing, and
 *    every path it reconstructs is then requested from the running server: a reconstructed path
 *    that answers "Route not found" means the walk is wrong, not that the docs are.
 * 3. Every documented operation lists its error responses: 400 when it takes input, 401 when it
 *    needs a token (declared, and also observed: a request without a token answers 401), 500.
 * 4. /docs serves Swagger UI (HTML plus the assets it references).
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];
const isMethod = (m: string): m is Method => (METHODS as readonly string[]).includes(m);

interface Operation {
  method: Method;
  /** OpenAPI form: /api/agents/{id} */
  path: string;
}
const label = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;

/** Mounted in Express on purpose without an OpenAPI operation. */
const UNDOCUMENTED_ROUTES = [
  'GET /docs', // Swagger UI itself
  'GET /openapi.json', // the document itself
];
/** Middleware mounted under a path prefix (no route of its own): static files, not operations. */
const UNDOCUMENTED_MOUNTS = [
  '/audio', // stored audio (docs/API.md, "Static files")
  '/docs', // Swagger UI assets (swagger-ui.css, swagger-ui-bundle.js, swagger-ui-init.js)
  '/public/audio', // same files as /audio, the old URL
  '/public/avatars', // shipped avatar images
  '/uploads/avatars', // uploaded agent avatars
];
/**
 * Operations that answer 401 without a bearer token but declare no bearerAuth security: the
 * LiveKit webhook authenticates LiveKit's signature (a JWT in Authorization, no "Bearer"), not a
 * user, so bearerAuth would be wrong. It documents its 401.
 */
const OWN_AUTH = ['POST /api/livekit/webhook'];

const SAMPLE_PARAM = '665f1c2b9d3e4a0012345678';

// ---- Express 5 internals, typed as far as this walk reads them --------------------------------

interface RouteInternals {
  path: unknown;
  methods: Record<string, boolean | undefined>;
}
interface LayerInternals {
  name?: string;
  handle: unknown;
  route?: RouteInternals;
  rawPath?: unknown;
  slash?: boolean;
}
interface RouterInternals {
  stack: LayerInternals[];
}

const isRouter = (handle: unknown): handle is RouterInternals =>
  typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function mountPath(layer: LayerInternals): string {
  if (layer.slash) return '';
  if (typeof layer.rawPath !== 'string') {
    throw new Error(
      `cannot read the mount path of "${layer.name ?? '?'}" (Layer.rawPath is ${typeof layer.rawPath}): the router package changed, update mountedRoutes()`,
    );
  }
  return layer.rawPath.replace(/\/+$/, '');
}

/** Routes (method + path) and path-mounted middleware of an Express 5 app. */
function mountedRoutes(app: unknown) {
  const router = (app as { router?: unknown }).router;
  if (!isRouter(router)) throw new Error('app.router is not an Express 5 router');
  const routes: Operation[] = [];
  const mounts = new Set<string>();
  const walk = (r: RouterInternals, prefix: string) => {
    for (const layer of r.stack) {
      if (layer.route) {
        const { path, methods } = layer.route;
        for (const p of Array.isArray(path) ? path : [path]) {
          if (typeof p !== 'string') throw new Error(`route path ${String(p)} is not a string`);
          const full = p === '/' && prefix ? prefix : prefix + p;
          for (const method of Object.keys(methods)) {
            if (!isMethod(method)) throw new Error(`unexpected method ${method} on ${full}`);
            routes.push({ method, path: toOpenApiPath(full) });
          }
        }
      } else if (isRouter(layer.handle)) {
        walk(layer.handle, prefix + mountPath(layer));
      } else if (!layer.slash) {
        mounts.add(prefix + mountPath(layer));
      }
    }
  };
  walk(router, '');
  return { routes, mounts: [...mounts].sort() };
}

// ---- The document ------------------------------------------------------------------------------

type Doc = OpenAPIV3_1.Document;
type Op = OpenAPIV3_1.OperationObject;

function operationsOf(doc: Doc): Array<Operation & { op: Op }> {
  const out: Array<Operation & { op: Op }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) out.push({ method, path, op });
    }
  }
  return out;
}

const isRef = (x: object): x is OpenAPIV3_1.ReferenceObject => '$ref' in x;

function parametersOf(doc: Doc, op: Op): OpenAPIV3_1.ParameterObject[] {
  return (op.parameters ?? []).map((p) => {
    if (!isRef(p)) return p;
    const name = p.$ref.replace('#/components/parameters/', '');
    const resolved = doc.components?.parameters?.[name];
    if (!resolved || isRef(resolved)) throw new Error(`unresolved parameter ${p.$ref}`);
    return resolved;
  });
}

/** A request as the running server sees it: no token, no body, sample path parameters. */
async function probe(app: TestApp, o: Operation) {
  const url = o.path.replace(/\{[^}]+\}/g, SAMPLE_PARAM);
  const res = await app.http[o.method](url);
  const body = res.body as { code?: unknown; message?: unknown } | undefined;
  const routeNotFound =
    res.status === 404 &&
    body?.code === 'NOT_FOUND' &&
    typeof body.message === 'string' &&
    body.message.startsWith('Route not found');
  return { status: res.status, routeNotFound };
}

let app: TestApp;
let doc: Doc;
beforeAll(async () => {
  app = await startTestApp();
  const res = await app.http.get('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  doc = res.body as Doc;
});
afterAll(() => app.close());

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy. Rejects on schema errors and broken $refs.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it('uses only JSON Schema types in its schemas (swagger-parser does not check schema bodies in 3.1)', () => {
    const valid = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
    const bad: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        // `type` next to `in` is a parameter/security field; a property named "type" is a schema.
        if (key === 'type' && !('in' in node) && !where.endsWith('/properties')) {
          const types: unknown[] = Array.isArray(value) ? value : [value];
          if (!types.every((t) => typeof t === 'string' && valid.has(t))) {
            bad.push(`${where}: type ${JSON.stringify(value)}`);
          }
        }
        visit(value, `${where}/${key}`);
      }
    };
    visit(doc.paths, '#/paths');
    visit(doc.components?.schemas, '#/components/schemas');
    expect(bad).toEqual([]);
  });

  it('declares every path parameter of every path template, and no others', () => {
    const problems: string[] = [];
    for (const o of operationsOf(doc)) {
      const inTemplate = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = parametersOf(doc, o.op).filter((p) => p.in === 'path');
      const names = declared.map((p) => p.name).sort();
      if (JSON.stringify(inTemplate) !== JSON.stringify(names)) {
        problems.push(
          `${label(o)}: template ${inTemplate.join(',')} vs declared ${names.join(',')}`,
        );
      }
      for (const p of declared) {
        if (p.required !== true)
          problems.push(`${label(o)}: path parameter ${p.name} not required`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation a summary, a tag, a success response and unique operationIds', () => {
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const o of operationsOf(doc)) {
      if (!o.op.summary) problems.push(`${label(o)}: no summary`);
      if (!o.op.tags?.length) problems.push(`${label(o)}: no tag`);
      if (!Object.keys(o.op.responses ?? {}).some((s) => /^2\d\d$/.test(s))) {
        problems.push(`${label(o)}: no 2xx response`);
      }
      if (o.op.operationId) {
        if (ids.has(o.op.operationId)) problems.push(`duplicate operationId ${o.op.operationId}`);
        ids.add(o.op.operationId);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('coverage: the document and the mounted routes match', () => {
  it('walks nested routers, mount paths, root routes and path-mounted middleware', () => {
    const inner = Router();
    inner.get('/', (_req, res) => res.end());
    inner
      .route('/:id')
      .put((_req, res) => res.end())
      .delete((_req, res) => res.end());
    const outer = Router();
    outer.use('/things', inner);
    outer.post('/plain', (_req, res) => res.end());
    const probeApp = express();
    probeApp.use(express.json());
    probeApp.use('/api', outer);
    probeApp.use('/files', express.static(__dirname));
    expect(mountedRoutes(probeApp)).toEqual({
      routes: [
        { method: 'get', path: '/api/things' },
        { method: 'put', path: '/api/things/{id}' },
        { method: 'delete', path: '/api/things/{id}' },
        { method: 'post', path: '/api/plain' },
      ],
      mounts: ['/files'],
    });
  });

  it('documents every mounted route, and mounts every documented operation', () => {
    const mounted = mountedRoutes(createApp(app.ctx));
    // A walk that finds almost nothing means the internals moved, not that all is documented.
    expect(mounted.routes.length).toBeGreaterThan(30);
    const mountedSet = new Set(mounted.routes.map(label));
    const documentedSet = new Set(operationsOf(doc).map(label));

    const undocumented = [...mountedSet].filter((r) => !documentedSet.has(r)).sort();
    const notMounted = [...documentedSet].filter((r) => !mountedSet.has(r)).sort();
    expect(undocumented).toEqual([...UNDOCUMENTED_ROUTES].sort());
    expect(notMounted).toEqual([]);
    expect(mounted.mounts).toEqual([...UNDOCUMENTED_MOUNTS].sort());
  });

  it('reaches a handler for every mounted and every documented route on the running server', async () => {
    const mounted = mountedRoutes(createApp(app.ctx)).routes;
    const all = new Map<string, Operation>();
    for (const o of [...mounted, ...operationsOf(doc)]) all.set(label(o), o);
    const unreachable: string[] = [];
    for (const o of all.values()) {
      if ((await probe(app, o)).routeNotFound) unreachable.push(label(o));
    }
    expect(unreachable).toEqual([]);
  });
});

describe('error responses', () => {
  it('lists 400 for input, 401 for authentication and 500 on every operation', () => {
    const missing: string[] = [];
    for (const o of operationsOf(doc)) {
      const responses = o.op.responses ?? {};
      const hasInput = parametersOf(doc, o.op).length > 0 || o.op.requestBody !== undefined;
      const needsToken = (o.op.security ?? []).some((s) => 'bearerAuth' in s);
      if (hasInput && !responses['400']) missing.push(`${label(o)}: 400`);
      if (needsToken && !responses['401']) missing.push(`${label(o)}: 401`);
      if (!responses['500']) missing.push(`${label(o)}: 500`);
    }
    expect(missing).toEqual([]);
  });

  it('declares the standard errors with the { message, error, code } body', () => {
    const wrong: string[] = [];
    for (const o of operationsOf(doc)) {
      for (const status of ['400', '500'] as const) {
        const r = o.op.responses?.[status];
        if (!r) continue;
        const schema = isRef(r) ? undefined : r.content?.['application/json']?.schema;
        if (!schema || !isRef(schema) || schema.$ref !== '#/components/schemas/Error') {
          wrong.push(`${label(o)}: ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const error = doc.components?.schemas?.Error;
    expect(error).toMatchObject({ required: ['message', 'error', 'code'] });
  });

  it('matches the observed authentication: 401 without a token exactly where documented', async () => {
    const mismatches: string[] = [];
    const ownAuth: string[] = [];
    for (const o of operationsOf(doc)) {
      const { status } = await probe(app, o);
      const declared = (o.op.security ?? []).some((s) => 'bearerAuth' in s);
      if (status === 401 && !o.op.responses?.['401'])
        mismatches.push(`${label(o)}: 401 undocumented`);
      if (declared && status !== 401)
        mismatches.push(`${label(o)}: declared bearerAuth, got ${status}`);
      if (status === 401 && !declared) ownAuth.push(label(o));
    }
    expect(mismatches).toEqual([]);
    expect(ownAuth.sort()).toEqual([...OWN_AUTH].sort());
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI: an HTML page whose assets all load', async () => {
    const redirect = await app.http.get('/docs');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/docs/');

    const page = await app.http.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui"></div>');

    const assets = [...page.text.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-init.js']),
    );
    for (const asset of assets) {
      const res = await app.http.get(`/docs/${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    // The page renders the same document /openapi.json serves.
    const init = await app.http.get('/docs/swagger-ui-init.js');
    expect(init.text).toContain('"openapi": "3.1.0"');
    expect(init.text).toContain(`"title": "${doc.info.title}"`);
  });
});
