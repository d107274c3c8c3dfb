import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../api/app';
import { testCatalog } from '../helpers/catalog';
import { TEST_SESSION, TestDirectory, bearer, people, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';

/** What an outside abuse run found, refused: cross-site writes, cached personal answers, source maps. */

let temporal: TestTemporal;
let directory: TestDirectory;
const { catalog, cleanup } = testCatalog();
const uiDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-ui-'));

function app(over: Partial<AppDeps> = {}) {
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: uniqueName('abuse') },
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
