import { spawnSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { openProjection } from '../../stores/read-model';
import { memoryDirectory } from '../../common/directory';
import { testCatalog } from '../helpers/catalog';
import { TEST_SESSION, testDirectory } from '../helpers/people';

/** The OpenAPI document is valid 3.1 and names every route the app really serves. */

let app: Express;
const passThroughClient = {
  withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
  withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
} as unknown as Client;
const { catalog, cleanup } = testCatalog();

beforeAll(async () => {
  app = createApp({
    // No request here reaches Temporal: the document is built from the route list alone.
    // The request deadline wraps every /api request in the client's call context; those two
    // methods are all the docs routes meet of a client.
    temporal: { client: passThroughClient, namespace: 'default', taskQueue: 'none' },
    projection: openProjection(':memory:'),
    catalog,
    directory: memoryDirectory(await testDirectory()),
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
  });
});
afterAll(cleanup);

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Walks express's own router stack: what is served, not what a list says is served. */
function servedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${prefix}${layer.route?.path ?? ''}`);
    }
    if (layer.handle.stack)
      return servedRoutes(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? '')));
    return [];
  });
}

/** The validator is ESM-only and reads its schemas via import.meta: run it in plain Node, not under jest. */
function validateOpenApi(doc: unknown): { valid: boolean; errors?: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
    let input = ''; for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(doc),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
}

test('given the document, then it validates as OpenAPI 3.1', async () => {
  const res = await request(app).get('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  const result = validateOpenApi(res.body);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
});

test('given every route express serves under /api, then each appears in the document with its method', async () => {
  const doc = (await request(app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{([^}]+)\}/g, ':$1')}`),
    ),
  );
  const served = servedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) =>
    r.split(' ')[1]?.startsWith('/api/'),
  );
  expect(served.length).toBeGreaterThan(10);
  expect(served.filter((r) => !documented.has(r))).toEqual([]);
  expect([...documented].filter((r) => !served.includes(r))).toEqual([]);
});

test('given the docs page, then it is served from this origin without a CDN', async () => {
  const page = await request(app).get('/api/docs');
  const asset = await request(app).get('/api/docs/assets/swagger-ui-bundle.js');
  expect(page.status).toBe(200);
  expect(page.text).not.toMatch(/https?:\/\//);
  expect(asset.status).toBe(200);
});
