import path from 'node:path';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import type { MatterView } from '../../common/matter';
import { HASH, MatterHarness, meetingRecord as meeting, people } from '../helpers/matter-harness';

/**
 * 集体资产资源处置 through the HTTP API, branch by branch. The short test policy makes both
 * disclosures last 2 seconds; its money and land thresholds are those of the district policy file
 * (checked below), and the boundary tests read them from that file. The waits here are those
 * disclosures and no test reads a list, so it runs on a time-skipping test server.
 */

const { director, committee, supervisor, town } = people;
const h = new MatterHarness('asset-disposal', { clock: 'time-skipping' });

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

const ROOT = path.resolve(__dirname, '..', '..');
const district = policyValuesAt(
  loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json')),
  '2026-01-01',
);
const short = policyValuesAt(
  loadPolicyFile(path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json')),
  '2026-01-01',
);

function threshold(key: string): number {
  const value = district[key];
  if (typeof value !== 'number') throw new Error(`policy ${key} is not a number`);
  return value;
}

const APPRAISAL = threshold('assetDisposal.appraisalThreshold');
const EXCHANGE = threshold('assetDisposal.exchangeThreshold');
const LAND_MU = threshold('assetDisposal.exchangeLandMu');
/** just below a threshold, at the precision of the field (amounts: 0.01 yuan; land: 0.1 mu) */
const below = (value: number, step: number) => Math.round((value - step) * 100) / 100;

const ok = h.ok.bind(h);
const act = h.act.bind(h);
const view = h.view.bind(h);
const waitFor = h.waitFor.bind(h);
const holdMeeting = h.holdMeeting.bind(h);

const active = (v: MatterView) => v.activeSteps.map((s) => s.id);
const isActive = (step: string) => (v: MatterView) => active(v).includes(step);

interface Plan {
  asset: string;
  kind: 'lease' | 'contracting' | 'sale';
  bookValue: number;
  term?: string;
  reservePrice: number;
  isLand: boolean;
  landMu?: number;
}

const lease: Plan = {
  asset: '村委会旧办公楼一楼门面',
  kind: 'lease',
  bookValue: 30000,
  term: '5年',
  reservePrice: 12000,
  isLand: false,
};

function startMatter(title = lease.asset): Promise<string> {
  return h.start({ procedureId: 'asset-disposal', village: 'xinglong', title, actor: director });
}

/** Proposes the plan and has the supervisory committee approve it. */
async function proposeApproved(plan: Plan): Promise<string> {
  const id = await startMatter(plan.asset);
  await ok(id, { step: 'propose-plan', action: 'submit', data: plan, actor: director });
  await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
  return id;
}

async function appraise(id: string, appraisedValue: number) {
  await ok(id, {
    step: 'appraisal',
    action: 'submit',
    data: { appraiser: '德阳某资产评估事务所', appraisedValue, reportHash: HASH },
    actor: committee,
  });
}

/** Resolution passed, then the plan disclosure runs its window: returns the transaction step. */
async function throughPlanDisclosure(id: string): Promise<string> {
  await holdMeeting(id, 'resolve', meeting('representatives', 30, 25, 20));
  expect(active(await view(id))).toEqual(['plan-disclosure']);
  const v = await waitFor(id, 'the transaction', (m) => isActive('town-exchange')(m) || isActive('village-auction')(m));
  return active(v)[0] ?? '';
}

/** From a plan (no appraisal needed below the threshold) to the transaction step it is routed to. */
async function venueOf(plan: Plan): Promise<string> {
  const id = await proposeApproved(plan);
  if (plan.bookValue >= APPRAISAL) await appraise(id, plan.bookValue);
  return throughPlanDisclosure(id);
}

async function auction(id: string, bestBid: number) {
  await ok(id, {
    step: 'village-auction',
    action: 'submit',
    data: { bestBid, bidders: bestBid > 0 ? 3 : 0, winner: '张三', heldOn: '2026-04-01' },
    actor: director,
  });
}

async function exchange(id: string, bestBid: number) {
  await ok(id, {
    step: 'town-exchange',
    action: 'submit',
    data: { bestBid, bidders: 2, winner: '罗江某农业合作社', exchangeRef: 'LJ-2026-017' },
    actor: town,
  });
}

async function signAndFile(id: string, price: number) {
  await waitFor(id, 'sign-contract after the result disclosure', isActive('sign-contract'));
  const contract = { price, counterparty: '张三', signedOn: '2026-04-10', contractHash: HASH };
  await ok(id, { step: 'sign-contract', action: 'submit', data: contract, actor: director });
  return contract;
}

describe('collective asset disposal (集体资产资源处置) on a real Temporal server', () => {
  test('the short test policy has the district thresholds, so the boundaries below are those of the district', () => {
    for (const key of [
      'assetDisposal.appraisalThreshold',
      'assetDisposal.exchangeThreshold',
      'assetDisposal.exchangeLandMu',
    ]) {
      expect([key, short[key]]).toEqual([key, district[key]]);
    }
  });

  test('given a small lease, an objection to the plan, a low bid, a witness objection and a refused filing, then each sends it back and it still completes', async () => {
    const id = await startMatter();
    await ok(id, {
      step: 'propose-plan',
      action: 'submit',
      data: { ...lease, reservePrice: 10000 },
      actor: director,
    });
    await ok(id, { step: 'supervisor-review', action: 'object', comment: '底价低于周边租金', actor: supervisor });
    expect(active(await view(id))).toEqual(['propose-plan']);

    await ok(id, { step: 'propose-plan', action: 'submit', data: lease, actor: director });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    expect(active(await view(id))).toEqual(['resolve']);
    expect(await throughPlanDisclosure(id)).toBe('village-auction');

    // a cent below the reserve: the auction runs again
    await auction(id, below(lease.reservePrice, 0.01));
    await ok(id, { step: 'auction-witness', action: 'approve', actor: supervisor });
    const rerun = await view(id);
    expect(active(rerun)).toEqual(['village-auction']);
    expect(rerun.takenFlows.slice(-2)).toEqual(['flow-witness-approved', 'flow-auction-rerun']);

    // the supervisor present objects to how it was run: the auction runs again
    await auction(id, 15000);
    await ok(id, { step: 'auction-witness', action: 'object', comment: '竞价前未公告竞买条件', actor: supervisor });
    expect((await view(id)).takenFlows.at(-1)).toBe('flow-witness-objected');
    expect(active(await view(id))).toEqual(['village-auction']);

    // exactly the reserve is enough
    await auction(id, lease.reservePrice);
    await ok(id, { step: 'auction-witness', action: 'approve', actor: supervisor });
    expect(active(await view(id))).toEqual(['result-disclosure']);

    await signAndFile(id, lease.reservePrice);
    await ok(id, { step: 'contract-filing', action: 'reject', comment: '合同期限与决议不一致', actor: town });
    expect(active(await view(id))).toEqual(['sign-contract']);
    await signAndFile(id, lease.reservePrice);
    await ok(id, { step: 'contract-filing', action: 'approve', actor: town });

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'completed']);
    expect(done.completedSteps).not.toContain('appraisal');
    expect(done.completedSteps).not.toContain('town-exchange');
    expect(done.meetings.map((m) => [m.step, m.result, m.witnessedBy])).toEqual([
      ['resolve', 'passed', 'zhao-supervisor'],
    ]);
    expect(done.notices.map((n) => n.step)).toEqual(['plan-disclosure', 'result-disclosure']);
  });

  test('given a sale above the exchange threshold, then it is appraised, goes to the town exchange, runs again below the reserve, and completes', async () => {
    const sale: Plan = {
      asset: '废弃村小学校舍',
      kind: 'sale',
      bookValue: 150000,
      reservePrice: 160000,
      isLand: false,
    };
    const id = await proposeApproved(sale);
    expect(active(await view(id))).toEqual(['appraisal']);
    await appraise(id, 165000);
    expect(await throughPlanDisclosure(id)).toBe('town-exchange');

    await exchange(id, below(sale.reservePrice, 0.01));
    const rerun = await view(id);
    expect(active(rerun)).toEqual(['town-exchange']);
    expect(rerun.takenFlows.slice(-2)).toEqual(['flow-exchange-check', 'flow-exchange-rerun']);

    await exchange(id, 171000);
    expect(active(await view(id))).toEqual(['result-disclosure']);
    await signAndFile(id, 171000);
    await ok(id, { step: 'contract-filing', action: 'approve', actor: town });

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'completed']);
    expect(done.completedSteps).toEqual([
      'propose-plan',
      'supervisor-review',
      'appraisal',
      'resolve',
      'plan-disclosure',
      'town-exchange',
      'town-exchange',
      'result-disclosure',
      'sign-contract',
      'contract-filing',
    ]);
    expect(done.amount).toBe(171000);
  });

  test('given the assembly rejects the plan, then the matter ends rejected', async () => {
    const id = await proposeApproved(lease);
    await holdMeeting(
      id,
      'resolve',
      meeting('villagers', 900, 480, 200, { households: 300, householdsRepresented: 210 }),
    );

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'rejected']);
    expect(done.takenFlows.at(-1)).toBe('flow-resolve-rejected');
  });

  test.each([
    ['exactly the appraisal threshold', APPRAISAL, 'appraisal'],
    ['a cent below the appraisal threshold', below(APPRAISAL, 0.01), 'resolve'],
  ])('given a book value of %s (%d yuan), then the next step is %s', async (_what, bookValue, next) => {
    const id = await proposeApproved({ ...lease, bookValue });
    expect(active(await view(id))).toEqual([next]);
  });

  test.each([
    ['a book value of exactly the exchange threshold', 'town-exchange', { bookValue: EXCHANGE }],
    ['a book value a cent below the exchange threshold', 'village-auction', { bookValue: below(EXCHANGE, 0.01) }],
    ['land of exactly the exchange area', 'town-exchange', { isLand: true, landMu: LAND_MU }],
    ['land 0.1 mu under the exchange area', 'village-auction', { isLand: true, landMu: below(LAND_MU, 0.1) }],
  ])('given %s, then the transaction is %s', async (_what, venue, change: Partial<Plan>) => {
    const plan: Plan = { ...lease, kind: change.isLand ? 'contracting' : 'lease', ...change };
    expect(await venueOf(plan)).toBe(venue);
  });

  test('given land without its area, then the plan is refused naming landMu; with it, land of the policy area goes to the town exchange', async () => {
    const land: Plan = { ...lease, asset: '三组集体林地', kind: 'contracting', isLand: true };
    const id = await startMatter(land.asset);
    const noArea = await act(id, { step: 'propose-plan', action: 'submit', data: land, actor: director });
    expect([noArea.status, noArea.body.error.code, noArea.body.error.details]).toEqual([
      422,
      'INVALID_DATA',
      [{ field: 'data.landMu', message: expect.stringContaining('交易方式') }],
    ]);
    expect(noArea.body.error.message).toMatch(/landMu.*土地面积|土地面积.*landMu/s);
    await ok(id, { step: 'propose-plan', action: 'submit', data: { ...land, landMu: LAND_MU }, actor: director });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    expect(await throughPlanDisclosure(id)).toBe('town-exchange');
  });

  test('given actions the rules refuse, then they are refused with the rule and nothing is recorded', async () => {
    const id = await startMatter();
    const wrongRole = await act(id, { step: 'propose-plan', action: 'submit', data: lease, actor: town });
    const badKind = await act(id, {
      step: 'propose-plan',
      action: 'submit',
      data: { ...lease, kind: 'gift' },
      actor: director,
    });
    await ok(id, { step: 'propose-plan', action: 'submit', data: lease, actor: director });
    const noReason = await act(id, { step: 'supervisor-review', action: 'object', actor: supervisor });
    const committeeReviews = await act(id, { step: 'supervisor-review', action: 'approve', actor: committee });

    expect([wrongRole.status, wrongRole.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect([badKind.status, badKind.body.error.code]).toEqual([422, 'INVALID_DATA']);
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'REASON_REQUIRED']);
    expect([committeeReviews.status, committeeReviews.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect(active(await view(id))).toEqual(['supervisor-review']);
  });

  test('given a supervisor objection during the transaction, then the matter is suspended until the answer is accepted', async () => {
    const id = await proposeApproved({ ...lease, asset: '村集体鱼塘' });
    expect(await throughPlanDisclosure(id)).toBe('village-auction');
    await ok(id, {
      step: 'village-auction',
      action: 'raise-objection',
      comment: '竞买人资格未公示',
      actor: supervisor,
    });

    const blocked = await act(id, {
      step: 'village-auction',
      action: 'submit',
      data: { bestBid: 13000, bidders: 2, heldOn: '2026-04-01' },
      actor: director,
    });
    expect([blocked.status, blocked.body.error.code]).toEqual([409, 'MATTER_SUSPENDED']);

    await ok(id, {
      step: null,
      action: 'answer-objection',
      data: { objectionId: 'objection-1', answer: '已补充公示竞买人资格' },
      actor: director,
    });
    await ok(id, { step: null, action: 'accept-answer', data: { objectionId: 'objection-1' }, actor: supervisor });
    expect((await view(id)).status).toBe('running');
    await auction(id, 13000);
    expect(active(await view(id))).toEqual(['auction-witness']);
  });

  test('together these scenarios take every sequence flow of asset-disposal.bpmn', async () => {
    const { untaken, total } = await h.untakenFlows('asset-disposal');

    expect(total).toBeGreaterThan(25);
    expect(untaken).toEqual([]);
  });

  test('replaying the recorded histories of these matters with today’s code is deterministic', async () => {
    expect(await h.replayAll()).toBe(h.started.size);
  }, 120_000);
});
