import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { temporal as proto } from '@temporalio/proto';
import { customSearchAttributes } from '../../common/search-attributes';
import { testCatalog } from '../helpers/catalog';
import { PINGS_PER_MINUTE } from '../../api/routes/pings/routes';
import { TEST_SESSION, TestDirectory, bearer, people, testDirectory } from '../helpers/people';
import {
  connectTestTemporal,
  createTestWorker,
  uniqueName,
  type TestTemporal,
  testProjection,
} from '../helpers/temporal';

/** Through the HTTP API into a real workflow on the real dev server, and back. */

let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueName('ping-it');
const logger = pino({ level: 'silent' });
const { catalog, cleanup } = testCatalog();

function appFor(queue: string) {
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: queue },
    projection: testProjection(queue),
    catalog,
    directory,
    session: TEST_SESSION,
    logger,
  });
}

async function waitForStatus(app: ReturnType<typeof appFor>, id: string, status: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await request(app).get(`/api/pings/${id}`);
    if (res.body.status === status || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let directory: TestDirectory;
let auth: string;

beforeAll(async () => {
  directory = new TestDirectory(await testDirectory());
  auth = await bearer(people.admin.userId);
  temporal = await connectTestTemporal();
  worker = await createTestWorker(temporal, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await temporal.close();
  cleanup();
});

describe('ping through the API', () => {
  test('given a running worker, when a ping is posted, then the workflow runs the activity and the result comes back', async () => {
    const app = appFor(taskQueue);

    const started = await request(app).post('/api/pings').set('Authorization', auth).send({ name: '监委会' });

    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/api/pings/${started.body.id}`);
    const done = await waitForStatus(app, started.body.id, 'COMPLETED');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.result.greeting).toContain('监委会');
    expect(Date.parse(done.body.result.greetedAt)).not.toBeNaN();
  });

  test('given one Idempotency-Key, when the same ping is posted twice, then one workflow run exists', async () => {
    const app = appFor(taskQueue);
    const key = uniqueName('key');

    const first = await request(app)
      .post('/api/pings')
      .set('Authorization', auth)
      .set('Idempotency-Key', key)
      .send({ name: 'a', delaySeconds: 30 });
    const second = await request(app)
      .post('/api/pings')
      .set('Authorization', auth)
      .set('Idempotency-Key', key)
      .send({ name: 'a', delaySeconds: 30 });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const runs = temporal.client.workflow.list({ query: `WorkflowId = '${first.body.id as string}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
    await temporal.client.workflow.getHandle(first.body.id).terminate('test done');
  });

  test('given bad input, when posted, then a 400 names the field', async () => {
    const app = appFor(taskQueue);

    const post = () => request(app).post('/api/pings').set('Authorization', auth);
    const empty = await post().send({ name: '' });
    const malformed = await post().set('content-type', 'application/json').send('{"name":');
    const badKey = await post().set('Idempotency-Key', 'has spaces').send({ name: 'x' });
    const badDelay = await post().send({ name: 'x', delaySeconds: 1.5 });

    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_REQUEST');
    expect(empty.body.error.details).toEqual([{ field: 'body.name', message: 'name must not be empty' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details[0].field).toBe('header.Idempotency-Key');
    expect(badDelay.status).toBe(400);
    expect(badDelay.body.error.details[0].field).toBe('body.delaySeconds');
  });

  test('given nobody signed in, then 401; given more than the limit a minute, then 429', async () => {
    const app = appFor(taskQueue);
    const anonymous = await request(app).post('/api/pings').send({ name: 'x', delaySeconds: 86_400 });
    const user = await bearer(people.secretary.userId);
    const statuses: number[] = [];
    for (let i = 0; i <= PINGS_PER_MINUTE; i++) {
      // a key each and the same key again would not start new ones; bad bodies still count as tries
      statuses.push((await request(app).post('/api/pings').set('Authorization', user).send({ name: '' })).status);
    }
    const other = await request(app).post('/api/pings').set('Authorization', auth).send({ name: '' });

    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(statuses).toEqual([...Array(PINGS_PER_MINUTE).fill(400), 429]);
    expect(other.status).toBe(400);
  });

  test('given an unknown or malformed id, when read, then 404 and 400', async () => {
    const app = appFor(taskQueue);

    const missing = await request(app).get(`/api/pings/${uniqueName('ping-nobody')}`);
    const malformed = await request(app).get('/api/pings/not-a-ping');

    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe('params.id');
  });
});

describe('health and readiness', () => {
  test('given a worker polls the task queue, when /readyz is asked, then 200', async () => {
    const res = await request(appFor(taskQueue)).get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { temporal: { ok: true }, worker: { ok: true } } });
  });

  test('given no worker polls the task queue, when /readyz is asked, then 503 says the worker is missing', async () => {
    const res = await request(appFor(uniqueName('nobody-polls'))).get('/readyz');

    expect(res.status).toBe(503);
    expect(res.body.status).toBe('not-ready');
    expect(res.body.checks.temporal.ok).toBe(true);
    expect(res.body.checks.worker.ok).toBe(false);
    expect(res.body.checks.worker.detail).toContain('no worker');
  });

  test('given the server, then every custom search attribute is registered with its type', async () => {
    const { customAttributes } = await temporal.connection.operatorService.listSearchAttributes({
      namespace: temporal.namespace,
    });

    for (const { name, type } of customSearchAttributes) {
      expect(customAttributes?.[name]).toBe(proto.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`]);
    }
  });
});
