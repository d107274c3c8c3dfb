import { Worker } from '@temporalio/worker';
import { answeredOnTime, publicOpinion, type OpinionState } from '../../common/opinion';
import {
  acknowledgeOpinion,
  answerOpinion,
  opinionIdOf,
  readOpinion,
  submitOpinion,
} from '../../api/routes/opinions/service';
import { OPINIONS_PATCH, READ_MODEL_PATCH } from '../../workflows/matter';
import { DirectMatters, directWorld, type DirectWorld } from '../helpers/direct-matters';
import { recordHistory } from '../helpers/history-replay';
import type { TestTemporal } from '../helpers/temporal';
import { connectTimeSkipping, pass, pollPause } from '../helpers/time-skipping';
import { testEnv } from '../helpers/test-env';
import { projectionSinks } from '../../worker/projection-sink';

/**
 * 民意直通车: the short test policy gives 5 s to acknowledge and 10 s to answer; the resolution's
 * disclosure runs 6 s here so an opinion can be filed inside it. The waits are those limits and no
 * test reads a list, so it runs on a time-skipping test server (test/helpers/time-skipping.ts).
 */

const chair = { userId: 'qian-chair', role: 'supervisor-chair' } as const;
const town = { userId: 'sun-town', role: 'town-official' } as const;

let temporal: TestTemporal;
let world: DirectWorld & { running: Promise<void> };
let matters: DirectMatters;
/** every workflow started here, with the name its recorded history gets */
const started = new Map<string, string>();

beforeAll(async () => {
  temporal = await connectTimeSkipping();
  world = await directWorld(temporal, 'opinions', {
    policy: { 'majorDecision.resolutionDisclosure': { amount: 6, unit: 'seconds' } },
  });
  matters = new DirectMatters(temporal, world);
});
afterAll(async () => {
  await world.cleanup();
  await temporal.close();
});

async function submit(label: string, over: Partial<Parameters<typeof submitOpinion>[2]> = {}) {
  const submitted = await submitOpinion(temporal.client, world.taskQueue, {
    village: 'xinglong',
    town: 'jinshan',
    subject: '村口路灯',
    text: '村口路灯坏了两个星期，晚上看不见路。',
    contact: { name: '张三', phone: '13800000000' },
    publishAnswer: true,
    deadlines: world.deadlines,
    ...over,
  });
  started.set(submitted.opinionId, `opinion--${label}`);
  return submitted;
}

async function waitForOpinion(id: string, what: string, done: (o: OpinionState) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const o = await readOpinion(temporal.client, id);
    if (done(o)) return o;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(o)}`);
    await pollPause(temporal);
  }
}

describe('opinions (民意直通车) on a real Temporal server', () => {
  test('given a resident submits, then the tracking code finds the opinion and the chair acknowledges and answers in time', async () => {
    // Limits from the policy's shape but long enough that a busy machine still acts "in time".
    const { opinionId, trackingCode } = await submit('acknowledged-and-answered-in-time', {
      deadlines: { acknowledge: { amount: 30, unit: 'seconds' }, answer: { amount: 60, unit: 'seconds' } },
    });
    expect(trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(opinionIdOf(trackingCode.toLowerCase())).toBe(opinionId);
    expect(opinionId).not.toContain(trackingCode.replace(/-/g, ''));

    const submitted = await waitForOpinion(opinionId, 'the deadlines', (o) => o.answerDueAt !== undefined);
    expect(submitted.status).toBe('submitted');
    expect(Date.parse(submitted.acknowledgeDueAt ?? '') - Date.parse(submitted.submittedAt)).toBe(30_000);
    expect(Date.parse(submitted.answerDueAt ?? '') - Date.parse(submitted.submittedAt)).toBe(60_000);

    await expect(answerOpinion(temporal.client, opinionId, { actor: town, answer: '镇里来答' })).rejects.toMatchObject({
      status: 403,
      code: 'ROLE_NOT_ALLOWED',
    });
    const acknowledged = await acknowledgeOpinion(temporal.client, opinionId, { actor: chair, note: '已转村委会' });
    expect(acknowledged.status).toBe('acknowledged');
    await expect(acknowledgeOpinion(temporal.client, opinionId, { actor: chair })).rejects.toMatchObject({
      status: 409,
    });

    const answered = await answerOpinion(temporal.client, opinionId, { actor: chair, answer: '路灯已于本周修复。' });
    expect(answered.status).toBe('answered');
    expect(answered.escalations).toEqual([]);
    expect(answeredOnTime(answered)).toBe(true);
    const result = (await temporal.client.workflow.getHandle(opinionId).result()) as OpinionState;
    expect(result.answered?.answer).toBe('路灯已于本周修复。');
    expect(publicOpinion(result)).toMatchObject({ answer: '路灯已于本周修复。', escalated: false });
    expect(JSON.stringify(publicOpinion(result))).not.toContain('13800000000');

    await expect(answerOpinion(temporal.client, opinionId, { actor: chair, answer: '再答一次' })).rejects.toMatchObject(
      {
        status: 409,
      },
    );
  });

  test('given nobody acknowledges in time, then the opinion is escalated to the town, which may then answer', async () => {
    const { opinionId } = await submit('escalated-to-the-town-when-not-acknowledged-in-time', {
      subject: '低保评议',
      publishAnswer: false,
    });

    const late = await waitForOpinion(opinionId, 'the escalation', (o) => o.escalations.length > 0, 20_000);
    expect(late.escalations[0]?.deadline).toBe('acknowledge');
    expect(late.status).toBe('submitted');
    expect(Date.parse(late.escalations[0]?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(late.acknowledgeDueAt ?? ''));

    const answered = await answerOpinion(temporal.client, opinionId, { actor: town, answer: '镇里已核实并答复。' });
    expect(answered.answered).toMatchObject({ userId: 'sun-town', role: 'town-official' });
    expect(answeredOnTime(answered)).toBe(false);
    expect(publicOpinion(answered)).toMatchObject({ answerWithheld: true, escalated: true });
    expect(publicOpinion(answered).answer).toBeUndefined();
  });

  test('given an opinion about a matter in its disclosure window, then the disclosure is held past its window until the answer', async () => {
    const matterId = await matters.decisionInDisclosure('xinglong', '修建文化广场');
    started.set(matterId, 'major-decision--given-an-opinion-in-the-resolution-window-then-it-is-held-until-the-answer');
    const disclosing = await matters.view(matterId);
    expect(disclosing.activeSteps.map((s) => s.id)).toEqual(['disclose-resolution']);

    const { opinionId } = await submit('about-a-matter-in-its-disclosure-window', {
      matterId,
      subject: '文化广场选址',
      text: '广场离学校太近，建议换址。',
    });
    await matters.waitFor(matterId, 'the opinion to be filed', (v) =>
      v.record.some((r) => r.action === 'opinion-filed' && r.data?.opinionId === opinionId),
    );
    // The 6 s window ends: the notice carries its end, the step stays.
    const held = await matters.waitFor(
      matterId,
      'the window to end',
      (v) => v.notices[0]?.endsAt !== undefined,
      20_000,
    );
    await pass(temporal, 1500);
    const stillHeld = await matters.view(matterId);
    expect(held.activeSteps.map((s) => s.id)).toEqual(['disclose-resolution']);
    expect(held.activeSteps[0]?.heldByOpinions).toBe(1);
    expect(stillHeld.activeSteps.map((s) => s.id)).toEqual(['disclose-resolution']);
    expect(stillHeld.completedSteps).not.toContain('disclose-resolution');

    await answerOpinion(temporal.client, opinionId, { actor: chair, answer: '已复核选址，距学校 300 米，符合规定。' });
    const released = await matters.waitFor(matterId, 'implement', (v) =>
      v.activeSteps.some((s) => s.id === 'implement'),
    );
    const actions = released.record.map((r) => r.action);
    expect(actions.indexOf('opinion-answered')).toBeLessThan(actions.indexOf('disclosure-ended'));
    expect(released.completedSteps).toContain('disclose-resolution');
    // the change to the matter workflow is behind its patch marker (older matters replay as they ran)
    const history = await temporal.client.workflow.getHandle(matterId).fetchHistory();
    const markers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    const patchIds = markers.flatMap((m) =>
      Object.values(m.markerRecordedEventAttributes?.details ?? {})
        .flatMap((p) => p.payloads ?? [])
        .map((p) => (JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { id?: string }).id),
    );
    // other changes have patches of their own; the read model's from the first task, this one once
    expect(patchIds.filter((id) => id === OPINIONS_PATCH)).toHaveLength(1);
    expect(patchIds).toContain(READ_MODEL_PATCH);
  });

  test('given every workflow run here, then today’s code replays its history', async () => {
    const histories = await Promise.all(
      [...started.keys()].map(async (workflowId) => ({
        workflowId,
        history: await temporal.client.workflow.getHandle(workflowId).fetchHistory(),
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
    expect(count).toBe(started.size);
    if (process.env.RECORD_HISTORIES === '1') {
      for (const { workflowId, history } of histories) {
        const scenario = (started.get(workflowId) ?? workflowId).replace(/^.*?--/, '');
        await recordHistory(history, scenario, temporal.client.workflow.getHandle(workflowId));
      }
    }
  });
});
