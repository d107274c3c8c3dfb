import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../api/app';
import { fileRevocations } from '../../api/auth/revocation';
import { testCatalog } from '../helpers/catalog';
import { TEST_PASSWORD, TEST_SESSION, TestDirectory, bearer, people, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal, testProjection } from '../helpers/temporal';

/** What an outside abuse run found, refused: cross-site writes, cached personal answers, source maps. */

let temporal: TestTemporal;
const abuseQueue = uniqueName('abuse');
let directory: TestDirectory;
const { catalog, cleanup } = testCatalog();
const uiDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-ui-'));

function app(over: Partial<AppDeps> = {}) {
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: abuseQueue },
    projection: testProjection(abuseQueue),
    catalog,
    directory,
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
    uiDir,
    ...over,
  });
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  directory = new TestDirectory(await testDirectory());
  writeFileSync(path.join(uiDir, 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map\n');
  writeFileSync(path.join(uiDir, 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
});
afterAll(async () => {
  await temporal.close();
  cleanup();
  rmSync(uiDir, { recursive: true, force: true });
});

describe('cross-site writes (CSRF) are refused, besides SameSite', () => {
  test('given a text/plain POST with a foreign Origin, then 403 FOREIGN_ORIGIN before anything is read', async () => {
    const res = await request(app())
      .post('/api/auth/login')
      .set('Origin', 'http://evil.example')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ userId: people.secretary.userId, password: 'x' }));

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FOREIGN_ORIGIN');
    expect(res.body.error.message).toMatch(/其他网站/);
    expect(res.body.error.details[0].field).toBe('header.Origin');
  });

  test('given a signed-in action with a foreign Referer and no Origin, or Origin null, then 403', async () => {
    const auth = await bearer(people.secretary.userId);
    const referer = await request(app())
      .post('/api/matters')
      .set('Authorization', auth)
      .set('Referer', 'https://evil.example/page')
      .send({});
    const nullOrigin = await request(app())
      .post('/api/matters')
      .set('Authorization', auth)
      .set('Origin', 'null')
      .send({});

    expect(referer.status).toBe(403);
    expect(referer.body.error.details[0].field).toBe('header.Referer');
    expect(nullOrigin.status).toBe(403);
  });

  test('given the same Origin as the host, or none (an API client), then the request goes on to its checks', async () => {
    const api = app();
    const same = await request(api)
      .post('/api/matters')
      .set('Host', 'village.example:3000')
      .set('Origin', 'http://village.example:3000')
      .send({});
    const none = await request(api).post('/api/matters').send({});
    const read = await request(api).get('/api/villages').set('Origin', 'http://evil.example');

    expect(same.status).toBe(401);
    expect(none.status).toBe(401);
    expect(read.status).toBe(200);
  });
});

describe('what is served', () => {
  test('given a signed-in read, then Cache-Control: no-store', async () => {
    const me = await request(app())
      .get('/api/me')
      .set('Authorization', await bearer(people.chair.userId));
    const villages = await request(app()).get('/api/villages');

    expect(me.status).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(villages.headers['cache-control']).toBe('no-store');
  });

  test('given the built UI, then app.js is served and its source map is not', async () => {
    const js = await request(app()).get('/app.js');
    const map = await request(app()).get('/app.js.map');

    expect(js.status).toBe(200);
    expect(map.status).toBe(404);
    expect(map.text).not.toContain('secret.ts');
  });
});

describe('log-in limits a stranger cannot turn against a user', () => {
  const login = (api: ReturnType<typeof app>, from: string, password: string) =>
    request(api).post('/api/auth/login').set('X-Forwarded-For', from).send({ userId: people.chair.userId, password });

  test('given TRUST_PROXY and a stranger failing at a user id from another address, then the user signs in from theirs', async () => {
    const api = app({ trustProxy: 1 });
    const stranger: number[] = [];
    for (let i = 0; i < TEST_SESSION.loginAttempts + 3; i++)
      stranger.push((await login(api, '203.0.113.9', `guess-${i}`)).status);
    const user = await login(api, '198.51.100.7', TEST_PASSWORD);

    expect(stranger.slice(0, TEST_SESSION.loginAttempts)).toEqual(Array(TEST_SESSION.loginAttempts).fill(401));
    expect(stranger.at(-1)).toBe(429);
    expect(user.status).toBe(200);
  });

  test('given no TRUST_PROXY, then a made-up X-Forwarded-For does not buy fresh tries', async () => {
    const api = app();
    const statuses: number[] = [];
    for (let i = 0; i < TEST_SESSION.loginAttempts + 1; i++)
      statuses.push((await login(api, `192.0.2.${i}`, `guess-${i}`)).status);

    expect(statuses.at(-1)).toBe(429);
  });

  test('given the slow-down, then 429 says how long to wait (Retry-After) in both languages', async () => {
    const api = app({ trustProxy: 1 });
    for (let i = 0; i < TEST_SESSION.loginAttempts; i++) await login(api, '192.0.2.77', `guess-${i}`);
    const refused = await login(api, '192.0.2.77', TEST_PASSWORD);

    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.message).toMatch(/秒后再试/);
  });
});

describe('logging out ends the session', () => {
  test('given two API processes sharing DATA_DIR, when one logs a session out, then its token is refused by both while another session of the user goes on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-revoked-'));
    try {
      const a = app({ revocations: fileRevocations(dir) });
      const b = app({ revocations: fileRevocations(dir) });
      const signIn = () =>
        request(a).post('/api/auth/login').send({ userId: people.town.userId, password: TEST_PASSWORD });
      const first = await signIn();
      const second = await signIn();
      const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
      expect(
        (
          await request(b)
            .get('/api/me')
            .set('Authorization', `Bearer ${first.body.token as string}`)
        ).status,
      ).toBe(200);

      const out = await request(a).post('/api/auth/logout').set('Cookie', cookie);
      const afterByToken = await request(b)
        .get('/api/me')
        .set('Authorization', `Bearer ${first.body.token as string}`);
      const afterByCookie = await request(a).get('/api/me').set('Cookie', cookie);
      const other = await request(b)
        .get('/api/me')
        .set('Authorization', `Bearer ${second.body.token as string}`);

      expect(out.status).toBe(204);
      expect(afterByToken.status).toBe(401);
      expect(afterByToken.body.error.code).toBe('UNAUTHENTICATED');
      expect(afterByCookie.status).toBe(401);
      expect(other.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opinion limits that suit a village behind one shared address', () => {
  const deadlines = () => ({
    acknowledge: { amount: 1, unit: 'days' as const },
    answer: { amount: 2, unit: 'days' as const },
  });
  const opinion = (village: string) => ({ village, subject: '村道积水', text: '三组村道雨后积水严重。' });

  test('given the defaults, then several residents behind one address each send theirs (5 an hour was one village’s whole quota)', async () => {
    const api = app({ opinionDeadlines: deadlines });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await request(api).post('/api/opinions').send(opinion('xinglong'))).status);

    expect(statuses).toEqual(Array(8).fill(201));
  });

  test('given one village’s quota used up from an address, then another village from the same address still sends', async () => {
    const api = app({ opinionDeadlines: deadlines, opinionLimits: { submissions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await request(api).post('/api/opinions').send(opinion('xinglong'))).status);
    const other = await request(api).post('/api/opinions').send(opinion('dongfeng'));

    expect(statuses).toEqual([201, 201, 429]);
    expect(other.status).toBe(201);
  });
});
