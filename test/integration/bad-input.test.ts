import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { apiRoutes, createApp } from '../../api/app';
import { submitOpinion } from '../../api/routes/opinions/service';
import { z } from 'zod';
import { DirectMatters, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { TEST_SESSION, TestDirectory, bearer, people, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';

/**
 * Bad input, generated: every route of the API (the very list that is mounted and documented in
 * /api/openapi.json) gets requests with arbitrary path parameters (malformed % escapes among them),
 * query strings, bodies (wrong types, raw text, deep nesting), content types and encodings, keys,
 * tokens and origins, plus the known nasty cases, against the app wired to the real dev server.
 * Nothing answers ≥ 500, and nothing refused changes a matter, an opinion or the lists.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let server: http.Server;
let base: { host: string; port: number };
const village = uniqueName('fuzz').toLowerCase();
let matterId: string;
let opinionId: string;
let tokens: string[];

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}
interface Res {
  status: number;
  text: string;
}

function send(req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    // A connection each: a refusal sent before the body was read may close its connection, and a
    // kept-alive socket reused in that moment would fail on the client's side, not the server's.
    const options = { ...base, agent: false, method: req.method, path: req.path, headers: req.headers };
    const r = http.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** What refused requests must not change: the village's lists, and the seeded workflows' histories. */
async function snapshot() {
  const get = async (path: string) => (await send({ method: 'GET', path, headers: {} })).text;
  const historyLength = async (id: string) => (await temporal.client.workflow.getHandle(id).describe()).historyLength;
  return {
    matters: await get(`/api/matters?village=${village}`),
    opinions: await get(`/api/opinions?village=${village}`),
    matterHistory: await historyLength(matterId),
    opinionHistory: await historyLength(opinionId),
    workflows: (await temporal.client.workflow.count(`TaskQueue = '${world.taskQueue}'`)).count,
  };
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  world = await directWorld(temporal, 'bad-input');
  const directory = new TestDirectory(await testDirectory([village]));
  const deps = {
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: world.taskQueue },
    projection: world.projection,
    catalog: world.catalog,
    directory,
    // limits out of the way, so the requests reach the parsers (the limits have their own tests)
    session: { ...TEST_SESSION, loginAttempts: 1_000_000 },
    logger: pino({ level: 'silent' }),
    opinionDeadlines: () => world.deadlines,
    opinionLimits: { submissions: 1_000_000 },
    // this suite is about input, not deadlines: a machine busy with other work must not turn into 503s here
    temporalDeadlineMs: 120_000,
  };
  routes = apiRoutes(deps);
  const app = createApp(deps);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  matterId = await new DirectMatters(temporal, world).start('major-decision', village, '村道硬化', people.secretary);
  ({ opinionId } = await submitOpinion(temporal.client, world.taskQueue, {
    village,
    town: 'jinshan',
    subject: '路灯',
    text: '村口路灯坏了。',
    publishAnswer: true,
    // long enough that nothing escalates during the run
    deadlines: { acknowledge: { amount: 10, unit: 'days' }, answer: { amount: 20, unit: 'days' } },
  }));
  // Signed-in callers who can be refused, but who have nothing they may do with an empty body: the
  // chair could acknowledge the seeded opinion with one (a valid write that then moved the state), and
  // the town may act on it only once its limit passes (10 days here).
  tokens = [await bearer(people.secretary.userId), await bearer(people.town.userId), await bearer(people.admin.userId)];
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await world.cleanup();
  await temporal.close();
});

let routes: ReturnType<typeof apiRoutes>;

const headerText = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

/** Percent-encodes the UTF-8 bytes of all but `keep` (lone surrogates included, unlike encodeURIComponent). */
function enc(s: string, keep = /[A-Za-z0-9._~-]/): string {
  return [...s]
    .map((c) =>
      keep.test(c)
        ? c
        : [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');
}

/** A path parameter: sometimes real, sometimes junk; encoded, or with raw `%` left malformed. */
function paramArb(): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc
      .constantFrom(
        () => matterId,
        () => opinionId,
        () => village,
      )
      .map((f) => f()),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e%2f', 'a%00b', '%ff%fe', 'x'.repeat(300), '__proto__'),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.stringMatching(/^(matter|opinion|ping)-[A-Za-z0-9._:-]{1,20}$/),
  );
  return fc.tuple(value, fc.boolean()).map(([v, raw]) => (raw ? enc(v, /[A-Za-z0-9%._~-]/) : enc(v)));
}

function keysOf(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function bodyArb(schema: z.ZodType | undefined): fc.Arbitrary<{ body?: Buffer; type?: string }> {
  const keys = [...keysOf(schema), '__proto__', 'constructor', 'actor'];
  const json = (v: fc.Arbitrary<unknown>) => v.map((x) => Buffer.from(JSON.stringify(x) ?? 'null'));
  const raw = fc.oneof(
    json(fc.jsonValue({ maxDepth: 4 })),
    json(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })),
    json(
      fc.dictionary(
        fc.constantFrom(...keys),
        fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null), fc.double()),
        { maxKeys: 6 },
      ),
    ),
    fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    fc.constantFrom(
      Buffer.from('['.repeat(40_000) + ']'.repeat(40_000)),
      Buffer.from('{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000)),
      Buffer.from(`{"text":"${'长'.repeat(60_000)}"}`),
      Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'),
      Buffer.from('null'),
      Buffer.from('"just a string"'),
      Buffer.from('{"a":1,"a":2}'),
      Buffer.from('\uFEFF{}'),
    ),
  );
  const type = fc.option(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/merge-patch+json',
      '*/*',
      'garbage',
    ),
    { nil: undefined },
  );
  return fc.option(fc.tuple(raw, type), { nil: undefined }).map((t) => (t ? { body: t[0], type: t[1] } : {}));
}

function requestArb(): fc.Arbitrary<Req> {
  const route = fc.constantFrom(...routes);
  return route.chain((r) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(r.method.toUpperCase()) },
          fc.constantFrom('PUT', 'DELETE', 'PATCH', 'GET', 'POST', 'OPTIONS'),
        ),
        params: fc.array(paramArb(), { minLength: 4, maxLength: 4 }),
        query: fc.dictionary(
          fc.constantFrom(...keysOf(r.query), 'x', 'village[]', '__proto__'),
          fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('%', '%zz', '2026-13', '-1', '1e309', 'null')),
          { maxKeys: 4 },
        ),
        body: bodyArb(r.body),
        encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-nonsense'), {
          nil: undefined,
        }),
        key: fc.option(fc.oneof(headerText, fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/)), { nil: undefined }),
        auth: fc.option(
          fc.oneof(
            fc.constantFrom(0, 1, 2).map((i) => tokens[i] ?? ''),
            fc.constantFrom('Bearer garbage', 'Basic YWRtaW46YWRtaW4=', 'Bearer ', 'Bearer a.b.c'),
            headerText,
          ),
          { nil: undefined },
        ),
        cookie: fc.option(fc.oneof(headerText, fc.constant('xwql_session=a.b.c')), { nil: undefined }),
      })
      .map(({ method, params, query, body, encoding, key, auth, cookie }) => {
        let i = 0;
        const path = `/api${r.path.replace(/:[A-Za-z0-9_]+/g, () => params[i++] ?? '')}`;
        const qs = Object.entries(query)
          .map(([k, v]) => `${enc(k)}=${enc(v, /[A-Za-z0-9%._~-]/)}`)
          .join('&');
        const headers: Record<string, string> = {};
        if (body.type) headers['content-type'] = body.type;
        if (encoding) headers['content-encoding'] = encoding;
        if (key !== undefined) headers['idempotency-key'] = key;
        // logging out with one of the shared tokens would revoke it for the rest of the run
        const loggingOut = r.path === '/auth/logout';
        if (auth !== undefined && !(loggingOut && tokens.includes(auth))) headers.authorization = auth;
        if (cookie !== undefined) headers.cookie = cookie;
        return { method, path: qs ? `${path}?${qs}` : path, headers, ...(body.body ? { body: body.body } : {}) };
      }),
  );
}

/** The cases an outside run found, and their kin, sent as they are. */
function knownNasty(): Req[] {
  const json = { 'content-type': 'application/json' };
  const deepArray = Buffer.from('['.repeat(40_000) + ']'.repeat(40_000));
  const deepObject = Buffer.from('{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000));
  const out: Req[] = [
    { method: 'GET', path: '/api/matters/%', headers: {} },
    { method: 'GET', path: '/api/matters/%zz', headers: {} },
    { method: 'GET', path: '/api/opinions/%E0%A4%A', headers: {} },
    { method: 'GET', path: '/%', headers: {} },
    { method: 'GET', path: '/app.js%', headers: {} },
    { method: 'GET', path: '/api/matters?village=%', headers: {} },
    { method: 'GET', path: '/api/matters?village=a&village=b', headers: {} },
    { method: 'GET', path: `/api/matters/${'a'.repeat(5000)}`, headers: {} },
  ];
  for (const r of routes.filter((r) => r.method === 'post')) {
    const path = `/api${r.path.replace(/:id/g, r.path.startsWith('/opinions') ? opinionId : matterId)}`;
    for (const auth of [{}, { authorization: tokens[0] ?? '' }] as Record<string, string>[]) {
      out.push(
        { method: 'POST', path, headers: { ...json, ...auth, 'content-encoding': 'gzip' }, body: Buffer.from('{}') },
        { method: 'POST', path, headers: { ...json, ...auth, 'content-encoding': 'br' }, body: Buffer.from('{"a":1}') },
        { method: 'POST', path, headers: { ...json, ...auth }, body: deepArray },
        { method: 'POST', path, headers: { ...json, ...auth }, body: deepObject },
        { method: 'POST', path, headers: { ...json, ...auth }, body: Buffer.alloc(300_000, 0x20) },
        { method: 'POST', path, headers: { 'content-type': 'text/plain', ...auth }, body: Buffer.from('{}') },
        { method: 'POST', path, headers: { ...json, ...auth, 'content-length': '5' }, body: Buffer.from('{"a":') },
        {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json; charset=utf-16', ...auth },
          body: Buffer.from('{}'),
        },
      );
    }
  }
  return out;
}

test(`given ${RUNS.toLocaleString('en')} generated bad requests and the known nasty ones, then none answers ≥ 500 and none refused changes anything`, async () => {
  // the seeded workflows first settle (their first steps), then nothing may move them
  let before = await snapshot();
  for (let tries = 0; tries < 60; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await snapshot();
    if (JSON.stringify(again) === JSON.stringify(before) && !again.matters.includes('"activeSteps":[]')) break;
    before = again;
  }
  const statuses = new Map<number, number>();
  const fives: string[] = [];
  let accepted = 0;
  const record = (req: Req, res: Res) => {
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500)
      fives.push(`${req.method} ${req.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`);
    if (req.method === 'POST' && res.status < 300 && !req.path.startsWith('/api/auth/')) accepted++;
    if (res.status >= 400 && res.text !== '' && req.method !== 'HEAD') {
      // every refusal in the one error shape
      const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
        fives.push(
          `${req.method} ${req.path.slice(0, 120)} → ${res.status} not in the error shape: ${res.text.slice(0, 200)}`,
        );
      }
    }
  };

  const nasty = knownNasty();
  for (const req of nasty) record(req, await send(req));

  const start = Date.now();
  // Sampled, then sent 8 at a time (the routes that reach Temporal wait on it, not on the CPU).
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  const generated = fc.sample(requestArb(), { numRuns: RUNS, seed });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < generated.length) {
        const req = generated[next++] as Req;
        record(req, await send(req));
      }
    }),
  );
  const after = await snapshot();
  const total = nasty.length + RUNS;
  const counts = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  process.stdout.write(
    `bad input: ${total} requests (${nasty.length} known nasty + ${RUNS} generated) in ${Date.now() - start} ms; ` +
      `≥500: ${fives.length}; accepted writes: ${accepted}; statuses ${counts.join(' ')}; FUZZ_SEED=${seed}\n`,
  );

  expect(fives).toEqual([]);
  // a generated body may happen to be valid (a ping named "a"): it creates its one workflow, no more
  expect(after).toEqual({ ...before, workflows: before.workflows + accepted });
}, 600_000);
