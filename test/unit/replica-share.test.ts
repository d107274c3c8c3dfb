import type { Client } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { openProjection } from '../../stores/read-model';
import { replicaShare } from '../../api/replica-share';
import { memoryDirectory } from '../../common/directory';
import { testCatalog } from '../helpers/catalog';
import { TEST_SESSION, people, testDirectory } from '../helpers/people';

/**
 * Two API processes behind a balancer that deals requests round robin, each counting in its own
 * memory: together they hold the configured log-in limit, not twice it.
 */

// No request here reaches Temporal (log-in is the directory's); these two methods are all the
// request deadline and the log-in route meet of a client.
const passThroughClient = {
  withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
  withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
} as unknown as Client;
const { catalog, cleanup } = testCatalog();
afterAll(cleanup);

async function api(replicas: number) {
  return createApp({
    temporal: { client: passThroughClient, namespace: 'default', taskQueue: 'none' },
    projection: openProjection(':memory:'),
    catalog,
    directory: memoryDirectory(await testDirectory()),
    session: TEST_SESSION,
    logger: pino({ level: 'silent' }),
    trustProxy: 'loopback',
    replicas,
  });
}

/** Wrong passwords for one user id from one address, dealt alternately to `apis`, until the first 429. */
async function failuresBeforeRefusal(apis: Awaited<ReturnType<typeof api>>[]): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const app = apis[i % apis.length];
    if (!app) throw new Error('no API');
    const res = await request(app)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ userId: people.chair.userId, password: `guess-${i}` });
    if (res.status === 429) return i;
    expect(res.status).toBe(401);
  }
  throw new Error('never refused');
}

describe('rate limits shared out over API processes (API_REPLICAS)', () => {
  test('given a limit and a number of processes, then each process enforces its share, rounded up, at least 1', () => {
    expect([10, 5, 100, 1, 7].map((limit) => replicaShare(limit, 2))).toEqual([5, 3, 50, 1, 4]);
    expect(replicaShare(10)).toBe(10);
    expect(replicaShare(10, 3)).toBe(4);
    expect(replicaShare(1, 4)).toBe(1);
  });

  test('given two processes configured as two replicas, then one address and user id get the free failures of one process, not twice', async () => {
    const free = TEST_SESSION.loginAttempts;
    const alone = await failuresBeforeRefusal([await api(1)]);
    const unaware = await failuresBeforeRefusal([await api(1), await api(1)]);
    const shared = await failuresBeforeRefusal([await api(2), await api(2)]);

    expect(alone).toBe(free);
    // counted apart, two processes let through twice the limit …
    expect(unaware).toBe(2 * free);
    // … each counting its share, the limit (rounded up to a whole share each)
    expect(shared).toBe(2 * Math.ceil(free / 2));
    expect(shared).toBeLessThanOrEqual(free + 1);
  });
});
