import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScheduleOverlapPolicy, WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createNoticeStore } from '../../stores/notices';
import { acknowledgeOpinion, answerOpinion, submitOpinion } from '../../api/routes/opinions/service';
import {
  MONTHLY_NOTICES_WORKFLOW,
  monthOf,
  monthlyNoticeWorkflowId,
  type VillageInfo,
} from '../../common/monthly-notice';
import { REDACTED } from '../../common/redact';
import { ensureMonthlyNoticeSchedule } from '../../worker/schedules';
import type { MonthlyNoticesResult } from '../../workflows/monthly-notice';
import { DirectMatters, actors, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { recordHistory } from '../helpers/history-replay';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';
import { testEnv } from '../helpers/test-env';
import { projectionSinks } from '../../worker/projection-sink';

/**
 * 三务公开 on the real dev server: the Schedule (01:00 on the 1st, Asia/Shanghai) backfilled over
 * two months, twice, publishes exactly one notice per village per month, with the payments this
 * test made itself. Villages are unique to this run, so no other test's matters show up.
 */

const noticesDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-notices-'));
const store = createNoticeStore(noticesDir);
const villageA = uniqueName('nv-a');
const villageB = uniqueName('nv-b');
const villages: VillageInfo[] = [
  { id: villageA, town: 'jinshan', name: { zh: '兴隆村', en: 'Xinglong' } },
  { id: villageB, town: 'jinshan', name: { zh: '东风村', en: 'Dongfeng' } },
];
const scheduleId = uniqueName('monthly-notices-test');
/** runs of the publishing workflows (id, run id), with the name a recorded history gets */
const runs: { workflowId: string; runId?: string; label: string }[] = [];

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let matters: DirectMatters;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  world = await directWorld(temporal, 'monthly-notices', {
    activityDeps: { villages: () => villages, notices: store },
  });
  matters = new DirectMatters(temporal, world);
});
afterAll(async () => {
  await temporal.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await world.cleanup();
  await temporal.close();
  rmSync(noticesDir, { recursive: true, force: true });
});

/** Every run the schedule started, once none is running any more. */
async function scheduledRuns(expected: number, timeoutMs = 60_000): Promise<MonthlyNoticesResult[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs: { id: string; runId: string; status: string }[] = [];
    for await (const wf of temporal.client.workflow.list({ query: `TemporalScheduledById = '${scheduleId}'` }))
      runs.push({ id: wf.workflowId, runId: wf.runId, status: wf.status.name });
    if (runs.length >= expected && runs.every((r) => r.status !== 'RUNNING')) {
      return Promise.all(
        runs.map((r) => temporal.client.workflow.getHandle(r.id, r.runId).result() as Promise<MonthlyNoticesResult>),
      );
    }
    if (Date.now() > deadline) throw new Error(`scheduled runs: ${JSON.stringify(runs)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function executions(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

describe('monthly notices (三务公开) on a real Temporal server', () => {
  test('given a schedule backfilled twice over two months, then each village has exactly one notice per month with its payments', async () => {
    // given payments the test makes itself: two months of village A, one of village B
    const septA = await matters.payment(
      villageA,
      { amount: 1500, payee: '张三丰', payeeKind: 'individual', purpose: '清理河道人工费' },
      '2026-09-15',
    );
    const octA1 = await matters.payment(
      villageA,
      { amount: 800.5, payee: '罗江建材有限公司', payeeKind: 'organisation', purpose: '水泥 20 袋' },
      '2026-10-08',
    );
    const octA2 = await matters.payment(
      villageA,
      { amount: 199.7, payee: '王五', payeeKind: 'individual', purpose: '路灯维修' },
      '2026-10-31',
    );
    const octB = await matters.payment(
      villageB,
      { amount: 1999.99, payee: '李四', payeeKind: 'individual', purpose: '慰问困难户' },
      '2026-10-20',
    );
    // a payment of November is in neither month
    await matters.payment(
      villageA,
      { amount: 300, payee: '赵六', payeeKind: 'individual', purpose: '办公用品' },
      '2026-11-02',
    );

    // when the schedule is backfilled over 1 October and 1 November, twice
    expect(await ensureMonthlyNoticeSchedule(temporal.client, { taskQueue: world.taskQueue, scheduleId })).toBe(
      'created',
    );
    expect(await ensureMonthlyNoticeSchedule(temporal.client, { taskQueue: world.taskQueue, scheduleId })).toBe(
      'updated',
    );
    const handle = temporal.client.schedule.getHandle(scheduleId);
    const range = {
      start: new Date('2026-09-30T12:00:00+08:00'),
      end: new Date('2026-11-01T12:00:00+08:00'),
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
    };
    await handle.backfill(range);
    const first = await scheduledRuns(2);
    await handle.backfill(range);
    const all = await scheduledRuns(4);
    expect(all).toHaveLength(4);
    for await (const wf of temporal.client.workflow.list({ query: `TemporalScheduledById = '${scheduleId}'` }))
      runs.push({ workflowId: wf.workflowId, runId: wf.runId, label: 'scheduled-fan-out' });
    runs.push({ workflowId: monthlyNoticeWorkflowId(villageA, '2026-10'), label: 'one-village-one-month' });

    // then two months were published, once each
    expect(first.map((r) => r.month).sort()).toEqual(['2026-09', '2026-10']);
    const published = all.flatMap((r) =>
      r.villages.filter((v) => v.result === 'published').map((v) => `${v.village}:${r.month}`),
    );
    expect(published.sort()).toEqual(
      [`${villageA}:2026-09`, `${villageA}:2026-10`, `${villageB}:2026-09`, `${villageB}:2026-10`].sort(),
    );
    for (const village of [villageA, villageB]) {
      expect(await store.months(village)).toEqual(['2026-10', '2026-09']);
      expect(readdirSync(path.join(noticesDir, village)).sort()).toEqual(['2026-09.json', '2026-10.json']);
      for (const month of ['2026-09', '2026-10'])
        expect(await executions(monthlyNoticeWorkflowId(village, month))).toBe(1);
    }

    // with the right figures
    const sepA = await store.get(villageA, '2026-09');
    expect(sepA?.payments.map((p) => [p.matterId, p.amount, p.payee, p.paidOn])).toEqual([
      [septA, 1500, REDACTED, '2026-09-15'],
    ]);
    const octNoticeA = await store.get(villageA, '2026-10');
    expect(octNoticeA?.payments.map((p) => [p.matterId, p.amount, p.payee, p.purpose])).toEqual([
      [octA1, 800.5, '罗江建材有限公司', '水泥 20 袋'],
      [octA2, 199.7, REDACTED, '路灯维修'],
    ]);
    expect(octNoticeA?.totals).toEqual({ payments: 2, amount: 1000.2 });
    expect(octNoticeA?.villageName?.zh).toBe('兴隆村');
    expect(octNoticeA?.period).toEqual({ from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
    const octNoticeB = await store.get(villageB, '2026-10');
    expect(octNoticeB?.payments.map((p) => [p.matterId, p.amount, p.payee])).toEqual([[octB, 1999.99, REDACTED]]);
    expect((await store.get(villageB, '2026-09'))?.payments).toEqual([]);
    expect(JSON.stringify(await store.get(villageA, '2026-10'))).not.toContain('王五');
  });

  test('given this month run twice by hand, then one notice lists the matters started and finished and the opinions with their answers', async () => {
    const month = monthOf(Date.now());
    const villageC = uniqueName('nv-c');
    villages.push({ id: villageC, town: 'jinshan', name: { zh: '红星村', en: 'Hongxing' } });
    const running = await matters.start('major-decision', villageC, '修建村卫生室', actors.secretary);
    const paid = await matters.payment(
      villageC,
      { amount: 120, payee: '东风五金店', payeeKind: 'organisation', purpose: '门锁' },
      `${month}-01`,
    );
    const { opinionId } = await submitOpinion(temporal.client, world.taskQueue, {
      village: villageC,
      subject: '卫生室选址',
      text: '建议建在村委会旁。',
      contact: { phone: '13900000000' },
      publishAnswer: true,
      deadlines: world.deadlines,
    });
    const chair = { userId: 'qian-chair', role: 'supervisor-chair' } as const;
    await acknowledgeOpinion(temporal.client, opinionId, { actor: chair });
    await answerOpinion(temporal.client, opinionId, { actor: chair, answer: '已纳入选址方案。' });
    const hidden = await submitOpinion(temporal.client, world.taskQueue, {
      village: villageC,
      subject: '家事',
      text: '不便公开答复',
      publishAnswer: false,
      deadlines: world.deadlines,
    });
    await answerOpinion(temporal.client, hidden.opinionId, { actor: chair, answer: '私下答复的内容' });

    const run = (id: string) =>
      temporal.client.workflow.execute(MONTHLY_NOTICES_WORKFLOW, {
        taskQueue: world.taskQueue,
        workflowId: id,
        args: [{ month }],
      }) as Promise<MonthlyNoticesResult>;
    const ids = [uniqueName('notices-by-hand'), uniqueName('notices-by-hand')];
    const [once, twice] = [await run(ids[0] ?? ''), await run(ids[1] ?? '')];
    runs.push(...ids.map((workflowId) => ({ workflowId, label: 'fan-out-by-hand-twice' })));
    expect(once.villages.find((v) => v.village === villageC)?.result).toBe('published');
    expect(twice.villages.map((v) => v.result)).toEqual([
      'already-published',
      'already-published',
      'already-published',
    ]);

    const notice = await store.get(villageC, month);
    expect(notice?.mattersStarted.map((m) => m.matterId).sort()).toEqual([paid, running].sort());
    expect(notice?.mattersFinished.map((m) => [m.matterId, m.outcome])).toEqual([[paid, 'completed']]);
    expect(notice?.payments.map((p) => [p.matterId, p.amount])).toEqual([[paid, 120]]);
    expect(notice?.opinions.map((o) => [o.opinionId, o.answer, o.answerWithheld ?? false])).toEqual([
      [opinionId, '已纳入选址方案。', false],
      [hidden.opinionId, undefined, true],
    ]);
    expect(JSON.stringify(notice)).not.toContain('13900000000');
    expect(JSON.stringify(notice)).not.toContain('私下答复的内容');
  });

  test('given a month that is not one, then the run fails at once, publishing nothing', async () => {
    const before = await store.months(villageA);
    const run = temporal.client.workflow.execute(MONTHLY_NOTICES_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: uniqueName('notices-bad-month'),
      args: [{ month: '2026-13' }],
    });
    await expect(run).rejects.toThrow(WorkflowFailedError);
    expect(await store.months(villageA)).toEqual(before);
  });

  test('given every publishing workflow run here, then today’s code replays its history', async () => {
    const histories = await Promise.all(
      runs.map(async ({ workflowId, runId }) => ({
        workflowId,
        history: await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory(),
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
    expect(count).toBe(runs.length);
    if (process.env.RECORD_HISTORIES === '1') {
      for (const [i, { workflowId, history }] of histories.entries()) {
        const handle = temporal.client.workflow.getHandle(workflowId, runs[i]?.runId);
        await recordHistory(history, runs[i]?.label ?? 'run', handle);
      }
    }
  });
});
