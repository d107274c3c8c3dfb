import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { MatterView } from '../../common/matter';
import { createCatalog } from '../../procedures/catalog';
import { createProcedureVersionStore } from '../../stores/procedure-versions';
import { meetingRecord as meeting, people } from '../helpers/matter-harness';
import { signedAs, TEST_SESSION, TestDirectory, testDirectory } from '../helpers/people';
import {
  connectTestTemporal,
  createTestWorker,
  uniqueName,
  type TestTemporal,
  testProjection,
} from '../helpers/temporal';

/**
 * A policy change takes effect for matters started on or after its date; a matter started
 * before keeps the rules it started with to its end (its graph is pinned in its history).
 * The fixture's 2026-06-01 version makes the resolution disclosure 1 hour instead of 2 seconds.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const taskQueue = uniqueName('policy-change');
let temporal: TestTemporal;
let worker: Worker;
let running: Promise<void>;
let storeDir: string;
let directory: TestDirectory;

function appOn(day: string) {
  const catalog = createCatalog({
    proceduresDir: path.join(ROOT, 'procedures'),
    policyFile: path.join(ROOT, 'test', 'fixtures', 'policies', 'two-versions.json'),
    versions: createProcedureVersionStore(storeDir),
  });
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
    projection: testProjection(taskQueue),
    catalog,
    directory,
    session: TEST_SESSION,
    logger: pino({ level: 'error' }),
    now: () => new Date(`${day}T02:00:00Z`),
  });
}

beforeAll(async () => {
  directory = new TestDirectory(await testDirectory());
  temporal = await connectTestTemporal();
  storeDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-policy-'));
  worker = await createTestWorker(temporal, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await temporal.close();
  rmSync(storeDir, { recursive: true, force: true });
});

async function startOn(app: ReturnType<typeof appOn>): Promise<string> {
  const res = await signedAs(request(app).post('/api/matters'), {
    procedureId: 'major-decision',
    village: 'xinglong',
    title: '政策变更',
    actor: people.secretary,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function act(app: ReturnType<typeof appOn>, id: string, body: Record<string, unknown>) {
  const res = await signedAs(request(app).post(`/api/matters/${id}/actions`), body);
  if (res.status !== 200) throw new Error(`${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
}

async function view(app: ReturnType<typeof appOn>, id: string): Promise<MatterView> {
  return (await request(app).get(`/api/matters/${id}`)).body as MatterView;
}

test('given a policy change dated 2026-06-01, then a matter started in May keeps the old rules to its end', async () => {
  const may = appOn('2026-05-20');
  const june = appOn('2026-06-02');
  const before = await startOn(may);
  const after = await startOn(june);

  const [vBefore, vAfter] = [await view(may, before), await view(june, after)];
  expect(vBefore.procedure.version).not.toBe(vAfter.procedure.version);
  const pinned = await request(june).get(`/api/procedures/major-decision/versions/${vBefore.procedure.version}/bpmn`);
  expect(pinned.status).toBe(200);

  // Driven after the change, the May matter still discloses for 2 seconds, not 1 hour.
  const { secretary, director } = people;
  await act(june, before, {
    step: 'propose',
    action: 'submit',
    data: { title: '政策变更', description: '测试', category: 'other', estimatedAmount: 1 },
    actor: secretary,
  });
  for (const [step, record, recorder] of [
    ['deliberate', meeting('two-committees', 7, 6, 5), director],
    ['party-review', meeting('party-members', 45, 40, 30), secretary],
    ['resolve', meeting('representatives', 30, 25, 20), director],
  ] as const) {
    await act(june, before, { step, action: 'record', data: record, actor: recorder });
    await act(june, before, { step, action: 'confirm', actor: people.supervisor });
  }
  const deadline = Date.now() + 20_000;
  let v = await view(june, before);
  while (!v.activeSteps.some((s) => s.id === 'implement') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    v = await view(june, before);
  }
  expect(v.activeSteps.map((s) => s.id)).toEqual(['implement']);
  expect(v.procedure.version).toBe(vBefore.procedure.version);
});

test('given a day before any policy is in force, then new matters are refused with 409, not a 500', async () => {
  const res = await signedAs(request(appOn('2018-06-01')).post('/api/matters'), {
    procedureId: 'major-decision',
    village: 'xinglong',
    title: '太早',
    actor: people.secretary,
  });

  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe('PROCEDURE_UNAVAILABLE');
  expect(res.body.error.message).toContain('major-decision');
});
