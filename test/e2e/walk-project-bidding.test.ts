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
} from './walk';

/**
 * 村级工程项目招投标 walked end to end in the practice village (演练村) through the pages: a village
 * comparison (比选) below the major-decision threshold. Each person sees, where they act, what they
 * decide on (the project, the bids, the ranking, the contract terms and the acceptance); a resident
 * reads the candidates on notice with the start, end and days left. The candidates stay on notice
 * long enough to be read; the contract deadline is an hour, so the walk never runs into it.
 */

jest.setTimeout(300_000);

const ui = new UiServer('e2e-walk-project-bidding', {
  'projectBidding.comparisonNotice': { amount: 3, unit: 'seconds' },
  'projectBidding.candidateDisclosure': { amount: 30, unit: 'seconds' },
  'projectBidding.contractDeadline': { amount: 1, unit: 'hours' },
  'projectBidding.resultDisclosure': { amount: 3, unit: 'seconds' },
});

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
  await joinPracticeVillage(ui);
}, 240_000);
afterAll(() => ui.tearDown());

const PROJECT = { project: '演练村文化广场铺装', budget: '38,000 元', description: '铺装广场 600 平方米' };
const RANKING = '1. 演练建筑队 36,500 元 2. 德阳路桥 37,200 元 3. 罗江工程 37,900 元';

describe('a project bidding (招投标) walked through the pages', () => {
  test('director, committee member, supervisor, secretary and a resident each see what they act on', async () => {
    // the director registers the project
    const director = await ui.page();
    await signIn(director.page, ui.baseUrl, 'wang-director');
    const id = await startFromPage(ui, director.page, 'project-bidding', PROJECT.project);
    await waitForActive(director.page, ['register']);
    const register = await actionForm(director.page, 'register', 'submit');
    await fill(register, {
      project: PROJECT.project,
      kind: 'works',
      budget: '38000',
      description: PROJECT.description,
    });
    await send(register, '提交');

    // the comparison notice runs out; a committee member opens the bids, seeing the project
    const committee = await openAs(ui, 'chen-committee', id);
    await waitForActive(committee.page, ['bid-opening'], 60_000);
    const project = { project: PROJECT.project, budget: PROJECT.budget, kind: '工程' };
    await seesBeforeDeciding(committee.page, 'bid-opening', { register: project });
    const opening = await actionForm(committee.page, 'bid-opening', 'submit');
    await fill(opening, { openedOn: '2026-04-01', bidsReceived: '4', validBids: '3' });
    await send(opening, '提交');

    // the supervisor confirms the bid opening, seeing the bids beside the button
    const supervisor = await openAs(ui, 'zhao-supervisor', id);
    await waitForActive(supervisor.page, ['bid-opening-review']);
    await seesBeforeDeciding(supervisor.page, 'bid-opening-review', {
      register: project,
      'bid-opening': { bidsReceived: '4', validBids: '3', openedOn: '2026-04-01' },
    });
    await send(await actionForm(supervisor.page, 'bid-opening-review', 'approve'), '同意');

    // the committee member records the evaluation, seeing the bids
    await waitForActive(committee.page, ['evaluation']);
    await seesBeforeDeciding(committee.page, 'evaluation', { 'bid-opening': { validBids: '3' } });
    const evaluation = await actionForm(committee.page, 'evaluation', 'submit');
    await fill(evaluation, { panelSize: '5', ranking: RANKING, firstCandidate: '演练建筑队', bidAmount: '36500' });
    await send(evaluation, '提交');

    // a resident, not signed in, on a phone: the candidates on notice with start, end and days left
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await resident.page.waitForSelector('.matter-header [data-practice]');
    await residentReadsNotice(resident.page, 'candidate-disclosure', {
      register: { project: PROJECT.project, budget: PROJECT.budget },
      evaluation: { ranking: '德阳路桥', firstCandidate: '演练建筑队', bidAmount: '36,500 元' },
    });

    // the notice runs out; the secretary (the director started it: 回避) awards, seeing the ranking
    const secretary = await openAs(ui, 'li-secretary', id);
    await waitForActive(secretary.page, ['award'], 90_000);
    await seesBeforeDeciding(secretary.page, 'award', {
      evaluation: { ranking: '演练建筑队', firstCandidate: '演练建筑队', bidAmount: '36,500 元', panelSize: '5' },
    });
    await send(await actionForm(secretary.page, 'award', 'approve'), '同意');

    // the director signs the contract; the committee member records the acceptance, seeing its terms
    await waitForActive(director.page, ['contract']);
    const contract = await actionForm(director.page, 'contract', 'submit');
    await fill(contract, { contractor: '演练建筑队', contractAmount: '36500', signedOn: '2026-04-20' });
    await send(contract, '提交');
    const terms = { contractor: '演练建筑队', contractAmount: '36,500 元', signedOn: '2026-04-20' };
    await waitForActive(committee.page, ['acceptance']);
    await seesBeforeDeciding(committee.page, 'acceptance', { contract: terms });
    const acceptance = await actionForm(committee.page, 'acceptance', 'submit');
    await fill(acceptance, { acceptedOn: '2026-09-30', conclusion: '铺装平整，验收合格', finalAmount: '36200' });
    await send(acceptance, '提交');

    // the supervisor confirms the acceptance, seeing the contract terms and the conclusion
    await waitForActive(supervisor.page, ['acceptance-review']);
    await seesBeforeDeciding(supervisor.page, 'acceptance-review', {
      contract: terms,
      acceptance: { conclusion: '铺装平整，验收合格', finalAmount: '36,200 元' },
    });
    await send(await actionForm(supervisor.page, 'acceptance-review', 'approve'), '同意');
    await supervisor.page.waitForSelector('.matter-meta [data-status="ended"]', { timeout: 60_000 });

    // the resident reads every notice with its dates, and the result as disclosed
    await resident.page.reload();
    for (const step of ['tender-notice', 'candidate-disclosure', 'disclose-result'])
      expect(await resident.page.locator(`#notices li.notice[data-step="${step}"]`).textContent()).toMatch(
        /公示开始 \S.*截止 \S/,
      );
    expect(
      await resident.page
        .locator('#notices li.notice[data-step="disclose-result"] .disclosed [data-step="acceptance"]')
        .textContent(),
    ).toContain('铺装平整，验收合格');

    for (const who of [director, committee, supervisor, secretary, resident]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });
});
