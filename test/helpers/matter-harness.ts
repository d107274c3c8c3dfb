import { Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { CatalogPort } from '../../api/catalog-port';
import type { Actor } from '../../common/engine';
import { stateQuery, type MatterView } from '../../common/matter';
import { objectionDeadlinesFrom } from '../../common/objection-deadlines';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { SHORT_POLICY_FILE, testCatalog } from './catalog';
import { recordHistory } from './history-replay';
import { bearer, people, signedAs, TEST_SESSION, TestDirectory, testDirectory } from './people';
import { meetingRecord } from './meeting';
import { testEnv } from './test-env';
import { connectTestTemporal, createTestWorker, testProjection, uniqueName, type TestTemporal } from './temporal';
import { connectTimeSkipping, pass, pollPause } from './time-skipping';
import { projectionSinks } from '../../worker/projection-sink';

/**
 * Scenario tests of a procedure: the real app over a real Temporal server and a real worker, with
 * the short test policy. Call `setUp()` in beforeAll and `tearDown()` in afterAll.
 *
 * The server is the run's dev server, or with `{ clock: 'time-skipping' }` a time-skipping test
 * server of the file's own (test/helpers/time-skipping.ts): files whose waits are a workflow's
 * timers (notices, disclosure windows, deadlines) and that read no lists use it, so `waitFor` and
 * `pass` move the server's clock instead of waiting it out.
 */

export { HASH, meetingRecord } from './meeting';

export { people } from './people';

export class MatterHarness {
  temporal!: TestTemporal;
  catalog!: CatalogPort;
  directory!: TestDirectory;
  app!: ReturnType<typeof createApp>;
  readonly taskQueue: string;
  /** every matter a test started, with the name of the test that started it */
  readonly started = new Map<string, string>();
  private worker!: Worker;
  private running!: Promise<void>;
  private cleanupCatalog!: () => void;
  private skipping = false;

  constructor(
    name: string,
    private readonly options: { clock?: 'real' | 'time-skipping' } = {},
  ) {
    this.taskQueue = uniqueName(name);
  }

  async setUp(): Promise<void> {
    this.skipping = this.options.clock === 'time-skipping';
    this.temporal = this.skipping ? await connectTimeSkipping() : await connectTestTemporal();
    const { catalog, cleanup } = testCatalog();
    this.catalog = catalog;
    this.cleanupCatalog = cleanup;
    this.directory = new TestDirectory(await testDirectory());
    this.app = createApp({
      directory: this.directory,
      session: TEST_SESSION,
      temporal: { client: this.temporal.client, namespace: this.temporal.namespace, taskQueue: this.taskQueue },
      projection: testProjection(this.taskQueue),
      catalog,
      objectionDeadlines: (date, town) =>
        objectionDeadlinesFrom(policyValuesAt(loadPolicyFile(SHORT_POLICY_FILE), date, town)),
      // errors only: an unexpected 500 shows up in the test output
      logger: pino({ level: 'error' }),
    });
    this.worker = await createTestWorker(this.temporal, this.taskQueue);
    this.running = this.worker.run();
  }

  async tearDown(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.temporal.close();
    this.cleanupCatalog();
  }

  /** Lets `ms` go by: on the time-skipping server at once (timers due by then fire), else in real time. */
  pass(ms: number): Promise<void> {
    return pass(this.temporal, ms);
  }

  remember(id: string): void {
    this.started.set(id, expect.getState().currentTestName ?? id);
  }

  /** POST as the body's `actor` (signed in, in that role), or anonymously when it names none. */
  post(path: string, body: Record<string, unknown>, key?: string) {
    const req = request(this.app).post(path);
    return signedAs(key ? req.set('Idempotency-Key', key) : req, body);
  }

  async start(body: Record<string, unknown>): Promise<string> {
    const res = await this.post('/api/matters', body);
    if (res.status !== 201)
      throw new Error(`start ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    this.remember(res.body.id as string);
    return res.body.id as string;
  }

  act(id: string, body: Record<string, unknown>, key?: string) {
    return this.post(`/api/matters/${id}/actions`, body, key);
  }

  /** An action that must succeed; otherwise the error says what was refused and why. */
  async ok(id: string, body: Record<string, unknown>) {
    const res = await this.act(id, body);
    if (res.status !== 200) throw new Error(`${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }

  /**
   * The full view, as a district role reads it (the public's is redacted: see record-and-redaction
   * tests). The time-skipping server has no list queries, which `GET /api/matters/:id` makes for the
   * matters linking to this one, so there the view is the workflow's own state query.
   */
  async view(id: string): Promise<MatterView> {
    if (this.skipping) return this.temporal.client.workflow.getHandle(id).query(stateQuery);
    const res = await request(this.app)
      .get(`/api/matters/${id}`)
      .set('Authorization', await bearer(people.auditor.userId));
    if (res.status !== 200) throw new Error(`GET ${id} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as MatterView;
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

  /** A meeting recorded by `recorder` and witnessed by a supervisor. */
  async holdMeeting(id: string, step: string, data: Record<string, unknown>, recorder: Actor = people.director) {
    await this.ok(id, { step, action: 'record', data, actor: recorder });
    await this.ok(id, { step, action: 'confirm', actor: people.supervisor });
  }

  /**
   * Replays the history of every matter started here with today's code (expects no error) and
   * returns how many were replayed. With RECORD_HISTORIES=1 it also keeps them, with the state they
   * computed, in test/fixtures/histories (test/helpers/history-replay.ts), which
   * replay-fixtures.test.ts replays against every later version of the code.
   */
  async replayAll(): Promise<number> {
    const histories = await Promise.all(
      [...this.started.keys()].map(async (workflowId) => ({
        workflowId,
        history: await this.temporal.client.workflow.getHandle(workflowId).fetchHistory(),
      })),
    );
    let count = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: testEnv('bundle') }, sinks: projectionSinks() },
      histories,
    )) {
      expect(result.error).toBeUndefined();
      count++;
    }
    if (process.env.RECORD_HISTORIES === '1') {
      for (const { workflowId, history } of histories) {
        const scenario = (this.started.get(workflowId) ?? workflowId).replace(/^.*?server\s*/, '');
        await recordHistory(history, scenario, this.temporal.client.workflow.getHandle(workflowId));
      }
    }
    return count;
  }

  /** Runs a major decision of `village` to its end (completed), for matters that must link one. */
  async completedDecision(village: string): Promise<string> {
    const { secretary, director } = people;
    const id = await this.start({ procedureId: 'major-decision', village, title: '村级重大事项', actor: secretary });
    const proposal = {
      title: '村级重大事项',
      description: '测试用重大事项',
      category: 'infrastructure',
      estimatedAmount: 500000,
    };
    await this.ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await this.holdMeeting(id, 'deliberate', meetingRecord('two-committees', 7, 6, 5));
    await this.holdMeeting(id, 'party-review', meetingRecord('party-members', 45, 40, 30), secretary);
    await this.holdMeeting(id, 'resolve', meetingRecord('representatives', 30, 25, 20));
    await this.waitFor(id, 'implement', (v) => v.activeSteps.some((s) => s.id === 'implement'));
    const done = { progress: '已实施', completedOn: '2026-06-30', finalAmount: 480000 };
    await this.ok(id, { step: 'implement', action: 'submit', data: done, actor: director });
    await this.waitFor(id, 'the decision to complete', (v) => v.status === 'ended');
    return id;
  }

  /** Sequence flows of the procedure that none of the matters started here has taken. */
  async untakenFlows(procedureId: string): Promise<{ untaken: string[]; total: number }> {
    const taken = new Set<string>();
    let version: string | undefined;
    for (const id of this.started.keys()) {
      const v = await this.view(id);
      if (v.procedure.id !== procedureId) continue;
      version = v.procedure.version;
      for (const flow of v.takenFlows) taken.add(flow);
    }
    if (!version) throw new Error(`no matter of ${procedureId} was started`);
    const pinned = await this.catalog.get(procedureId, version);
    if (!pinned) throw new Error(`version ${version} of ${procedureId} is not in the catalog`);
    const all = Object.keys(pinned.graph.flows);
    return { untaken: all.filter((f) => !taken.has(f)).sort(), total: all.length };
  }
}
