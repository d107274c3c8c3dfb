import { createHash } from 'node:crypto';
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
 * 集体资产资源处置 walked end to end in the practice village (演练村) through the pages: a lease
 * worth an appraisal, sold at an open village auction. Each person sees, where they act, what they
 * decide on (the plan, the appraisal, the assembly's vote, the bids, the contract terms); a resident
 * reads the plan on notice with its start, end and days left, long enough to be read.
 */

jest.setTimeout(300_000);

const ui = new UiServer('e2e-walk-asset-disposal', {
  'assetDisposal.planDisclosure': { amount: 30, unit: 'seconds' },
  'assetDisposal.resultDisclosure': { amount: 3, unit: 'seconds' },
});

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
  await joinPracticeVillage(ui);
}, 240_000);
afterAll(() => ui.tearDown());

const PLAN = {
  asset: '演练村村委会旧办公楼一楼门面',
  kind: '出租',
  bookValue: '60,000 元',
  term: '5年',
  reservePrice: '65,000 元',
};
const APPRAISAL = { appraiser: '德阳某资产评估事务所', appraisedValue: '62,000 元' };
const AUCTION = { bestBid: '70,000 元', bidders: '3', winner: '演练村农业合作社' };

describe('an asset disposal (资产资源处置) walked through the pages', () => {
  test('director, supervisor, committee member, town official and a resident each see what they act on', async () => {
    // the director proposes the plan
    const director = await ui.page();
    await signIn(director.page, ui.baseUrl, 'wang-director');
    const id = await startFromPage(ui, director.page, 'asset-disposal', PLAN.asset);
    await waitForActive(director.page, ['propose-plan']);
    const plan = await actionForm(director.page, 'propose-plan', 'submit');
    await fill(plan, {
      asset: PLAN.asset,
      kind: 'lease',
      bookValue: '60000',
      term: PLAN.term,
      reservePrice: '65000',
      isLand: false,
    });
    await send(plan, '提交');

    // the supervisor reviews the plan, seeing it beside the approve button
    const supervisor = await openAs(ui, 'zhao-supervisor', id);
    await waitForActive(supervisor.page, ['supervisor-review']);
    await seesBeforeDeciding(supervisor.page, 'supervisor-review', { 'propose-plan': { ...PLAN, isLand: '否' } });
    await send(await actionForm(supervisor.page, 'supervisor-review', 'approve'), '同意');

    // above the appraisal threshold: a committee member records the appraisal and uploads the report
    const committee = await openAs(ui, 'chen-committee', id);
    await waitForActive(committee.page, ['appraisal']);
    await seesBeforeDeciding(committee.page, 'appraisal', { 'propose-plan': { asset: PLAN.asset } });
    const appraisal = await actionForm(committee.page, 'appraisal', 'submit');
    await fill(appraisal, { appraiser: APPRAISAL.appraiser, appraisedValue: '62000' });
    const report = await upload(appraisal, 'reportHash', 'appraisal.pdf', '评估报告：评估价值 62,000 元');
    await send(appraisal, '提交');

    // the director records the representatives' assembly, seeing the plan and the appraisal
    await waitForActive(director.page, ['resolve']);
    await seesBeforeDeciding(director.page, 'resolve', {
      'propose-plan': { reservePrice: PLAN.reservePrice },
      appraisal: APPRAISAL,
    });
    const resolve = await actionForm(director.page, 'resolve', 'record');
    await fill(resolve, { body: 'representatives', date: '2026-03-15', members: '30', present: '24' });
    await fill(resolve, { inFavour: '21', against: '2', abstain: '1' });
    await resolve.locator('[data-live-quorum] [data-result="passed"]').waitFor();
    await upload(resolve, 'minutesHash', 'minutes.pdf', '村民代表会议记录：同意出租门面');
    await send(resolve, '登记会议结果');

    // the supervisor witnesses it, seeing the vote and opening the appraisal report
    await supervisor.page.locator('details.action[data-step="resolve"][data-action="confirm"]').waitFor();
    await seesBeforeDeciding(supervisor.page, 'resolve', {
      resolve: { members: '30', present: '24', inFavour: '21', against: '2', body: '村民代表会议' },
      appraisal: { appraisedValue: APPRAISAL.appraisedValue },
    });
    await supervisor.page
      .locator(`.check-before[data-step="resolve"] .step-content[data-step="appraisal"] a[data-attachment="${report}"]`)
      .waitFor();
    await send(await actionForm(supervisor.page, 'resolve', 'confirm'), '见证确认');

    // a resident, not signed in, on a phone: the plan on notice with its start, end and days left
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await resident.page.waitForSelector('.matter-header [data-practice]');
    await residentReadsNotice(resident.page, 'plan-disclosure', {
      'propose-plan': { asset: PLAN.asset, reservePrice: PLAN.reservePrice, term: PLAN.term },
      appraisal: { appraisedValue: APPRAISAL.appraisedValue },
      resolve: { inFavour: '21' },
    });

    // the notice runs out; below the exchange threshold the village auctions it, a committee member records the bids
    await waitForActive(committee.page, ['village-auction'], 90_000);
    await seesBeforeDeciding(committee.page, 'village-auction', {
      'propose-plan': { reservePrice: PLAN.reservePrice },
    });
    const auction = await actionForm(committee.page, 'village-auction', 'submit');
    await fill(auction, { bestBid: '70000', bidders: AUCTION.bidders, winner: AUCTION.winner, heldOn: '2026-04-01' });
    await send(auction, '提交');

    // the supervisor, present at the auction, confirms it seeing the bids against the reserve price
    await waitForActive(supervisor.page, ['auction-witness']);
    await seesBeforeDeciding(supervisor.page, 'auction-witness', {
      'village-auction': AUCTION,
      'propose-plan': { reservePrice: PLAN.reservePrice },
    });
    await send(await actionForm(supervisor.page, 'auction-witness', 'approve'), '同意');

    // after the result notice the director signs the contract, seeing the auction's result
    await waitForActive(director.page, ['sign-contract'], 60_000);
    await seesBeforeDeciding(director.page, 'sign-contract', { 'village-auction': AUCTION });
    const contract = await actionForm(director.page, 'sign-contract', 'submit');
    await fill(contract, { price: '70000', counterparty: AUCTION.winner, signedOn: '2026-04-10' });
    const contractFile = await upload(contract, 'contractHash', 'contract.pdf', '门面租赁合同');
    await send(contract, '提交');

    // the town files the contract, seeing its terms beside the approve button
    const town = await openAs(ui, 'sun-town', id);
    await waitForActive(town.page, ['contract-filing']);
    await seesBeforeDeciding(town.page, 'contract-filing', {
      'sign-contract': { price: '70,000 元', counterparty: AUCTION.winner, signedOn: '2026-04-10' },
      'village-auction': AUCTION,
    });
    await town.page
      .locator('.check-before[data-step="contract-filing"] .step-content[data-step="sign-contract"] a[data-attachment]')
      .waitFor();
    await send(await actionForm(town.page, 'contract-filing', 'approve'), '同意');
    await town.page.waitForSelector('.matter-meta [data-status="ended"]');

    // the resident reads both notices with their dates, and the result as disclosed
    await resident.page.reload();
    // the appraisal report went up with the plan's notice: the resident opens it from the notice;
    // the contract, signed after every notice, stays with the village
    const reportLink = resident.page
      .locator(`#notices li.notice[data-step="plan-disclosure"] .disclosed a[data-attachment="${report}"]`)
      .first();
    const opened = await resident.page.request.get(`${ui.baseUrl}${await reportLink.getAttribute('href')}`);
    expect(opened.status()).toBe(200);
    expect(
      createHash('sha256')
        .update(await opened.body())
        .digest('hex'),
    ).toBe(report);
    await resident.page
      .locator(`#content .step-content[data-step="sign-contract"] [data-private-attachment="${contractFile}"]`)
      .waitFor();
    expect(await resident.page.locator(`main a[data-attachment="${contractFile}"]`).count()).toBe(0);
    const contractRead = await resident.page.request.get(`${ui.baseUrl}/api/attachments/${contractFile}`);
    expect(contractRead.status()).toBe(401);
    expect((await director.page.request.get(`${ui.baseUrl}/api/attachments/${contractFile}`)).status()).toBe(200);
    for (const step of ['plan-disclosure', 'result-disclosure'])
      expect(await resident.page.locator(`#notices li.notice[data-step="${step}"]`).textContent()).toMatch(
        /公示开始 \S.*截止 \S/,
      );
    expect(
      await resident.page
        .locator('#notices li.notice[data-step="result-disclosure"] .disclosed [data-step="village-auction"]')
        .textContent(),
    ).toContain(AUCTION.winner);

    for (const who of [director, supervisor, committee, town, resident]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });
});
