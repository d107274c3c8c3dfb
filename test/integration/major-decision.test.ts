import request from 'supertest';
import { MATTER_WORKFLOW } from '../../common/matter';
import { MatterHarness, meetingRecord as meeting, people } from '../helpers/matter-harness';
import { testCatalog } from '../helpers/catalog';
import { uniqueName } from '../helpers/temporal';

/**
 * 四议两公开 on the real dev server, through the HTTP API, branch by branch. The short test
 * policy makes the 5-working-day and 7-day disclosures last seconds.
 */

const { secretary, director, supervisor, town } = people;
const h = new MatterHarness('major-decision');
const taskQueue = h.taskQueue;

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

function startMatter(title = '村道硬化'): Promise<string> {
  return h.start({ procedureId: 'major-decision', village: 'xinglong', title, actor: secretary });
}

const act = h.act.bind(h);
const ok = h.ok.bind(h);
const view = h.view.bind(h);
const waitFor = h.waitFor.bind(h);
const holdMeeting = h.holdMeeting.bind(h);

const proposal = {
  title: '村道硬化',
  description: '硬化三组至五组村道 1.2 公里',
  category: 'infrastructure',
  estimatedAmount: 180000,
};

async function throughPartyReview(id: string) {
  await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
  await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 5));
  await holdMeeting(id, 'party-review', meeting('party-members', 45, 40, 30), secretary);
}

describe('major decision (四议两公开) on a real Temporal server', () => {
  test('given every meeting passes, then both disclosures run their windows and the matter completes', async () => {
    const id = await startMatter();
    await throughPartyReview(id);
    await holdMeeting(id, 'resolve', meeting('representatives', 30, 25, 20));

    const disclosing = await view(id);
    expect(disclosing.activeSteps.map((s) => s.id)).toEqual(['disclose-resolution']);
    expect(disclosing.notices).toHaveLength(1);

    await waitFor(id, 'implement', (v) => v.activeSteps.some((s) => s.id === 'implement'));
    await ok(id, {
      step: 'implement',
      action: 'submit',
      data: { progress: '已完工', completedOn: '2026-06-30', finalAmount: 176500 },
      actor: director,
    });
    const done = await waitFor(id, 'the end', (v) => v.status === 'ended');

    expect(done.outcome).toBe('completed');
    expect(done.completedSteps).toEqual([
      'propose',
      'deliberate',
      'party-review',
      'resolve',
      'disclose-resolution',
      'implement',
      'disclose-result',
    ]);
    expect(done.meetings.map((m) => [m.step, m.result, m.witnessedBy])).toEqual([
      ['deliberate', 'passed', 'zhao-supervisor'],
      ['party-review', 'passed', 'zhao-supervisor'],
      ['resolve', 'passed', 'zhao-supervisor'],
    ]);
    expect(done.notices.every((n) => n.endsAt !== undefined)).toBe(true);
    expect(done.record.map((r) => r.seq)).toEqual(done.record.map((_, i) => i + 1));
  });

  test('given the assembly rejects, then the matter ends rejected', async () => {
    const id = await startMatter();
    await throughPartyReview(id);
    await holdMeeting(
      id,
      'resolve',
      meeting('villagers', 900, 480, 200, { households: 300, householdsRepresented: 210 }),
    );

    const done = await view(id);
    expect(done.status).toBe('ended');
    expect(done.outcome).toBe('rejected');
  });

  test('given an inquorate party meeting, then it is recorded and held again', async () => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 5));
    await holdMeeting(id, 'party-review', meeting('party-members', 45, 29, 29), secretary);

    const again = await view(id);
    expect(again.activeSteps.map((s) => [s.id, s.phase])).toEqual([['party-review', 'open']]);
    expect(again.meetings.at(-1)).toMatchObject({ step: 'party-review', result: 'inquorate', status: 'confirmed' });

    await holdMeeting(id, 'party-review', meeting('party-members', 45, 31, 25), secretary);
    expect((await view(id)).activeSteps.map((s) => s.id)).toEqual(['resolve']);
  });

  test('given the joint meeting rejects and asks for a revision, then the matter goes back to the proposal', async () => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 2, { followUp: 'revise' }));

    const back = await view(id);
    expect(back.activeSteps.map((s) => s.id)).toEqual(['propose']);
    expect(back.takenFlows.slice(-2)).toEqual(['flow-deliberate-result', 'flow-deliberate-revise']);
    expect(back.meetings[0]?.result).toBe('rejected');
  });

  test('given the joint meeting rejects with no revision asked, then the matter is withdrawn', async () => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 1));

    const done = await view(id);
    expect([done.status, done.outcome]).toEqual(['ended', 'withdrawn']);
    expect(done.takenFlows.at(-1)).toBe('flow-deliberate-withdraw');
  });

  test.each([
    ['revise', 'flow-party-review-revise', 'running'],
    ['withdraw', 'flow-party-review-withdraw', 'ended'],
  ])('given the party assembly rejects and the follow-up is %s, then %s is taken', async (followUp, flow, status) => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 5));
    await holdMeeting(id, 'party-review', meeting('party-members', 45, 40, 10, { followUp }), secretary);

    const after = await view(id);
    expect(after.status).toBe(status);
    expect(after.takenFlows.at(-1)).toBe(flow);
  });

  test('given a supervisor objection, then the matter is suspended until the answer is accepted', async () => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await ok(id, { step: 'deliberate', action: 'raise-objection', comment: '未公示会议通知', actor: supervisor });

    const blocked = await act(id, {
      step: 'deliberate',
      action: 'record',
      data: meeting('two-committees', 7, 6, 5),
      actor: director,
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('MATTER_SUSPENDED');
    expect((await view(id)).status).toBe('suspended');

    await ok(id, {
      step: null,
      action: 'answer-objection',
      data: { objectionId: 'objection-1', answer: '已补发通知' },
      actor: director,
    });
    await ok(id, { step: null, action: 'accept-answer', data: { objectionId: 'objection-1' }, actor: supervisor });
    expect((await view(id)).status).toBe('running');
    await holdMeeting(id, 'deliberate', meeting('two-committees', 7, 6, 5));
    expect((await view(id)).activeSteps.map((s) => s.id)).toEqual(['party-review']);
  });

  test('given the same action twice with one Idempotency-Key, then it is applied once', async () => {
    const id = await startMatter();
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    const record = { step: 'deliberate', action: 'record', data: meeting('two-committees', 7, 6, 5), actor: director };
    const key = uniqueName('record');

    const first = await act(id, record, key);
    const second = await act(id, record, key);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.seq).toBe(first.body.seq);
    expect((await view(id)).meetings).toHaveLength(1);
  });

  test('given actions the rules refuse, then 409, 403 and 422 name the rule and nothing is recorded', async () => {
    const id = await startMatter();
    const before = (await view(id)).record.length;

    const inactive = await act(id, {
      step: 'resolve',
      action: 'record',
      data: meeting('representatives', 30, 25, 20),
      actor: director,
    });
    const wrongRole = await act(id, { step: 'propose', action: 'submit', data: proposal, actor: town });
    const badData = await act(id, {
      step: 'propose',
      action: 'submit',
      data: { ...proposal, estimatedAmount: -5 },
      actor: secretary,
    });
    const noReason = await act(id, { step: null, action: 'raise-objection', actor: supervisor });
    const missing = await request(h.app).get('/api/matters/matter-nobody-here');
    const unknownProcedure = await h.post('/api/matters', {
      procedureId: 'no-such-list',
      village: 'xinglong',
      title: 'x',
      actor: secretary,
    });
    const badRole = await h.post('/api/matters', {
      procedureId: 'major-decision',
      village: 'xinglong',
      title: 'x',
      actor: { userId: secretary.userId, role: 'mayor' },
    });

    expect([inactive.status, inactive.body.error.code]).toEqual([409, 'STEP_NOT_ACTIVE']);
    expect([wrongRole.status, wrongRole.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect([badData.status, badData.body.error.code]).toEqual([422, 'INVALID_DATA']);
    expect(badData.body.error.details).toEqual([
      { field: 'data.estimatedAmount', message: 'estimatedAmount must be at least 0' },
    ]);
    expect([noReason.status, noReason.body.error.code]).toEqual([422, 'REASON_REQUIRED']);
    expect(missing.status).toBe(404);
    expect([unknownProcedure.status, unknownProcedure.body.error.code]).toEqual([404, 'UNKNOWN_PROCEDURE']);
    expect([badRole.status, badRole.body.error.details[0].field]).toEqual([400, 'body.role']);
    expect((await view(id)).record).toHaveLength(before);
  });

  test('given a matter moves, then its search attributes follow: village, procedure, status, active steps, amount', async () => {
    const village = uniqueName('village');
    await h.directory.addVillage(village);
    const res = await h.post('/api/matters', {
      procedureId: 'major-decision',
      village,
      title: '搜索',
      actor: secretary,
    });
    const id = res.body.id as string;
    h.remember(id);
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });

    const query = `MatterVillage = '${village}' AND MatterProcedure = 'major-decision' AND MatterStatus = 'running' AND MatterActiveSteps = 'deliberate' AND MatterAmount = 180000`;
    const deadline = Date.now() + 15_000;
    let found: string[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      found = [];
      for await (const wf of h.temporal.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }

    expect(found).toEqual([id]);
  });

  test('the pinned BPMN and the catalog serve the version the matter started with', async () => {
    const id = await startMatter();
    const v = await view(id);

    const bpmn = await request(h.app).get(`/api/matters/${id}/bpmn`);
    const byVersion = await request(h.app).get(`/api/procedures/major-decision/versions/${v.procedure.version}/bpmn`);
    const listed = await request(h.app).get('/api/procedures');

    expect(bpmn.status).toBe(200);
    expect(bpmn.text).toContain('id="major-decision"');
    expect(byVersion.text).toBe(bpmn.text);
    const procedures = listed.body.procedures as { id: string; versions: string[] }[];
    expect(procedures.find((p) => p.id === 'major-decision')?.versions).toContain(v.procedure.version);
  });

  test('given a low update limit, then the matter continues as new and carries its whole state, idempotency keys included', async () => {
    const { catalog } = testCatalog();
    const procedure = await catalog.current('major-decision', '2026-11-27');
    if (!procedure) throw new Error('major-decision missing from the catalog');
    const id = uniqueName('matter-can');
    const handle = await h.temporal.client.workflow.start(MATTER_WORKFLOW, {
      taskQueue,
      workflowId: id,
      args: [
        {
          graph: procedure.graph,
          matterId: id,
          village: 'xinglong',
          title: '续跑',
          initiator: secretary,
          limits: { updatesPerRun: 2 },
        },
      ],
    });
    h.remember(id);
    const firstRun = handle.firstExecutionRunId;

    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    const record = { step: 'deliberate', action: 'record', data: meeting('two-committees', 7, 6, 5), actor: director };
    const key = uniqueName('before-can');
    const first = await act(id, record, key);
    const deadline = Date.now() + 20_000;
    while ((await handle.describe()).runId === firstRun) {
      if (Date.now() > deadline) throw new Error('the matter did not continue as new');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const retried = await act(id, record, key);
    expect([retried.status, retried.body.seq]).toEqual([200, first.body.seq]);
    await ok(id, { step: 'deliberate', action: 'confirm', actor: supervisor });

    const carried = await view(id);
    expect(carried.completedSteps).toEqual(['propose', 'deliberate']);
    expect(carried.record.map((r) => r.action)).toEqual(['start', 'submit', 'record', 'confirm']);
    expect(carried.amount).toBe(proposal.estimatedAmount);
  });

  test('together these scenarios take every sequence flow of major-decision.bpmn', async () => {
    const { untaken, total } = await h.untakenFlows('major-decision');

    expect(total).toBeGreaterThan(10);
    expect(untaken).toEqual([]);
  });

  test('replaying the recorded histories of these matters with today’s code is deterministic', async () => {
    expect(await h.replayAll()).toBe(h.started.size);
  }, 120_000);
});
