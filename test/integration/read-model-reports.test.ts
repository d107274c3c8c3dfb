import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { answerOpinion, submitOpinion } from '../../api/routes/opinions/service';
import { yearlyReport, type OverdueItem, type YearlyReport } from '../../common/accountability';
import { chinaDate } from '../../common/china-date';
import { stateQuery, type MatterView } from '../../common/matter';
import { reportMatterOf } from '../../common/matter-facts';
import { composeMonthlyNotice, monthOf } from '../../common/monthly-notice';
import { opinionQuery, type OpinionState } from '../../common/opinion';
import { createNoticeStore } from '../../stores/notices';
import { DirectMatters, actors, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { TEST_SESSION, TestDirectory, bearer, testDirectory } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';

/**
 * The reports and opinion lists from the read model (issue 12): the yearly report, the overdue
 * report, the monthly notice, the opinion list and the chair's opinion tasks of a village of this
 * file's own, read with the worker stopped — so no workflow is asked — and equal, figure for
 * figure, to what the full views (asked while the worker ran) give.
 */

const village = uniqueName('rr');
const noticesDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-read-model-reports-'));
const notices = createNoticeStore(noticesDir);
const chair = { userId: 'qian-chair', role: 'supervisor-chair' } as const;
const LONG = { acknowledge: { amount: 1, unit: 'hours' }, answer: { amount: 2, unit: 'hours' } } as const;
const SHORT = { acknowledge: { amount: 1, unit: 'seconds' }, answer: { amount: 2, unit: 'seconds' } } as const;

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let matters: DirectMatters;
let app: Express;
const matterIds: string[] = [];
const opinionIds: string[] = [];
/** what the full views gave while the worker ran */
let views: MatterView[] = [];
let opinions: OpinionState[] = [];

async function opinion(subject: string, deadlines: typeof LONG | typeof SHORT): Promise<string> {
  const { opinionId } = await submitOpinion(temporal.client, world.taskQueue, {
    village,
    town: 'jinshan',
    subject,
    text: `${subject}，请尽快处理。`,
    publishAnswer: true,
    deadlines,
  });
  opinionIds.push(opinionId);
  return opinionId;
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const today = chinaDate();
const year = Number(today.slice(0, 4));

/** The yearly report as the full views give it (the path before the read model). */
function expectedReport(generatedAt: string): YearlyReport {
  const sorted = [...views].sort((a, b) => a.matterId.localeCompare(b.matterId));
  return yearlyReport({ village, year, matters: sorted.map(reportMatterOf), opinions, generatedAt });
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  world = await directWorld(temporal, 'read-model-reports', {
    // a major decision's step is overdue after 2 s: overdue steps without waiting days
    policy: { 'majorDecision.stepDeadline': { amount: 2, unit: 'seconds' } },
  });
  matters = new DirectMatters(temporal, world);
  app = createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: world.taskQueue },
    projection: world.projection,
    catalog: world.catalog,
    directory: new TestDirectory(await testDirectory([village])),
    session: TEST_SESSION,
    logger: pino({ level: 'error' }),
    notices,
    opinionDeadlines: () => world.deadlines,
  });

  // given: 3 payments made today (one to a person), 4 applications waiting, 2 decisions overdue,
  // 2 opinions waiting, 1 escalated and 1 answered
  const payees = [
    { payee: '张三丰', payeeKind: 'individual' as const },
    { payee: '罗江区建材经营部', payeeKind: 'organisation' as const },
    { payee: '德阳市印刷厂', payeeKind: 'organisation' as const },
  ];
  const paid = await Promise.all(
    payees.map((p, i) => matters.payment(village, { amount: 100 * (i + 1), ...p, purpose: `采购 ${i}` }, today)),
  );
  const waiting = await Promise.all(
    [0, 1, 2, 3].map((i) => matters.start('fund-approval', village, `支出申请 ${i}`, actors.accountant)),
  );
  const decisions = await Promise.all(
    [0, 1].map((i) => matters.start('major-decision', village, `村道硬化 ${i}`, actors.secretary)),
  );
  matterIds.push(...paid, ...waiting, ...decisions);
  await opinion('路灯坏了', LONG);
  await opinion('垃圾清运', LONG);
  const escalated = await opinion('水渠漏水', SHORT);
  const answered = await opinion('公示栏位置', LONG);
  await answerOpinion(temporal.client, answered, { actor: chair, answer: '已移到村委会门口。' });

  await until('the decisions to be overdue and the opinion escalated', async () => {
    const all = await Promise.all(decisions.map((id) => matters.view(id)));
    const o = await temporal.client.workflow.getHandle(escalated).query(opinionQuery);
    return all.every((v) => v.activeSteps.some((s) => s.overdueSince)) && o.escalations.length > 0;
  });
  // the full views and states, asked while the worker runs: what the old path read
  views = await Promise.all(matterIds.map((id) => temporal.client.workflow.getHandle(id).query(stateQuery)));
  opinions = await Promise.all(
    opinionIds.map(async (id) => {
      const handle = temporal.client.workflow.getHandle(id);
      return (await handle.describe()).status.name === 'COMPLETED'
        ? ((await handle.result()) as OpinionState)
        : handle.query(opinionQuery);
    }),
  );
  // the memos are upserted by the workflow tasks that made the change: wait until visibility has them
  await until('the read model to catch up', async () => {
    const res = await request(app).get(`/api/reports/yearly?village=${village}&year=${year}`);
    const expected: unknown = JSON.parse(JSON.stringify(expectedReport((res.body as YearlyReport).generatedAt)));
    return isDeepStrictEqual(res.body, expected);
  });
  world.worker.shutdown();
  await world.running;
}, 240_000);
afterAll(async () => {
  await world.cleanup();
  await temporal.close();
  rmSync(noticesDir, { recursive: true, force: true });
});

describe('reports and opinion lists with the worker stopped (no workflow is asked)', () => {
  test('given 9 matters and 4 opinions, then the yearly report counts exactly them, as their full views do', async () => {
    const res = await request(app).get(`/api/reports/yearly?village=${village}&year=${year}`).timeout(20_000);
    expect(res.status).toBe(200);
    const report = res.body as YearlyReport;
    expect(report).not.toHaveProperty('unread');
    expect(report.matters.total).toBe(9);
    expect(report.matters.byProcedure.map((p) => [p.procedure, p.started, p.byOutcome])).toEqual([
      ['fund-approval', 7, { completed: 3, running: 4 }],
      ['major-decision', 2, { running: 2 }],
    ]);
    expect(report.overdue.total).toBe(2);
    expect(report.opinions).toMatchObject({ submitted: 4, answered: 1, escalated: 1 });
    expect(report.stepTimes.find((t) => t.procedure === 'fund-approval' && t.step === 'payment')?.count).toBe(3);
    expect(report).toEqual(expectedReport(report.generatedAt));
  });

  test('given 2 overdue decisions and an escalated opinion, then the overdue report names exactly those 3', async () => {
    const res = await request(app).get(`/api/reports/overdue?village=${village}`).timeout(20_000);
    expect(res.status).toBe(200);
    const body = res.body as { items: OverdueItem[]; unread?: string[] };
    expect(body.unread).toBeUndefined();
    expect(body.items.map((i) => [i.kind, i.step]).sort()).toEqual([
      ['opinion', 'acknowledge'],
      ['step', 'propose'],
      ['step', 'propose'],
    ]);
  });

  test('given 4 opinions, then the list and each one are read, and the chair has the 3 unanswered to do', async () => {
    const list = await request(app).get(`/api/opinions?village=${village}`).timeout(20_000);
    expect(list.status).toBe(200);
    const body = list.body as { opinions: { opinionId: string; status: string }[]; unread?: string[] };
    expect(body.unread).toBeUndefined();
    expect(body.opinions.map((o) => o.opinionId).sort()).toEqual([...opinionIds].sort());
    expect(body.opinions.filter((o) => o.status === 'answered')).toHaveLength(1);

    for (const id of opinionIds) {
      const one = await request(app).get(`/api/opinions/${id}`).timeout(20_000);
      expect(one.status).toBe(200);
      expect((one.body as { opinionId: string }).opinionId).toBe(id);
    }

    const tasks = await request(app)
      .get('/api/me/tasks')
      .set('authorization', await bearer(chair.userId));
    expect(tasks.status).toBe(200);
    const mine = tasks.body as { opinions: { opinionId: string }[]; unread?: string[] };
    expect(mine.unread).toBeUndefined();
    expect(mine.opinions).toHaveLength(3);
  });

  test('given the month, then the monthly notice lists exactly its 3 payments, 9 matters and 4 opinions, as full views do', async () => {
    const month = monthOf(Date.now());
    const activities = createActivities({
      now: () => new Date(),
      client: temporal.client,
      notices,
      projection: world.projection,
    });
    const input = { village, month, publishedBy: 'read-model-reports' };
    const { created, notice } = await activities.publishMonthlyNotice(input);
    expect(created).toBe(true);
    expect(notice.payments).toHaveLength(3);
    expect(notice.payments.map((p) => p.payee)).not.toContain('张三丰');
    expect(notice.mattersStarted).toHaveLength(9);
    expect(notice.mattersFinished).toHaveLength(3);
    expect(notice.opinions).toHaveLength(4);
    const expected = composeMonthlyNotice({
      ...input,
      publishedAt: notice.publishedAt,
      matters: views.map(reportMatterOf),
      opinions,
    });
    expect(notice).toEqual(expected);
  });

  test('given a link to a running decision, then the start is refused from the decision’s summary, without its worker', async () => {
    const decision = matterIds[matterIds.length - 1] ?? '';
    const res = await request(app)
      .post('/api/matters')
      .set('authorization', await bearer(actors.accountant.userId))
      .send({ procedureId: 'fund-approval', village, title: '大额支出', amount: 80_000, links: [decision] })
      .timeout(20_000);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('is not completed (running)');
  });
});
