import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { openProjection } from '../../stores/read-model';
import { adoptFromVisibility } from '../../stores/read-model/adopt';
import { where } from '../../common/visibility-query';
import { DirectMatters, actors, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { TEST_SESSION, TestDirectory, bearer, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';

/**
 * The read model at CI size (issue 12): 150 matters across three villages of this file's own,
 * and lists that page through all of them exactly, from the projection, without asking the matters.
 */

const VILLAGES = [uniqueName('rma'), uniqueName('rmb'), uniqueName('rmc')];
const PER_VILLAGE = 50;

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let matters: DirectMatters;
let app: Express;
const started = new Map<string, string[]>();

beforeAll(async () => {
  temporal = await connectTestTemporal();
  world = await directWorld(temporal, 'read-model');
  matters = new DirectMatters(temporal, world);
  app = createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: world.taskQueue },
    projection: world.projection,
    catalog: world.catalog,
    // only this file's villages: the people of the tests hold roles in them and nowhere else here
    directory: new TestDirectory(await testDirectory(VILLAGES)),
    session: TEST_SESSION,
    logger: pino({ level: 'error' }),
  });
  for (const village of VILLAGES) {
    const ids: string[] = [];
    for (let i = 0; i < PER_VILLAGE; i += 10) {
      const batch = Array.from({ length: Math.min(10, PER_VILLAGE - i) }, (_, k) =>
        matters.start('fund-approval', village, `支出 ${i + k}`, actors.accountant),
      );
      ids.push(...(await Promise.all(batch)));
    }
    started.set(village, ids);
  }
}, 300_000);
afterAll(async () => {
  await world.cleanup();
  await temporal.close();
});

interface TasksPage {
  tasks: { matterId: string; step: { id: string } }[];
  total: number;
  nextCursor?: string;
  unread?: string[];
}

async function tasksOf(
  userId: string,
  limit: number,
): Promise<{ ids: string[]; pages: number[]; total: number; unread: number }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  let total = -1;
  let unread = 0;
  do {
    const res = await request(app)
      .get(`/api/me/tasks?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      .set('authorization', await bearer(userId));
    expect(res.status).toBe(200);
    const body = res.body as TasksPage;
    // a matter whose first task has not run yet has no summary: it is asked, or named as unread
    unread += body.unread?.length ?? 0;
    total = body.total;
    pages.push(body.tasks.length);
    ids.push(...body.tasks.map((t) => `${t.matterId}/${t.step.id}`));
    cursor = body.nextCursor;
  } while (cursor);
  return { ids, pages, total, unread };
}

async function until<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const all = () => [...started.values()].flat();

describe('lists from the read model, complete at 150 matters', () => {
  test('given 150 matters waiting on the accountant, then the task list pages add up to exactly those 150', async () => {
    // While matters are still publishing their first summary, the list changes between two page reads.
    await until(
      'every matter to publish its summary',
      () => tasksOf(actors.accountant.userId, 40),
      (t) => t.total === 150 && t.unread === 0 && new Set(t.ids).size === 150,
      240_000,
    );
    // Settled: one more walk through the pages must give each matter exactly once.
    const listed = await tasksOf(actors.accountant.userId, 40);
    expect(listed.total).toBe(150);
    expect(listed.unread).toBe(0);
    expect(listed.pages).toEqual([40, 40, 40, 30]);
    expect(new Set(listed.ids).size).toBe(150);
    expect([...listed.ids].sort()).toEqual(
      all()
        .map((id) => `${id}/apply`)
        .sort(),
    );
    // nothing waits on the supervisors yet
    expect((await tasksOf(actors.supervisor.userId, 40)).total).toBe(0);
  }, 300_000);

  test('given an application submitted, then at its answer the matter has left the accountant for the supervisors', async () => {
    const [first] = started.get(VILLAGES[0] ?? '') ?? [];
    if (!first) throw new Error('no matter');
    await matters.ok(first, 'apply', 'submit', actors.accountant, {
      amount: 800,
      payee: '罗江区建材经营部',
      payeeKind: 'organisation',
      purpose: '办公室维修材料',
      invoiceCount: 1,
      invoicesHash: 'a'.repeat(64),
    });
    // No waiting: the matter wrote its row before its answer left the worker.
    const supervisor = await tasksOf(actors.supervisor.userId, 100);
    expect(supervisor.total).toBe(1);
    expect(supervisor.unread).toBe(0);
    expect(supervisor.ids).toEqual([`${first}/supervisor-review`]);
    const accountant = await tasksOf(actors.accountant.userId, 100);
    expect(accountant.unread).toBe(0);
    expect(accountant.ids.filter((id) => id.endsWith('/apply'))).toHaveLength(149);
    expect(accountant.ids).not.toContain(`${first}/apply`);
  }, 60_000);

  test('given a village of 50 matters, then the matter list pages through exactly those 50', async () => {
    const village = VILLAGES[1] ?? '';
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await request(app).get(`/api/matters?village=${village}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const body = res.body as { matters: { id: string; village: string }[]; nextCursor?: string };
      expect(body.matters.length).toBeLessThanOrEqual(7);
      for (const m of body.matters) expect(m.village).toBe(village);
      ids.push(...body.matters.map((m) => m.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(ids).toHaveLength(PER_VILLAGE);
    expect([...ids].sort()).toEqual([...(started.get(village) ?? [])].sort());
  });

  test('given a cursor that is not one, then 400 names query.cursor', async () => {
    const res = await request(app).get(`/api/matters?village=${VILLAGES[0]}&cursor=bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(400);
    expect((res.body as { error: { details: { field: string }[] } }).error.details[0]?.field).toBe('query.cursor');
  });

  test('given the worker stopped, then lists and a closed matter are still read (no workflow is asked)', async () => {
    const id = started.get(VILLAGES[2] ?? '')?.[0] ?? '';
    await matters.ok(id, 'apply', 'submit', actors.accountant, {
      amount: 500,
      payee: '罗江区建材经营部',
      payeeKind: 'organisation',
      purpose: '打印纸',
      invoiceCount: 1,
      invoicesHash: 'b'.repeat(64),
    });
    await matters.ok(id, 'supervisor-review', 'approve', actors.supervisor);
    await matters.ok(id, 'director-sign', 'approve', actors.director);
    await matters.ok(id, 'secretary-sign', 'approve', actors.secretary);
    await matters.ok(id, 'town-review', 'approve', actors.town);
    await matters.ok(id, 'payment', 'submit', actors.accountant, { transferReference: 'TR-1', paidOn: '2026-03-10' });
    await temporal.client.workflow.getHandle(id).result();
    world.worker.shutdown();
    await world.running;

    const closed = await request(app).get(`/api/matters/${id}`).timeout(15_000);
    expect(closed.status).toBe(200);
    expect((closed.body as { status: string; outcome: string }).status).toBe('ended');
    expect((closed.body as { record: unknown[] }).record.length).toBeGreaterThan(6);
    const tasks = await tasksOf(actors.accountant.userId, 500);
    expect(tasks.unread).toBe(0);
    expect(tasks.ids.filter((t) => t.endsWith('/apply'))).toHaveLength(148);
  }, 180_000);

  test('given a projection lost, then it is rebuilt from what the matters published to visibility', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-adopt-'));
    const rebuilt = openProjection(path.join(dir, 'read-model.sqlite'));
    try {
      const ended = started.get(VILLAGES[2] ?? '')?.[0] ?? '';
      // visibility follows the server's own writes a moment later
      await until(
        'visibility to show the paid matter ended',
        async () => (await temporal.client.workflow.getHandle(ended).describe()).memo?.summary,
        (summary) => (summary as { status?: string } | undefined)?.status === 'ended',
      );
      // this file's matters only: the server is shared with the other files
      const only = where.eq('TaskQueue', world.taskQueue);
      const adopted = await adoptFromVisibility(temporal.client, rebuilt, { only });
      expect(adopted).toEqual({ adopted: 150, seen: 150 });
      const ours = rebuilt.all({ villages: VILLAGES });
      expect(ours.map((r) => r.id).sort()).toEqual([...all()].sort());
      expect(ours.every((r) => r.summary !== undefined)).toBe(true);
      expect(rebuilt.get(ended)).toMatchObject({ status: 'ended', outcome: 'completed' });
      // what the matters wrote themselves and what was rebuilt tell the same task list
      const waiting = (p: typeof rebuilt) =>
        p
          .all({ villages: VILLAGES, status: 'open', waitingOn: ['supervisor'] })
          .map((r) => r.id)
          .sort();
      expect(waiting(rebuilt)).toEqual(waiting(world.projection));
      // done once: a second start adopts nothing
      expect(await adoptFromVisibility(temporal.client, rebuilt, { only })).toBeUndefined();
    } finally {
      rebuilt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
