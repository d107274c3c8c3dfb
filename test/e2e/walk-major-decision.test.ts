import { mkdirSync } from 'node:fs';
import { ARTIFACTS, UiServer, signIn, waitForActive } from './ui-server';
import {
  actionForm,
  fill,
  joinPracticeVillage,
  openAs,
  residentReadsNotice,
  seesBeforeDeciding,
  send,
  startFromPage,
  upload,
} from './walk';

/**
 * 四议两公开 walked end to end in the practice village (演练村) through the pages, as each person
 * who acts on it: each sees, where they act, what they decide on (the proposal, each meeting's
 * agenda, attendance, votes and resolution); a resident reads the resolution on notice with its
 * start, end and days left. The resolution stays on notice long enough to be read, then runs out.
 */

jest.setTimeout(300_000);

const ui = new UiServer('e2e-walk-major-decision', {
  'majorDecision.resolutionDisclosure': { amount: 30, unit: 'seconds' },
  'majorDecision.resultDisclosure': { amount: 3, unit: 'seconds' },
});

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
  await joinPracticeVillage(ui);
}, 240_000);
afterAll(() => ui.tearDown());

const PROPOSAL = { description: '硬化演练村三组至五组村道 1.2 公里', amount: '180,000 元' };
const MEETINGS = {
  deliberate: {
    counts: { members: '7', present: '6', inFavour: '5', against: '1', abstain: '0' },
    agenda: '商议三组至五组村道硬化',
    resolution: '两委同意提交党员大会审议',
  },
  'party-review': {
    counts: { members: '45', present: '40', inFavour: '30', against: '8', abstain: '2' },
    agenda: '审议村道硬化方案',
    resolution: '党员大会同意提交村民代表会议决议',
  },
  resolve: {
    counts: { members: '30', present: '25', inFavour: '20', against: '5', abstain: '0' },
    agenda: '决议村道硬化，预算十八万元',
    resolution: '村民代表会议决定硬化三组至五组村道，预算 18 万元',
  },
} as const;

describe('a major decision (四议两公开) walked through the pages', () => {
  test('secretary, director, supervisor and a resident each see what they act on; the resolution is read on notice', async () => {
    // the secretary proposes
    const secretary = await ui.page();
    await signIn(secretary.page, ui.baseUrl, 'li-secretary');
    const id = await startFromPage(ui, secretary.page, 'major-decision', '演练村道硬化');
    await waitForActive(secretary.page, ['propose']);
    const propose = await actionForm(secretary.page, 'propose', 'submit');
    await fill(propose, {
      title: '演练村道硬化',
      description: PROPOSAL.description,
      category: 'infrastructure',
      estimatedAmount: '180000',
    });
    await send(propose, '提交');
    await waitForActive(secretary.page, ['deliberate']);

    const director = await openAs(ui, 'wang-director', id);
    const supervisor = await openAs(ui, 'zhao-supervisor', id);
    const recorders = { deliberate: director, 'party-review': secretary, resolve: director } as const;
    const next = { deliberate: 'party-review', 'party-review': 'resolve', resolve: 'disclose-resolution' } as const;
    const shownSoFar: Record<string, Record<string, string>> = {
      propose: { description: PROPOSAL.description, estimatedAmount: PROPOSAL.amount, category: '基础设施' },
    };
    for (const step of ['deliberate', 'party-review', 'resolve'] as const) {
      const meeting = MEETINGS[step];
      // the recorder sees the proposal (and the meetings before) where they record the meeting
      const recorder = recorders[step];
      await waitForActive(recorder.page, [step]);
      await seesBeforeDeciding(recorder.page, step, shownSoFar);
      const form = await actionForm(recorder.page, step, 'record');
      if (step === 'resolve') await fill(form, { body: 'representatives' });
      await fill(form, {
        date: '2026-03-10',
        ...meeting.counts,
        agenda: meeting.agenda,
        resolution: meeting.resolution,
      });
      await form.locator('[data-live-quorum] [data-result="passed"]').waitFor();
      await upload(form, 'minutesHash', 'minutes.pdf', `${step} 会议记录`);
      await upload(form, 'signInSheetHash', 'sign-in.pdf', `${step} 签到表`);
      await send(form, '登记会议结果');

      // the witness sees the agenda, attendance, votes and resolution beside the confirm button
      await supervisor.page.locator(`details.action[data-step="${step}"][data-action="confirm"]`).waitFor();
      const record = {
        agenda: meeting.agenda,
        resolution: meeting.resolution,
        present: meeting.counts.present,
        members: meeting.counts.members,
        inFavour: meeting.counts.inFavour,
        against: meeting.counts.against,
      };
      await seesBeforeDeciding(supervisor.page, step, { ...shownSoFar, [step]: record });
      await supervisor.page
        .locator(`.check-before[data-step="${step}"] .step-content[data-step="${step}"] a[data-attachment]`)
        .first()
        .waitFor();
      await send(await actionForm(supervisor.page, step, 'confirm'), '见证确认');
      await waitForActive(supervisor.page, [next[step]]);
      shownSoFar[step] = { resolution: meeting.resolution, inFavour: meeting.counts.inFavour };
    }

    // a resident, not signed in, on a phone: the resolution on notice, with its start, end and days left
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await resident.page.waitForSelector('.matter-header [data-practice]');
    await residentReadsNotice(resident.page, 'disclose-resolution', {
      propose: { description: PROPOSAL.description },
      resolve: { resolution: MEETINGS.resolve.resolution, inFavour: '20', present: '25' },
    });

    // the window runs out; the director records the implementation, seeing the resolution
    await waitForActive(director.page, ['implement'], 90_000);
    await seesBeforeDeciding(director.page, 'implement', { resolve: { resolution: MEETINGS.resolve.resolution } });
    const implement = await actionForm(director.page, 'implement', 'submit');
    await fill(implement, { progress: '村道硬化已完工，验收合格', completedOn: '2026-06-30', finalAmount: '176500' });
    await send(implement, '提交');
    await director.page.waitForSelector('.matter-meta [data-status="ended"]', { timeout: 60_000 });

    // the resident reads both notices, with their dates, and the result as it was disclosed
    await resident.page.reload();
    for (const step of ['disclose-resolution', 'disclose-result'])
      expect(await resident.page.locator(`#notices li.notice[data-step="${step}"]`).textContent()).toMatch(
        /公示开始 \S.*截止 \S/,
      );
    expect(
      await resident.page
        .locator('#notices li.notice[data-step="disclose-result"] .disclosed [data-step="implement"]')
        .textContent(),
    ).toContain('村道硬化已完工，验收合格');

    for (const who of [secretary, director, supervisor, resident]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });
});
