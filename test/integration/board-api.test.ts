import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createNoticeStore } from '../../stores/notices';
import { createApp, type AppDeps } from '../../api/app';
import { chinaDate } from '../../common/china-date';
import type { OverdueItem, YearlyReport } from '../../common/accountability';
import { MONTHLY_NOTICES_WORKFLOW, monthOf, type MonthlyNotice } from '../../common/monthly-notice';
import { DirectMatters, actors, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { TEST_SESSION, TestDirectory, bearer, testDirectory, TEST_VILLAGES } from '../helpers/people';
import { connectTestTemporal, uniqueName, type TestTemporal } from '../helpers/temporal';

/**
 * The opinion, notice and report routes over the real stack: HTTP → Temporal → worker. The yearly
 * report is checked against matters and opinions this file runs itself, in a village of its own.
 */

const village = uniqueName('yv');
const noticesDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-board-api-'));
const notices = createNoticeStore(noticesDir);

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let matters: DirectMatters;
let directory: TestDirectory;
let app: Express;

function appWith(over: Partial<AppDeps> = {}): Express {
  return createApp({
    temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: world.taskQueue },
    projection: world.projection,
    catalog: world.catalog,
    directory,
    session: TEST_SESSION,
    logger: pino({ level: 'error' }),
    notices,
    opinionDeadlines: () => world.deadlines,
    opinionLimits: { submissions: 1000 },
    ...over,
  });
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  directory = new TestDirectory(await testDirectory([...TEST_VILLAGES, village]));
  world = await directWorld(temporal, 'board-api', {
    // every step of a major decision is overdue after 3 s: overdue steps without waiting days
    policy: { 'majorDecision.stepDeadline': { amount: 3, unit: 'seconds' } },
    // only this file's village: the others hold matters of other files, whose workers may be gone
    activityDeps: { villages: () => directory.current().villages.filter((v) => v.id === village), notices },
  });
  matters = new DirectMatters(temporal, world);
  app = appWith();
});
afterAll(async () => {
  await world.cleanup();
  await temporal.close();
  rmSync(noticesDir, { recursive: true, force: true });
});

const opinion = (over: Record<string, unknown> = {}) => ({
  village,
  subject: '村道积水',
  text: '三组村道雨后积水严重。',
  contact: { name: '刘大妈', phone: '13700000000' },
  ...over,
});

async function waitUntil<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface OpinionTaskView {
  opinionId: string;
  actions: string[];
  role: string;
  overdue: boolean;
}

/** The user's task for this opinion, once `settled` holds (or after 15 s, whatever it is then). */
async function opinionTaskOf(
  userId: string,
  opinionId: string,
  settled: (task: OpinionTaskView | undefined) => boolean,
): Promise<OpinionTaskView | undefined> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await request(app)
      .get('/api/me/tasks')
      .set('Authorization', await bearer(userId));
    expect(res.status).toBe(200);
    const task = (res.body.opinions as OpinionTaskView[]).find((t) => t.opinionId === opinionId);
    if (settled(task) || Date.now() > deadline) return task;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('opinion routes', () => {
  test('given a resident without log-in, then they submit, track by code, and never see contact details in public', async () => {
    const res = await request(app)
      .post('/api/opinions')
      .send(opinion({ text: '三组村道雨后积水严重，电话 13700000000。' }));
    expect(res.status).toBe(201);
    const { opinionId, trackingCode } = res.body as { opinionId: string; trackingCode: string };
    expect(res.headers.location).toBe(`/api/opinions/${opinionId}`);

    const tracked = await request(app).get(`/api/opinions/track/${trackingCode.toLowerCase()}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body).toMatchObject({ opinionId, status: 'submitted', access: 'resident' });
    expect(tracked.body.contact).toBeUndefined();

    const anonymous = await request(app).get(`/api/opinions/${opinionId}`);
    expect(anonymous.body.access).toBe('public');
    expect(anonymous.body.text).toBe('三组村道雨后积水严重，电话 [已隐去 / redacted]。');
    expect(JSON.stringify(anonymous.body)).not.toContain('13700000000');
    const asChair = await request(app)
      .get(`/api/opinions/${opinionId}`)
      .set('Authorization', await bearer('qian-chair'));
    expect(asChair.body).toMatchObject({ access: 'full', contact: { phone: '13700000000' } });

    const unknown = await request(app).get('/api/opinions/track/AAAA-BBBB-CCCC-DDDD');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  test('given the chair signs in, then they acknowledge and answer; nobody else may, and the anonymous get 401', async () => {
    // Time limits of hours, not the test policy's seconds: on a busy machine 5 s could pass (and
    // escalate to the town) before the checks of "not yet" below run.
    const patient = appWith({
      opinionDeadlines: () => ({
        acknowledge: { amount: 1, unit: 'hours' },
        answer: { amount: 2, unit: 'hours' },
      }),
    });
    const { body } = await request(patient)
      .post('/api/opinions')
      .send(opinion({ publishAnswer: false }));
    const { opinionId, trackingCode } = body;

    const anonymous = await request(app).post(`/api/opinions/${opinionId}/acknowledge`).send({});
    expect(anonymous.status).toBe(401);
    const secretary = await request(app)
      .post(`/api/opinions/${opinionId}/acknowledge`)
      .set('Authorization', await bearer('li-secretary'))
      .send({});
    expect(secretary.status).toBe(403);
    const townTooEarly = await request(app)
      .post(`/api/opinions/${opinionId}/answer`)
      .set('Authorization', await bearer('sun-town'))
      .send({ answer: '镇里答复' });
    expect(townTooEarly.status).toBe(403);
    expect(townTooEarly.body.error.code).toBe('ROLE_NOT_ALLOWED');

    const chair = await bearer('qian-chair');
    // the chair finds it among their tasks (the list follows the visibility store a moment later); the town does not yet
    expect(await opinionTaskOf('qian-chair', opinionId, (t) => t !== undefined)).toMatchObject({
      actions: ['acknowledge', 'answer'],
      role: 'supervisor-chair',
      overdue: false,
    });
    expect(await opinionTaskOf('sun-town', opinionId, () => true)).toBeUndefined();

    const ackKey = uniqueName('ack');
    const ack = await request(app)
      .post(`/api/opinions/${opinionId}/acknowledge`)
      .set('Authorization', chair)
      .set('Idempotency-Key', ackKey)
      .send({});
    expect(ack.status).toBe(200);
    // the same request sent again (same key) answers as the first did
    const retried = await request(app)
      .post(`/api/opinions/${opinionId}/acknowledge`)
      .set('Authorization', chair)
      .set('Idempotency-Key', ackKey)
      .send({});
    expect([retried.status, retried.body.status]).toEqual([200, 'acknowledged']);
    expect(ack.body.acknowledgedBy).toEqual({ userId: 'qian-chair', role: 'supervisor-chair' });
    const again = await request(app)
      .post(`/api/opinions/${opinionId}/acknowledge`)
      .set('Authorization', chair)
      .send({});
    expect(again.status).toBe(409);
    const empty = await request(app)
      .post(`/api/opinions/${opinionId}/answer`)
      .set('Authorization', chair)
      .send({ answer: '  ' });
    expect(empty.status).toBe(400);
    const answer = () =>
      request(app)
        .post(`/api/opinions/${opinionId}/answer`)
        .set('Authorization', chair)
        .set('Idempotency-Key', `answer-${opinionId}`)
        .send({ answer: '已安排清淤。' });
    const answered = await answer();
    expect(answered.status).toBe(200);
    const answeredAgain = await answer();
    expect([answeredAgain.status, answeredAgain.body.answer]).toEqual([200, '已安排清淤。']);
    expect(await opinionTaskOf('qian-chair', opinionId, (t) => t === undefined)).toBeUndefined();

    const published = await request(app).get(`/api/opinions/${opinionId}`);
    expect(published.body).toMatchObject({ status: 'answered', answerWithheld: true });
    expect(published.body.answer).toBeUndefined();
    const toResident = await request(app).get(`/api/opinions/track/${trackingCode}`);
    expect(toResident.body.answer).toBe('已安排清淤。');
  });

  test('given a submission sent twice with one Idempotency-Key, then one opinion and one tracking code; another key, another opinion', async () => {
    const key = uniqueName('send');
    const send = (k: string) => request(app).post('/api/opinions').set('Idempotency-Key', k).send(opinion());
    const first = await send(key);
    const again = await send(key);
    const other = await send(uniqueName('send'));

    expect([first.status, again.status, other.status]).toEqual([201, 201, 201]);
    expect(again.body).toEqual(first.body);
    expect(other.body.opinionId).not.toBe(first.body.opinionId);
    expect(other.body.trackingCode).not.toBe(first.body.trackingCode);
  });

  test('given bad submissions, then 400 names the field, 404 an unknown village or matter, 422 a matter of another village', async () => {
    const bad = await request(app)
      .post('/api/opinions')
      .send(opinion({ text: '' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.text');
    const extra = await request(app)
      .post('/api/opinions')
      .send(opinion({ admin: true }));
    expect(extra.status).toBe(400);
    expect(
      (
        await request(app)
          .post('/api/opinions')
          .send(opinion({ village: 'nowhere' }))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .post('/api/opinions')
          .send(opinion({ matterId: 'matter-none' }))
      ).status,
    ).toBe(404);
    const elsewhere = await matters.start('major-decision', 'dongfeng', '别村事项', actors.secretary);
    const other = await request(app)
      .post('/api/opinions')
      .send(opinion({ matterId: elsewhere }));
    expect(other.status).toBe(422);
    expect(other.body.error.details[0].field).toBe('body.matterId');
  });

  test('given an oversized opinion, then 413 in the error shape; given too many from one address, then 429', async () => {
    const big = await request(app)
      .post('/api/opinions')
      .send(opinion({ text: '很'.repeat(4000), subject: '长'.repeat(100), contact: { name: '名'.repeat(50) } }))
      .set('Content-Type', 'application/json');
    // 4,000 characters pass the length rule; the 32 kB size rule is what a larger body meets:
    expect(big.status).toBe(201);
    const huge = await request(app)
      .post('/api/opinions')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...opinion(), text: 'x'.repeat(40_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const beyondParser = await request(app)
      .post('/api/opinions')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...opinion(), text: 'x'.repeat(200_000) }));
    expect(beyondParser.status).toBe(413);

    const limited = appWith({ opinionLimits: { submissions: 2, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(limited).post('/api/opinions').send(opinion())).status);
    expect(statuses).toEqual([201, 201, 429, 429]);
    const refused = await request(limited).post('/api/opinions').send(opinion());
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toMatch(/请/);
    // reading is not limited
    expect((await request(limited).get(`/api/opinions?village=${village}`)).status).toBe(200);
  });
});

describe('accountability and the board over HTTP', () => {
  test('given matters and opinions this test runs, then the yearly report, the overdue list and the monthly notice show exactly them', async () => {
    const paid = (purpose: string, amount: number) =>
      matters.payment(village, { amount, payee: '兴隆农资店', payeeKind: 'organisation', purpose }, chinaDate());
    // given: two paid fund approvals, one the director rejects
    const [pay1, pay2] = [await paid('化肥', 1200), await paid('种子', 800)];
    const rejected = await matters.start('fund-approval', village, '招待费', actors.accountant);
    await matters.ok(rejected, 'apply', 'submit', actors.accountant, {
      amount: 500,
      payee: '某饭店',
      payeeKind: 'organisation',
      purpose: '招待费',
      invoiceCount: 1,
    });
    await matters.ok(rejected, 'supervisor-review', 'approve', actors.supervisor);
    await matters.ok(rejected, 'director-sign', 'reject', actors.director, {}, '不符合规定');
    // two major decisions left at `propose` past its 3 s limit, one of them objected to
    const waiting = await matters.start('major-decision', village, '修建蓄水池', actors.secretary);
    const objected = await matters.start('major-decision', village, '出租鱼塘', actors.secretary);
    await matters.ok(objected, null, 'raise-objection', actors.supervisor, {}, '未征求村民意见');
    await matters.waitFor(waiting, 'propose overdue', (v) => v.record.some((r) => r.action === 'deadline-passed'));
    await matters.waitFor(objected, 'propose overdue', (v) => v.record.some((r) => r.action === 'deadline-passed'));
    // three opinions: answered at once, answered by the town after the limit, and one left open
    const chair = await bearer('qian-chair');
    const submit = async () => (await request(app).post('/api/opinions').send(opinion())).body.opinionId as string;
    const [quick, late, open] = [await submit(), await submit(), await submit()];
    await request(app).post(`/api/opinions/${quick}/answer`).set('Authorization', chair).send({ answer: '已办' });
    for (const id of [late, open]) {
      await waitUntil(
        `${id} escalated`,
        async () => (await request(app).get(`/api/opinions/${id}`)).body as { escalated: boolean },
        (o) => o.escalated === true,
      );
    }
    const byTown = await request(app)
      .post(`/api/opinions/${late}/answer`)
      .set('Authorization', await bearer('sun-town'))
      .send({ answer: '镇里已办' });
    expect(byTown.status).toBe(200);
    // the opinions of the other tests in this file are in this village too
    const earlier = (await request(app).get(`/api/opinions?village=${village}`)).body.opinions as {
      opinionId: string;
      status: string;
      escalated: boolean;
    }[];
    const others = earlier.filter((o) => ![quick, late, open].includes(o.opinionId));

    // when the yearly report is asked for
    const year = Number(chinaDate().slice(0, 4));
    const res = await request(app).get(`/api/reports/yearly?village=${village}&year=${year}`);
    expect(res.status).toBe(200);
    const report = res.body as YearlyReport;

    // then its figures are the ones made above
    expect(report.matters.total).toBe(5);
    expect(report.matters.byProcedure).toEqual([
      expect.objectContaining({ procedure: 'fund-approval', started: 3, byOutcome: { completed: 2, rejected: 1 } }),
      // `other` was started in dongfeng, not here
      expect.objectContaining({ procedure: 'major-decision', started: 2, byOutcome: { running: 1, suspended: 1 } }),
    ]);
    expect(report.objections.total).toBe(1);
    expect(report.objections.items[0]).toMatchObject({ matterId: objected, status: 'open' });
    expect(report.overdue.total).toBe(2);
    expect(report.overdue.items.map((o) => o.matterId).sort()).toEqual([objected, waiting].sort());
    const counts = Object.fromEntries(
      report.stepTimes.filter((t) => t.procedure === 'fund-approval').map((t) => [t.step, t.count]),
    );
    expect(counts).toEqual({
      apply: 3,
      'supervisor-review': 3,
      'director-sign': 3,
      'secretary-sign': 2,
      'town-review': 2,
      payment: 2,
    });
    for (const t of report.stepTimes) expect(t.medianHours).toBeGreaterThanOrEqual(0);
    const answeredOthers = others.filter((o) => o.status === 'answered').length;
    expect(report.opinions).toMatchObject({
      submitted: 3 + others.length,
      answered: 2 + answeredOthers,
    });
    // on time: `quick`, plus the earlier test's opinion answered at once by the chair
    expect(report.opinions.answeredOnTime).toBe(1 + answeredOthers);
    expect(report.opinions.escalated).toBeGreaterThanOrEqual(2);

    const csv = await request(app).get(`/api/reports/yearly.csv?village=${village}&year=${year}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`report-${village}-${year}.csv`);
    expect(csv.text).toContain('matters,fund-approval,,,started,3\r\n');
    expect(csv.text).toContain('overdue,,,,total,2\r\n');
    const page = await request(app).get(`/api/reports/yearly/print?village=${village}&year=${year}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('年度报告');

    // the overdue list names the role and the person
    const overdue = await request(app).get(`/api/reports/overdue?village=${village}`);
    expect(overdue.status).toBe(200);
    const items = (overdue.body as { items: OverdueItem[] }).items;
    const steps = items.filter((i) => i.kind === 'step');
    expect(steps.map((i) => i.id).sort()).toEqual([objected, waiting].sort());
    expect(steps[0]?.roles).toEqual([
      { role: 'secretary', people: [{ id: 'li-secretary', name: 'secretary li-secretary', role: 'secretary' }] },
    ]);
    const openItem = items.find((i) => i.id === open);
    expect(openItem).toMatchObject({ kind: 'opinion', step: 'acknowledge' });
    expect(openItem?.roles.map((r) => [r.role, r.people.map((p) => p.id)])).toEqual([
      ['supervisor-chair', ['qian-chair']],
      ['town-official', ['sun-town']],
    ]);
    expect(items.some((i) => i.id === quick || i.id === late)).toBe(false);

    // and this month's notice, published by hand, is served as JSON and as a printable page
    const month = monthOf(Date.now());
    await temporal.client.workflow.execute(MONTHLY_NOTICES_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: uniqueName('notices-now'),
      args: [{ month }],
    });
    const board = await request(app).get(`/api/notices?village=${village}`);
    expect(board.status).toBe(200);
    expect(board.body.monthly).toEqual([
      { month, url: `/api/notices/${village}/${month}`, printUrl: `/api/notices/${village}/${month}/print` },
    ]);
    const notice = await request(app).get(`/api/notices/${village}/${month}`);
    expect((notice.body as MonthlyNotice).payments.map((p) => p.matterId).sort()).toEqual([pay1, pay2].sort());
    expect(notice.body.totals).toEqual({ payments: 2, amount: 2000 });
    const printed = await request(app).get(`/api/notices/${village}/${month}/print`);
    expect(printed.status).toBe(200);
    expect(printed.text).toContain('三务公开');
    expect(printed.text).toContain('兴隆农资店');
    expect(printed.text).not.toContain('13700000000');
    expect((await request(app).get(`/api/notices/${village}/1999-01`)).status).toBe(400);
    expect((await request(app).get(`/api/notices/${village}/2001-01`)).status).toBe(404);
  });
});
