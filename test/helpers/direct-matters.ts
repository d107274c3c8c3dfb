import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { chinaDate } from '../../common/china-date';
import type { Actor } from '../../common/engine';
import { MATTER_WORKFLOW, actUpdate, stateQuery, type MatterInput, type MatterView } from '../../common/matter';
import { opinionDeadlinesFrom, type OpinionDeadlines } from '../../common/opinion';
import { MatterSearchAttributes } from '../../common/search-attributes';
import { createCatalog, type Catalog } from '../../procedures/catalog';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { createProcedureVersionStore } from '../../stores/procedure-versions';
import { createWorker } from '../../worker/create-worker';
import { meetingRecord } from './meeting';
import { testEnv } from './test-env';
import type { MatterProjection } from '../../stores/read-model';
import { testProjection, uniqueName, type TestTemporal } from './temporal';
import { pollPause } from './time-skipping';
import { TEST_REGISTER, people } from './people';

/**
 * Matters and opinions driven straight through the Temporal client (no HTTP), for tests of the
 * board and the reports: the catalog is the real one over the shipped BPMN files with the short
 * test policy, optionally with some values changed.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SHORT_POLICY = path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json');

export interface DirectWorld {
  catalog: Catalog;
  taskQueue: string;
  /** the rows this world's matters write and its API reads */
  projection: MatterProjection;
  deadlines: OpinionDeadlines;
  worker: Worker;
  cleanup(): Promise<void>;
}

export async function directWorld(
  temporal: TestTemporal,
  name: string,
  options: { policy?: Record<string, unknown>; activityDeps?: Partial<ActivityDeps> } = {},
): Promise<DirectWorld & { running: Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-direct-'));
  const policy = JSON.parse(readFileSync(SHORT_POLICY, 'utf8')) as {
    versions: { values: Record<string, unknown> }[];
  };
  const first = policy.versions[0];
  if (!first) throw new Error('short.json has no version');
  Object.assign(first.values, options.policy ?? {});
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  const catalog = createCatalog({
    proceduresDir: path.join(ROOT, 'procedures'),
    policyFile,
    versions: createProcedureVersionStore(dir),
  });
  const taskQueue = uniqueName(name);
  const projection = testProjection(taskQueue);
  const worker = await createWorker({
    projection,
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: { codePath: testEnv('bundle') },
    activityDeps: { client: temporal.client, ...options.activityDeps },
  });
  const running = worker.run();
  const deadlines = opinionDeadlinesFrom(policyValuesAt(loadPolicyFile(policyFile), chinaDate()));
  return {
    catalog,
    taskQueue,
    projection,
    deadlines,
    worker,
    running,
    async cleanup() {
      // a test may have stopped the worker already (to show what is read without it)
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same people the directory of the tests knows. */
export const actors = people;

export class DirectMatters {
  constructor(
    private readonly temporal: TestTemporal,
    private readonly world: DirectWorld,
  ) {}

  async start(procedureId: string, village: string, title: string, initiator: Actor): Promise<string> {
    const procedure = await this.world.catalog.current(procedureId, chinaDate());
    if (!procedure) throw new Error(`no procedure ${procedureId}`);
    const matterId = uniqueName(`matter-${procedureId}`);
    const input: MatterInput = { graph: procedure.graph, matterId, village, title, initiator };
    await this.temporal.client.workflow.start(MATTER_WORKFLOW, {
      taskQueue: this.world.taskQueue,
      workflowId: matterId,
      args: [input],
      typedSearchAttributes: [
        { key: MatterSearchAttributes.village, value: village },
        { key: MatterSearchAttributes.procedure, value: procedureId },
        { key: MatterSearchAttributes.status, value: 'running' },
      ],
    });
    return matterId;
  }

  async ok(
    id: string,
    step: string | null,
    action: string,
    actor: Actor,
    data: Record<string, unknown> = {},
    comment?: string,
  ) {
    return this.temporal.client.workflow.getHandle(id).executeUpdate(actUpdate, {
      args: [
        {
          step,
          action,
          data,
          actor,
          ...(comment ? { comment } : {}),
          // as the API does: a meeting is judged against the village's register on its date
          ...(action === 'record' && typeof data.date === 'string'
            ? { register: { from: '2000-01-01', ...TEST_REGISTER } }
            : {}),
        },
      ],
    });
  }

  view(id: string): Promise<MatterView> {
    return this.temporal.client.workflow.getHandle(id).query(stateQuery);
  }

  async waitFor(id: string, what: string, done: (v: MatterView) => boolean, timeoutMs = 30_000): Promise<MatterView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.view(id);
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v.activeSteps)}`);
      await pollPause(this.temporal);
    }
  }

  async meeting(id: string, step: string, data: Record<string, unknown>, recorder: Actor = actors.director) {
    await this.ok(id, step, 'record', recorder, data);
    await this.ok(id, step, 'confirm', actors.supervisor);
  }

  /** A major decision up to its resolution's disclosure (active when this returns). */
  async decisionInDisclosure(village: string, title = '村道硬化'): Promise<string> {
    const id = await this.start('major-decision', village, title, actors.secretary);
    const proposal = { title, description: '测试', category: 'infrastructure', estimatedAmount: 180000 };
    await this.ok(id, 'propose', 'submit', actors.secretary, proposal);
    await this.meeting(id, 'deliberate', meetingRecord('two-committees', 7, 6, 5));
    await this.meeting(id, 'party-review', meetingRecord('party-members', 45, 40, 30), actors.secretary);
    await this.meeting(id, 'resolve', meetingRecord('representatives', 30, 25, 20));
    return id;
  }

  /** A fund approval of at most the director's limit, paid on `paidOn`. */
  async payment(
    village: string,
    application: { amount: number; payee: string; payeeKind: 'individual' | 'organisation'; purpose: string },
    paidOn: string,
  ): Promise<string> {
    const id = await this.start('fund-approval', village, application.purpose, actors.accountant);
    await this.ok(id, 'apply', 'submit', actors.accountant, { ...application, invoiceCount: 1 });
    await this.ok(id, 'supervisor-review', 'approve', actors.supervisor);
    await this.ok(id, 'director-sign', 'approve', actors.director);
    await this.ok(id, 'secretary-sign', 'approve', actors.secretary);
    await this.ok(id, 'town-review', 'approve', actors.town);
    await this.ok(id, 'payment', 'submit', actors.accountant, { transferReference: `TR-${id}`, paidOn });
    await this.waitFor(id, 'payment', (v) => v.status === 'ended');
    return id;
  }
}
