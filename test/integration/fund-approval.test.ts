import path from 'node:path';
import request from 'supertest';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import type { Actor } from '../../common/engine';
import { HASH, MatterHarness, meetingRecord as meeting, people } from '../helpers/matter-harness';

/**
 * 村级资金支出审批 on the real dev server, through the HTTP API, branch by branch. The thresholds
 * come from the district policy file (the test catalog reads the short test policy, which must
 * carry the same fundApproval values; the first test checks that).
 */

const { secretary, director, accountant, supervisor, town, auditor } = people;
const h = new MatterHarness('fund-approval');

/** The completed major decision of the village that large amounts rest on. */
let decision: string;
beforeAll(async () => {
  await h.setUp();
  decision = await h.completedDecision('xinglong');
}, 60_000);
afterAll(() => h.tearDown());

const ROOT = path.resolve(__dirname, '..', '..');
const KEYS = ['fundApproval.directorLimit', 'fundApproval.committeeLimit', 'fundApproval.auditThreshold'] as const;
const luojiang = policyValuesAt(loadPolicyFile(path.join(ROOT, 'procedures/policies/luojiang.json')), '2026-01-01');
const short = policyValuesAt(loadPolicyFile(path.join(ROOT, 'test/fixtures/policies/short.json')), '2026-01-01');
const limit = (key: (typeof KEYS)[number]): number => luojiang[key] as number;
const directorLimit = limit('fundApproval.directorLimit');
const committeeLimit = limit('fundApproval.committeeLimit');
const auditThreshold = limit('fundApproval.auditThreshold');
/** one fen (0.01 yuan) above a limit: the smallest amount that crosses it */
const above = (yuan: number): number => Math.round(yuan * 100 + 1) / 100;

const ok = h.ok.bind(h);
const act = h.act.bind(h);
const view = h.view.bind(h);

const application = {
  payee: '罗江区建材经营部',
  payeeKind: 'organisation',
  purpose: '村委会办公室维修材料费',
  invoiceCount: 2,
  invoicesHash: HASH,
};

async function startMatter(by: Actor = accountant): Promise<string> {
  return h.start({
    procedureId: 'fund-approval',
    village: 'xinglong',
    title: '支出审批',
    actor: by,
    links: [decision],
  });
}

async function apply(id: string, amount: number, by: Actor = accountant): Promise<void> {
  await ok(id, { step: 'apply', action: 'submit', data: { ...application, amount }, actor: by });
}

/** started, applied for and approved by the supervisory committee: the tier gateway has run */
async function reviewed(amount: number): Promise<string> {
  const id = await startMatter();
  await apply(id, amount);
  await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
  return id;
}

async function signBoth(id: string): Promise<void> {
  await ok(id, { step: 'director-sign', action: 'approve', actor: director });
  await ok(id, { step: 'secretary-sign', action: 'approve', actor: secretary });
}

async function pay(id: string): Promise<void> {
  await ok(id, {
    step: 'payment',
    action: 'submit',
    data: { transferReference: 'NX20260310-0042', paidOn: '2026-03-10' },
    actor: accountant,
  });
}

const active = async (id: string): Promise<string[]> => (await view(id)).activeSteps.map((s) => s.id);

async function ended(id: string): Promise<[string, string | undefined]> {
  const v = await view(id);
  return [v.status, v.outcome];
}

describe('fund approval (村级资金支出审批) on a real Temporal server', () => {
  test('the test policy carries the district fund-approval thresholds', () => {
    for (const key of KEYS) expect([key, short[key]]).toEqual([key, luojiang[key]]);
    expect([directorLimit, committeeLimit, auditThreshold]).toEqual([2000, 20000, 50000]);
  });

  test('given exactly the director limit, then director and secretary sign, the town reviews and it is paid', async () => {
    const id = await reviewed(directorLimit);
    expect(await active(id)).toEqual(['director-sign']);

    await ok(id, { step: 'director-sign', action: 'approve', actor: director });
    expect(await active(id)).toEqual(['secretary-sign']);
    await ok(id, { step: 'secretary-sign', action: 'approve', actor: secretary });
    expect(await active(id)).toEqual(['town-review']);
    await ok(id, { step: 'town-review', action: 'approve', actor: town });
    expect(await active(id)).toEqual(['payment']);
    await pay(id);

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'completed']);
    expect(done.amount).toBe(directorLimit);
    expect(done.completedSteps).toEqual([
      'apply',
      'supervisor-review',
      'director-sign',
      'secretary-sign',
      'town-review',
      'payment',
    ]);
    expect(done.takenFlows).toContain('flow-tier-small');
    expect(done.takenFlows).toContain('flow-audit-not-needed');
  });

  test('given one fen above the director limit, then the two committees decide and the town reviews', async () => {
    const id = await reviewed(above(directorLimit));
    expect(await active(id)).toEqual(['two-committees-decision']);

    await h.holdMeeting(id, 'two-committees-decision', meeting('two-committees', 7, 6, 5));
    expect(await active(id)).toEqual(['town-review']);
    await ok(id, { step: 'town-review', action: 'approve', actor: town });
    await pay(id);

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'completed']);
    expect(done.amount).toBe(2000.01);
    expect(done.meetings.map((m) => [m.step, m.result, m.witnessedBy])).toEqual([
      ['two-committees-decision', 'passed', 'zhao-supervisor'],
    ]);
    expect(done.takenFlows).toContain('flow-tier-medium');
    expect(done.takenFlows).toContain('flow-decision-passed');
  });

  test.each([
    ['exactly the committee limit', committeeLimit, 'two-committees-decision', 'flow-tier-medium'],
    ['one fen above the committee limit', above(committeeLimit), 'director-sign', 'flow-tier-major'],
  ])('given %s (%p), then the next step is %s', async (_what, amount, step, flow) => {
    const id = await reviewed(amount);

    const v = await view(id);
    expect(v.activeSteps.map((s) => s.id)).toEqual([step]);
    expect(v.takenFlows.at(-1)).toBe(flow);
  });

  test('given exactly the audit threshold, then the town review leads straight to payment', async () => {
    const id = await reviewed(auditThreshold);
    await signBoth(id);
    await ok(id, { step: 'town-review', action: 'approve', actor: town });

    const v = await view(id);
    expect(v.activeSteps.map((s) => s.id)).toEqual(['payment']);
    expect(v.takenFlows.slice(-3)).toEqual(['flow-town-review-result', 'flow-town-approved', 'flow-audit-not-needed']);
  });

  test('given one fen above the audit threshold, then the district audits before payment', async () => {
    const id = await reviewed(above(auditThreshold));
    expect(await active(id)).toEqual(['director-sign']);
    await signBoth(id);
    await ok(id, { step: 'town-review', action: 'approve', actor: town });
    expect(await active(id)).toEqual(['district-audit']);

    await ok(id, { step: 'district-audit', action: 'approve', actor: auditor });
    expect(await active(id)).toEqual(['payment']);
    await pay(id);

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'completed']);
    expect(done.amount).toBe(50000.01);
    expect(done.completedSteps).toEqual([
      'apply',
      'supervisor-review',
      'director-sign',
      'secretary-sign',
      'town-review',
      'district-audit',
      'payment',
    ]);
  });

  test('given the supervisory committee objects, then the application goes back to the handler and is reviewed again', async () => {
    const id = await startMatter();
    await apply(id, 1500);

    const noReason = await act(id, { step: 'supervisor-review', action: 'object', actor: supervisor });
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'REASON_REQUIRED']);
    await ok(id, { step: 'supervisor-review', action: 'object', comment: '缺少一张发票', actor: supervisor });

    const back = await view(id);
    expect(back.status).toBe('running');
    expect(back.activeSteps.map((s) => s.id)).toEqual(['apply']);
    expect(back.takenFlows.slice(-2)).toEqual(['flow-review-result', 'flow-review-objected']);

    await ok(id, {
      step: 'apply',
      action: 'submit',
      data: { ...application, amount: 1500, invoiceCount: 3 },
      actor: accountant,
    });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    expect(await active(id)).toEqual(['director-sign']);
  });

  test.each([
    ['the director', 'director-sign', director, 'flow-director-rejected'],
    ['the secretary', 'secretary-sign', secretary, 'flow-secretary-rejected'],
  ])('given %s rejects, then the matter ends rejected with nothing left open', async (_who, step, actor, flow) => {
    const id = await reviewed(800);
    if (step === 'secretary-sign') await ok(id, { step: 'director-sign', action: 'approve', actor: director });

    const noReason = await act(id, { step, action: 'reject', actor });
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'REASON_REQUIRED']);
    await ok(id, { step, action: 'reject', comment: '用途不属于村级开支', actor });

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'rejected']);
    expect(done.activeSteps).toEqual([]);
    expect(done.takenFlows.at(-1)).toBe(flow);
  });

  test('given the two committees reject, then the matter ends rejected', async () => {
    const id = await reviewed(12000);
    await h.holdMeeting(id, 'two-committees-decision', meeting('two-committees', 7, 6, 2));

    expect(await ended(id)).toEqual(['ended', 'rejected']);
    expect((await view(id)).takenFlows.at(-1)).toBe('flow-decision-rejected');
  });

  test('given the town rejects, then the matter ends rejected', async () => {
    const id = await reviewed(12000);
    await h.holdMeeting(id, 'two-committees-decision', meeting('two-committees', 7, 6, 5));
    await ok(id, { step: 'town-review', action: 'reject', comment: '预算外支出', actor: town });

    expect(await ended(id)).toEqual(['ended', 'rejected']);
    expect((await view(id)).takenFlows.at(-1)).toBe('flow-town-rejected');
  });

  test('given the district auditor rejects, then the matter ends rejected and nothing is paid', async () => {
    const id = await reviewed(86000);
    await signBoth(id);
    await ok(id, { step: 'town-review', action: 'approve', actor: town });
    await ok(id, { step: 'district-audit', action: 'reject', comment: '合同金额与发票不符', actor: auditor });

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'rejected']);
    expect(done.completedSteps).not.toContain('payment');
    expect(done.takenFlows.at(-1)).toBe('flow-audit-rejected');
  });

  test('given the handler who applied, then they may not review or sign it (回避): 403 RECUSED, nothing recorded', async () => {
    const id = await startMatter();
    await apply(id, 900);
    const before = (await view(id)).record.length;

    // the same person holding a supervisory role is still the handler who started the matter
    const asSupervisor = await act(id, {
      step: 'supervisor-review',
      action: 'approve',
      actor: { userId: accountant.userId, role: 'supervisor' },
    });
    expect([asSupervisor.status, asSupervisor.body.error.code]).toEqual([403, 'RECUSED']);
    expect((await view(id)).record).toHaveLength(before);

    // a director who applied may not sign their own expense
    const byDirector = await startMatter(director);
    await apply(byDirector, 900, director);
    await ok(byDirector, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    const ownSignature = await act(byDirector, { step: 'director-sign', action: 'approve', actor: director });
    expect([ownSignature.status, ownSignature.body.error.code]).toEqual([403, 'RECUSED']);
    expect(await active(byDirector)).toEqual(['director-sign']);
  });

  test('given an application outside the rules, then 403 and 422 name the rule', async () => {
    const id = await startMatter();

    const wrongRole = await act(id, {
      step: 'apply',
      action: 'submit',
      data: { ...application, amount: 100 },
      actor: town,
    });
    const badKind = await act(id, {
      step: 'apply',
      action: 'submit',
      data: { ...application, amount: 100, payeeKind: 'friend' },
      actor: accountant,
    });
    const threeDecimals = await act(id, {
      step: 'apply',
      action: 'submit',
      data: { ...application, amount: 100.005 },
      actor: accountant,
    });

    expect([wrongRole.status, wrongRole.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect([badKind.status, badKind.body.error.code]).toEqual([422, 'INVALID_DATA']);
    expect([threeDecimals.status, threeDecimals.body.error.code]).toEqual([422, 'INVALID_DATA']);
    expect(await active(id)).toEqual(['apply']);
  });

  test('given a payment over the tier with no linked decision, then the start is refused with LINK_REQUIRED', async () => {
    const limit = 20_000;
    const res = await h.post('/api/matters', {
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '超额支出',
      actor: accountant,
      amount: limit + 0.01,
    });

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('LINK_REQUIRED');
    expect(res.body.error.details[0].field).toBe('body.links');
  });

  test('given a completed decision of another village, or one still running, then the link is refused', async () => {
    const elsewhere = await h.completedDecision('dongsheng');
    const running = await h.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '未办结',
      actor: people.secretary,
    });
    const start = (links: string[]) =>
      h.post('/api/matters', {
        procedureId: 'fund-approval',
        village: 'xinglong',
        title: '超额支出',
        actor: accountant,
        amount: 30_000,
        links,
      });

    const other = await start([elsewhere]);
    const unfinished = await start([running]);

    expect([other.status, other.body.error.code]).toEqual([422, 'LINK_INVALID']);
    expect(other.body.error.message).toContain('dongsheng');
    expect([unfinished.status, unfinished.body.error.code]).toEqual([422, 'LINK_INVALID']);
    expect(unfinished.body.error.message).toContain('not completed');
  }, 60_000);

  test('given no link, when an amount over the tier is applied for, then the step refuses it', async () => {
    const id = await h.start({ procedureId: 'fund-approval', village: 'xinglong', title: '未关联', actor: accountant });

    const res = await h.act(id, {
      step: 'apply',
      action: 'submit',
      data: { ...application, amount: 20_000.01 },
      actor: accountant,
    });

    expect([res.status, res.body.error.code]).toEqual([422, 'LINK_REQUIRED']);
  });

  test('given a linked payment, then the links show both ways', async () => {
    const id = await startMatter();

    const payment = await h.view(id);
    // visibility is eventually consistent: give it a moment
    let linkedFrom: string[] = [];
    for (let tries = 0; tries < 50 && !linkedFrom.includes(id); tries++) {
      linkedFrom = (await request(h.app).get(`/api/matters/${decision}`)).body.linkedFrom as string[];
      if (!linkedFrom.includes(id)) await new Promise((resolve) => setTimeout(resolve, 100));
    }

    expect(payment.links).toEqual([decision]);
    expect(linkedFrom).toContain(id);
  });

  test('given two payments to one payee within 30 days, each under the director tier but together over it, then the second warns the supervisors', async () => {
    const payee = `五金店-${Date.now()}`;
    const limit = directorLimit;
    const first = await startMatter();
    await ok(first, {
      step: 'apply',
      action: 'submit',
      data: { ...application, payee, amount: limit - 500 },
      actor: accountant,
    });
    // visibility is eventually consistent: wait until the first payment can be found by payee
    for (let tries = 0; tries < 50; tries++) {
      let seen = false;
      for await (const _ of h.temporal.client.workflow.list({ query: `MatterPayee = '${payee}'` })) seen = true;
      if (seen) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const other = await startMatter();
    await ok(other, {
      step: 'apply',
      action: 'submit',
      data: { ...application, payee: `${payee}-别家`, amount: 600 },
      actor: accountant,
    });
    const second = await startMatter();
    await ok(second, {
      step: 'apply',
      action: 'submit',
      data: { ...application, payee, amount: 600 },
      actor: accountant,
    });

    const warned = await h.waitFor(
      second,
      'the split check',
      (v) => v.record.some((r) => r.action === 'split-payment-warning'),
      10_000,
    );
    expect(warned.warnings).toEqual([
      expect.objectContaining({
        kind: 'split-payment',
        payee,
        tier: limit,
        total: limit + 100,
        matters: [first, second].sort(),
      }),
    ]);
    expect((await h.view(first)).warnings).toEqual([]);
    expect((await h.view(other)).warnings).toEqual([]);
  });

  test('together these scenarios take every sequence flow of fund-approval.bpmn', async () => {
    const { untaken, total } = await h.untakenFlows('fund-approval');

    expect(total).toBe(26);
    expect(untaken).toEqual([]);
  });

  test('replaying the recorded histories of these matters with today’s code is deterministic', async () => {
    expect(await h.replayAll()).toBe(h.started.size);
  }, 120_000);
});
