import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { submitOpinion } from '../../api/routes/opinions/service';
import { testCatalog } from '../helpers/catalog';
import { TEST_SESSION, TestDirectory, bearer, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal, testProjection } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

/**
 * A worker that hangs (SIGSTOP: its process freezes, its sockets stay open, the server still counts
 * its pollers) against the real dev server: /readyz turns 503 within 10 s with the app's default
 * timings, and requests answer 503 in the error shape by their deadline instead of hanging.
 */

const READY_WITHIN_MS = 10_000;
const DEADLINE_MS = 4000;

let temporal: TestTemporal;
let worker: WorkerProcess;
const taskQueue = uniqueName('hung-worker');
const { catalog, cleanup } = testCatalog();

function app(directory: TestDirectory) {
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
    projection: testProjection(taskQueue),
    catalog,
    directory,
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
    temporalDeadlineMs: DEADLINE_MS,
  });
}

async function readyzUntil(api: ReturnType<typeof app>, status: number, withinMs: number) {
  const start = Date.now();
  for (;;) {
    const res = await request(api).get('/readyz');
    if (res.status === status) return { res, ms: Date.now() - start };
    if (Date.now() - start > withinMs) throw new Error(`/readyz still ${res.status} after ${withinMs} ms: ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  worker = startWorkerProcess(taskQueue);
  await worker.started;
});
afterAll(async () => {
  await worker.stop();
  await temporal.close();
  cleanup();
});

test('given a worker that hangs (SIGSTOP), then /readyz says so within 10 s, reads still answer from the read model and actions answer 503 by their deadline; once it resumes, ready again', async () => {
  const api = app(new TestDirectory(await testDirectory()));
  await readyzUntil(api, 200, 30_000);
  const { opinionId } = await submitOpinion(temporal.client, taskQueue, {
    village: 'xinglong',
    town: 'jinshan',
    subject: '路灯',
    text: '村口路灯坏了。',
    publishAnswer: true,
    deadlines: { acknowledge: { amount: 1, unit: 'days' }, answer: { amount: 2, unit: 'days' } },
  });
  // the healthy worker answers reads
  expect((await request(api).get(`/api/opinions/${opinionId}`)).status).toBe(200);

  try {
    worker.child.kill('SIGSTOP');
    const stopped = Date.now();
    const { res: notReady } = await readyzUntil(api, 503, READY_WITHIN_MS);
    process.stdout.write(`hung worker: /readyz 503 after ${Date.now() - stopped} ms\n`);
    expect(notReady.body.checks.temporal.ok).toBe(true);
    expect(notReady.body.checks.worker.ok).toBe(false);
    expect(notReady.body.checks.worker.detail).toMatch(/did not answer/);

    const chair = await bearer('qian-chair');
    const timed = async (send: () => request.Test) => {
      const start = Date.now();
      const res = await send();
      return { res, ms: Date.now() - start };
    };
    const [read, action] = await Promise.all([
      timed(() => request(api).get(`/api/opinions/${opinionId}`)),
      timed(() =>
        request(api).post(`/api/opinions/${opinionId}/acknowledge`).set('Authorization', chair).send({ note: '收到' }),
      ),
    ]);
    process.stdout.write(
      `hung worker: read ${read.res.status} in ${read.ms} ms, action ${action.res.status} in ${action.ms} ms\n`,
    );
    // the opinion's state is its published memo: no worker needed to read it
    expect(read.res.status).toBe(200);
    expect(read.res.body.status).toBe('submitted');
    expect(read.ms).toBeLessThan(DEADLINE_MS);
    expect(action.res.status).toBe(503);
    expect(['TEMPORAL_UNAVAILABLE', 'NO_WORKER']).toContain(action.res.body.error.code);
    expect(action.res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(action.res.headers['retry-after']).toBeDefined();
    expect(action.ms).toBeLessThan(DEADLINE_MS + 1500);
  } finally {
    // a failed expectation above must not leave the worker stopped for the next test
    worker.child.kill('SIGCONT');
  }
  const { ms } = await readyzUntil(api, 200, 30_000);
  process.stdout.write(`hung worker: ready again ${ms} ms after SIGCONT\n`);
}, 120_000);

test('given two workers and one hangs (SIGSTOP), then /readyz stays 200: the other answers the probe', async () => {
  const second = startWorkerProcess(taskQueue);
  await second.started;
  // no cache: every /readyz below asks the workers afresh
  const api = createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
    projection: testProjection(taskQueue),
    catalog,
    directory: new TestDirectory(await testDirectory()),
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
    temporalDeadlineMs: DEADLINE_MS,
    readinessTiming: { timeoutMs: 3000, cacheMs: 1 },
  });
  try {
    await readyzUntil(api, 200, 30_000);
    second.child.kill('SIGSTOP');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(api).get('/readyz')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  } finally {
    second.child.kill('SIGCONT');
    await second.stop();
  }
}, 120_000);

test('given no worker at all on the task queue, then a read answers 503 NO_WORKER or TEMPORAL_UNAVAILABLE by its deadline', async () => {
  const lonely = uniqueName('no-worker');
  const { opinionId } = await submitOpinion(temporal.client, lonely, {
    village: 'xinglong',
    town: 'jinshan',
    subject: '路灯',
    text: '没有人处理。',
    publishAnswer: true,
    deadlines: { acknowledge: { amount: 1, unit: 'days' }, answer: { amount: 2, unit: 'days' } },
  });
  const api = createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: lonely },
    projection: testProjection(lonely),
    catalog,
    directory: new TestDirectory(await testDirectory()),
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
    temporalDeadlineMs: DEADLINE_MS,
  });
  const start = Date.now();
  const res = await request(api).get(`/api/opinions/${opinionId}`);
  process.stdout.write(`no worker: read ${res.status} ${res.body.error?.code} in ${Date.now() - start} ms\n`);
  expect(res.status).toBe(503);
  expect(['TEMPORAL_UNAVAILABLE', 'NO_WORKER']).toContain(res.body.error.code);
  expect(Date.now() - start).toBeLessThan(DEADLINE_MS + 1500);
});
