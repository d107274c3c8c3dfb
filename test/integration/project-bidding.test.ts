import path from 'node:path';
import { overdueItems } from '../../common/accountability';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { MatterHarness, meetingRecord as meeting, people } from '../helpers/matter-harness';

/**
 * 村级工程项目招投标 through the HTTP API, branch by branch. The short test policy makes every notice
 * and disclosure last 2 seconds and the contract deadline 4 seconds; its money thresholds are those
 * of the district policy file (checked below). Most waits here are those timers and no test reads a
 * list, so it runs on a time-skipping test server: the windows pass without being waited out.
 */

const { secretary, director, supervisor, town } = people;
const h = new MatterHarness('project-bidding', { clock: 'time-skipping' });

/** The completed major decision of the village that large amounts rest on. */
let decision: string;
beforeAll(async () => {
  await h.setUp();
  decision = await h.completedDecision('xinglong');
}, 60_000);
afterAll(() => h.tearDown());

const ROOT = path.resolve(__dirname, '..', '..');
const district = policyValuesAt(
  loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json')),
  '2026-11-27',
);
const short = policyValuesAt(
  loadPolicyFile(path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json')),
  '2026-11-27',
);

const KINDS = ['works', 'goods', 'services'] as const;
type Kind = (typeof KINDS)[number];

function threshold(key: string): number {
  const value = district[key];
  if (typeof value !== 'number') throw new Error(`policy ${key} is not a number`);
  return value;
}

const ok = h.ok.bind(h);
const view = h.view.bind(h);
const waitFor = h.waitFor.bind(h);
const holdMeeting = h.holdMeeting.bind(h);

const active = (v: { activeSteps: { id: string }[] }) => v.activeSteps.map((s) => s.id).sort();
const isActive = (step: string) => (v: { activeSteps: { id: string }[] }) => v.activeSteps.some((s) => s.id === step);

/** The director starts every matter, so the secretary may award (回避). */
async function register(kind: Kind, budget: number, project = '三组村道硬化'): Promise<string> {
  const id = await h.start({
    procedureId: 'project-bidding',
    village: 'xinglong',
    title: project,
    actor: director,
    links: [decision],
  });
  await ok(id, { step: 'register', action: 'submit', data: { project, kind, budget }, actor: director });
  return id;
}

async function openBids(id: string, validBids: number) {
  await ok(id, {
    step: 'bid-opening',
    action: 'submit',
    data: { openedOn: '2026-04-01', bidsReceived: validBids + 1, validBids },
    actor: director,
  });
}

async function evaluate(id: string, panelSize: number) {
  await ok(id, {
    step: 'evaluation',
    action: 'submit',
    data: { panelSize, ranking: '1. 兴隆建筑 2. 德阳路桥 3. 罗江工程', firstCandidate: '兴隆建筑', bidAmount: 96000 },
    actor: director,
  });
}

/** A village comparison from registration to an evaluation waiting to be recorded. */
async function toEvaluation(): Promise<string> {
  const id = await register('works', 100000);
  await waitFor(id, 'bid opening', isActive('bid-opening'));
  await openBids(id, 3);
  await ok(id, { step: 'bid-opening-review', action: 'approve', actor: supervisor });
  expect(active(await view(id))).toEqual(['evaluation']);
  return id;
}

/** Signed at `contractAmount`: within the tier of the registered budget (招标投标法 Art. 4). */
async function signContract(id: string, contractAmount: number) {
  await ok(id, {
    step: 'contract',
    action: 'submit',
    data: { contractor: '兴隆建筑', contractAmount, signedOn: '2026-04-20' },
    actor: director,
  });
}

async function accept(id: string, finalAmount: number) {
  await ok(id, {
    step: 'acceptance',
    action: 'submit',
    data: { acceptedOn: '2026-09-30', conclusion: '合格', finalAmount },
    actor: director,
  });
}

async function directAward(id: string) {
  await holdMeeting(id, 'direct-award', meeting('two-committees', 7, 6, 5, { contractor: '兴隆建筑' }));
}

describe('project bidding (村级工程项目招投标) on a real Temporal server', () => {
  test('the short test policy has the money thresholds of the district policy file', () => {
    const keys = Object.keys(district).filter(
      (k) => k.startsWith('projectBidding.') && typeof district[k] === 'number',
    );
    expect(keys.length).toBeGreaterThanOrEqual(11);
    for (const key of keys) expect([key, short[key]]).toEqual([key, district[key]]);
  });

  // Each tier is "below X": X - 0.01 stays in the tier, X itself and X + 0.01 go to the next one.
  const boundaries = KINDS.flatMap((kind) =>
    (
      [
        ['directAwardBelow', 'direct-award', 'tender-notice'],
        ['comparisonBelow', 'tender-notice', 'town-tender'],
        ['townTenderBelow', 'town-tender', 'public-tender'],
      ] as const
    ).flatMap(([tier, below, from]) => {
      const x = threshold(`projectBidding.${kind}.${tier}`);
      return [
        [kind, Math.round((x - 0.01) * 100) / 100, below],
        [kind, x, from],
        [kind, Math.round((x + 0.01) * 100) / 100, from],
      ] as const;
    }),
  );

  test.each(boundaries)('given %s with a budget of %s yuan, then the method is %s', async (kind, budget, step) => {
    const id = await register(kind, budget);
    const v = await view(id);
    expect(active(v)).toEqual([step]);
    expect(v.amount).toBe(budget);
  });

  test('given a small project awarded directly, then contract, acceptance and result disclosure complete it without a tender', async () => {
    const id = await register('works', 8000, '村委会办公室维修');
    await directAward(id);
    expect(active(await view(id))).toEqual(['contract']);
    await signContract(id, 7800);
    await accept(id, 7750);
    await ok(id, { step: 'acceptance-review', action: 'approve', actor: supervisor });
    expect(active(await view(id))).toEqual(['disclose-result']);

    const done = await waitFor(id, 'the end', (v) => v.status === 'ended');
    expect(done.outcome).toBe('completed');
    expect(done.completedSteps).toEqual([
      'register',
      'direct-award',
      'contract',
      'acceptance',
      'acceptance-review',
      'disclose-result',
    ]);
    expect(done.meetings.map((m) => [m.step, m.result, m.witnessedBy])).toEqual([
      ['direct-award', 'passed', 'zhao-supervisor'],
    ]);
    expect(done.takenFlows).not.toContain('flow-contract-overdue-escalation');
  });

  test('given the two committees refuse the direct award, then the matter ends rejected', async () => {
    const id = await register('goods', 5000, '办公桌椅采购');
    await holdMeeting(id, 'direct-award', meeting('two-committees', 7, 6, 2));

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'rejected']);
    expect(done.takenFlows.at(-1)).toBe('flow-direct-award-rejected');
  });

  test('given fewer than 3 valid bids at a village comparison, then the notice runs again; a supervisor objection sends the opening record back', async () => {
    const id = await register('works', 100000);
    const first = await view(id);
    expect(active(first)).toEqual(['tender-notice']);
    expect(first.notices.map((n) => n.step)).toEqual(['tender-notice']);

    await waitFor(id, 'bid opening', isActive('bid-opening'));
    await openBids(id, (short['projectBidding.minimumBids'] as number) - 1);
    await ok(id, { step: 'bid-opening-review', action: 'approve', actor: supervisor });
    const again = await view(id);
    expect(active(again)).toEqual(['tender-notice']);
    expect(again.takenFlows.slice(-2)).toEqual(['flow-bid-check-too-few', 'flow-retender-comparison']);
    expect(again.notices.map((n) => n.step)).toEqual(['tender-notice', 'tender-notice']);

    await waitFor(id, 'bid opening again', isActive('bid-opening'));
    await openBids(id, 3);
    await ok(id, { step: 'bid-opening-review', action: 'object', comment: '有效投标数与现场不符', actor: supervisor });
    expect(active(await view(id))).toEqual(['bid-opening']);
    await openBids(id, 4);
    await ok(id, { step: 'bid-opening-review', action: 'approve', actor: supervisor });

    const evaluating = await view(id);
    expect(active(evaluating)).toEqual(['evaluation']);
    expect(evaluating.takenFlows.at(-1)).toBe('flow-bid-check-enough');
  });

  test('given a town trading-centre tender with too few bids, then its own 20-day notice runs again', async () => {
    const id = await register('services', 500000, '村级规划编制服务');
    expect(active(await view(id))).toEqual(['town-tender']);
    await ok(id, {
      step: 'town-tender',
      action: 'submit',
      data: { tenderReference: 'LJ-2026-031', tradingCentre: '罗江区公共资源交易中心金山分中心' },
      actor: town,
    });
    expect(active(await view(id))).toEqual(['town-tender-notice']);

    await waitFor(id, 'bid opening', isActive('bid-opening'));
    await openBids(id, 2);
    await ok(id, { step: 'bid-opening-review', action: 'approve', actor: supervisor });

    const again = await view(id);
    expect(active(again)).toEqual(['town-tender-notice']);
    expect(again.takenFlows.slice(-2)).toEqual(['flow-bid-check-too-few', 'flow-retender-town']);
  });

  test('given a statutory public tender with too few bids, then the public tender notice runs again', async () => {
    const id = await register('works', 4500000, '灌溉渠改造');
    expect(active(await view(id))).toEqual(['public-tender']);
    await ok(id, {
      step: 'public-tender',
      action: 'submit',
      data: { tenderReference: 'SC-2026-0456', platform: '四川省公共资源交易平台' },
      actor: town,
    });
    expect(active(await view(id))).toEqual(['public-tender-notice']);

    await waitFor(id, 'bid opening', isActive('bid-opening'));
    await openBids(id, 0);
    await ok(id, { step: 'bid-opening-review', action: 'approve', actor: supervisor });

    const again = await view(id);
    expect(active(again)).toEqual(['public-tender-notice']);
    expect(again.takenFlows.slice(-2)).toEqual(['flow-bid-check-too-few', 'flow-retender-public']);
  });

  test('given a panel of 2 or an even panel, then 2 is refused and 4 is sent back; an award refused sends the matter back to evaluation', async () => {
    const id = await toEvaluation();
    const tooSmall = await h.act(id, {
      step: 'evaluation',
      action: 'submit',
      data: { panelSize: 2, ranking: '1. 兴隆建筑', firstCandidate: '兴隆建筑', bidAmount: 96000 },
      actor: director,
    });
    expect([tooSmall.status, tooSmall.body.error.code]).toEqual([422, 'INVALID_DATA']);

    await evaluate(id, 4);
    const even = await view(id);
    expect(active(even)).toEqual(['evaluation']);
    expect(even.takenFlows.at(-1)).toBe('flow-panel-even');

    await evaluate(id, 5);
    expect(active(await view(id))).toEqual(['candidate-disclosure']);
    await waitFor(id, 'award', isActive('award'));
    await ok(id, { step: 'award', action: 'reject', comment: '第一中标候选人放弃中标', actor: secretary });

    const back = await view(id);
    expect(active(back)).toEqual(['evaluation']);
    expect(back.takenFlows.at(-1)).toBe('flow-award-rejected');
  });

  test('given a supervisor objection during the candidate disclosure, then the matter is suspended past the window until the answer is accepted', async () => {
    const id = await toEvaluation();
    await evaluate(id, 5);
    await ok(id, {
      step: 'candidate-disclosure',
      action: 'raise-objection',
      comment: '第一中标候选人与村干部有亲属关系',
      actor: supervisor,
    });
    expect((await view(id)).status).toBe('suspended');

    // The 2-second window ends while the matter is suspended: the disclosure stays open.
    await h.pass(3000);
    const held = await view(id);
    expect([held.status, active(held)]).toEqual(['suspended', ['candidate-disclosure']]);

    await ok(id, {
      step: null,
      action: 'answer-objection',
      data: { objectionId: 'objection-1', answer: '经核实无亲属关系，附户籍证明' },
      actor: director,
    });
    expect((await view(id)).status).toBe('suspended');
    await ok(id, { step: null, action: 'accept-answer', data: { objectionId: 'objection-1' }, actor: supervisor });

    const resumed = await waitFor(id, 'award', isActive('award'));
    expect(resumed.status).toBe('running');
    expect(resumed.objections.map((o) => o.status)).toEqual(['resolved']);
    await ok(id, { step: 'award', action: 'approve', actor: secretary });
    const contracting = await view(id);
    expect(active(contracting)).toEqual(['contract']);
    expect(contracting.takenFlows.at(-1)).toBe('flow-award-approved');
  });

  test('given an objection during the candidate disclosure left unanswered past its time (实施条例 Art. 54), then it is overdue, reported for the committee and the town, and the town rules', async () => {
    const id = await toEvaluation();
    await evaluate(id, 5);
    await ok(id, {
      step: 'candidate-disclosure',
      action: 'raise-objection',
      comment: '投标人德阳路桥提出：第一中标候选人业绩证明不实',
      actor: supervisor,
    });
    const raised = await view(id);
    expect(raised.status).toBe('suspended');
    const within = short['objectionAnswer.projectBidding.candidateDisclosure'];
    expect(raised.objections[0]?.answerWithin).toEqual(within);
    expect(raised.objections[0]?.answerDueAt).toEqual(expect.any(String));

    const overdue = await waitFor(
      id,
      'the objection to go overdue',
      (v) => v.objections[0]?.overdueSince !== undefined,
    );
    expect(overdue.status).toBe('suspended');
    expect(overdue.record.filter((r) => r.action === 'objection-overdue').map((r) => r.data)).toEqual([
      { objectionId: 'objection-1', escalatedTo: 'town-official' },
    ]);
    // the overdue report and the task lists read visibility, which this (time-skipping) server lacks:
    // test/unit/objection-deadline.test.ts checks them from this same view
    expect(
      overdueItems({
        village: 'xinglong',
        matters: [overdue],
        opinions: [],
        directory: { villages: [], users: [] },
        now: Date.now(),
      }),
    ).toEqual([
      expect.objectContaining({ kind: 'objection', id, stepName: { zh: '答复异议', en: 'Answer the objection' } }),
    ]);

    await ok(id, {
      step: null,
      action: 'rule-objection',
      data: { objectionId: 'objection-1', ruling: 'dismiss' },
      comment: '村委会逾期未答复；镇里核查业绩证明属实，异议不成立',
      actor: town,
    });
    const resumed = await waitFor(id, 'award', isActive('award'));
    expect(resumed.objections.map((o) => [o.status, o.resolution])).toEqual([['resolved', 'dismissed by the town']]);
  });

  test('given the contract is not signed within the deadline, then the town follows it up while the contract step stays open, and the project still completes', async () => {
    const id = await register('works', 9000, '村小组活动室屋面维修');
    await directAward(id);
    expect(active(await view(id))).toEqual(['contract']);

    const overdue = await waitFor(id, 'the escalation', isActive('contract-escalation'), 15_000);
    expect(active(overdue)).toEqual(['contract', 'contract-escalation']);
    expect(overdue.record.some((r) => r.action === 'reminder' && r.step === 'contract')).toBe(true);

    await ok(id, {
      step: 'contract-escalation',
      action: 'submit',
      data: { measures: '约谈村委会主任，限期签订', newDeadline: '2026-05-15' },
      actor: town,
    });
    const followedUp = await view(id);
    expect(followedUp.status).toBe('running');
    expect(active(followedUp)).toEqual(['contract']);
    expect(followedUp.takenFlows).toContain('flow-escalation-end');

    await signContract(id, 8800);
    await accept(id, 8800);
    await ok(id, { step: 'acceptance-review', action: 'object', comment: '路面厚度不足，需整改', actor: supervisor });
    expect(active(await view(id))).toEqual(['acceptance']);
    await accept(id, 8760);
    await ok(id, { step: 'acceptance-review', action: 'approve', actor: supervisor });

    const done = await waitFor(id, 'the end', (v) => v.status === 'ended');
    expect(done.outcome).toBe('completed');
    expect(done.takenFlows.filter((f) => f === 'flow-acceptance-objected')).toHaveLength(1);
  });

  test('given a budget above the decision threshold and no linked decision, then the start is refused; at it, accepted', async () => {
    const threshold = Number(district['projectBidding.decisionThreshold']);
    const start = (amount: number) =>
      h.post('/api/matters', {
        procedureId: 'project-bidding',
        village: 'xinglong',
        title: '无关联',
        actor: director,
        amount,
      });

    const above = await start(threshold + 0.01);
    const at = await start(threshold);

    expect([above.status, above.body.error.code]).toEqual([422, 'LINK_REQUIRED']);
    expect(at.status).toBe(201);
    h.remember(at.body.id as string);
  });

  test('given a contract or a settlement above the tier of the registered budget, then it is refused: a tender may not be evaded (招标投标法 Art. 4)', async () => {
    const id = await register('works', 9999.99, '村道边沟修补');
    await directAward(id);
    const contract = (contractAmount: number) =>
      h.act(id, {
        step: 'contract',
        action: 'submit',
        data: { contractor: '兴隆建筑', contractAmount, signedOn: '2026-04-20' },
        actor: director,
      });
    const evaded = await contract(5_000_000);
    expect([evaded.status, evaded.body.error.code]).toEqual([422, 'INVALID_DATA']);
    expect(evaded.body.error.details).toEqual([
      { field: 'data.contractAmount', message: expect.stringContaining('依法公开招标') },
    ]);
    expect(evaded.body.error.message).toMatch(/招标投标法第四条.*Art\. 4|Art\. 4.*招标投标法第四条/s);
    expect((await contract(9999.99)).status).toBe(200);

    const settle = (finalAmount: number) =>
      h.act(id, {
        step: 'acceptance',
        action: 'submit',
        data: { acceptedOn: '2026-09-30', conclusion: '合格', finalAmount },
        actor: director,
      });
    const overrun = await settle(10_000);
    expect([overrun.status, overrun.body.error.details[0].field]).toEqual([422, 'data.finalAmount']);
    expect((await settle(9980)).status).toBe(200);

    const v = await view(id);
    expect(active(v)).toEqual(['acceptance-review']);
    expect(v.record.filter((r) => r.step === 'contract' || r.step === 'acceptance').map((r) => r.data)).toEqual([
      expect.objectContaining({ contractAmount: 9999.99 }),
      expect.objectContaining({ finalAmount: 9980 }),
    ]);
  });

  test('together these scenarios take every sequence flow of project-bidding.bpmn', async () => {
    const { untaken, total } = await h.untakenFlows('project-bidding');

    expect(total).toBeGreaterThan(30);
    expect(untaken).toEqual([]);
  });

  test('replaying the recorded histories of these matters with today’s code is deterministic', async () => {
    expect(await h.replayAll()).toBe(h.started.size);
  }, 120_000);
});
