import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, UiServer, signIn, waitForActive } from './ui-server';
import { PRACTICE, actionForm, joinPracticeVillage, send, shoot } from './walk';

/**
 * Supervision with substance: a fund approval walked end to end in the practice village (演练村)
 * through the pages, as each person who acts on it; each must see what they decide on the page
 * where they act. Then a resident reads the matter and follows an opinion by typing its code.
 */

jest.setTimeout(240_000);

const ui = new UiServer('e2e-supervision');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
  await joinPracticeVillage(ui);
}, 240_000);
afterAll(() => ui.tearDown());

/** What the person must check, on the screen where they act. */
async function seesApplication(page: Page, step: string): Promise<void> {
  const check = page.locator(`.check-before[data-step="${step}"]`);
  for (const [field, text] of [
    ['payee', '演练村农资店'],
    ['payeeKind', '单位'],
    ['purpose', '春耕化肥 20 袋'],
    ['amount', '1,800.5 元'],
    ['invoiceCount', '2'],
  ])
    await check.locator(`dd[data-field="${field}"]:has-text("${text}")`).waitFor();
  await check.locator('dd[data-field="invoicesHash"] a[data-attachment]').waitFor();
}

describe('supervision with substance', () => {
  test('a fund approval in the practice village: every reviewer sees the application, the invoice opens, a resident follows it', async () => {
    // the bookkeeper starts the matter and fills in the application, uploading the invoice scan
    const accountant = await ui.page();
    await signIn(accountant.page, ui.baseUrl, 'he-accountant');
    await accountant.page.goto(`${ui.baseUrl}/#/start?procedure=fund-approval&village=${PRACTICE}`);
    await accountant.page.getByLabel('事项名称').fill('春耕化肥采购');
    await accountant.page.getByRole('button', { name: '发起' }).click();
    await accountant.page.waitForURL(/#\/matters\/matter-/);
    const id = decodeURIComponent(accountant.page.url().split('#/matters/')[1] ?? '');
    ui.harness.remember(id);
    // the practice village says so on its pages
    await accountant.page.waitForSelector('.matter-header [data-practice]');
    await waitForActive(accountant.page, ['apply']);
    const form = await actionForm(accountant.page, 'apply', 'submit');
    await form.locator('[name="amount"]').fill('1800.5');
    await form.locator('[name="payee"]').fill('演练村农资店');
    await form.locator('[name="payeeKind"]').selectOption('organisation');
    await form.locator('[name="purpose"]').fill('春耕化肥 20 袋');
    await form.locator('[name="invoiceCount"]').fill('2');
    const invoice = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('invoice photo')]);
    await form
      .locator('[data-field="invoicesHash"] .file-field input[type="file"]')
      .first()
      .setInputFiles({ name: 'invoice.jpg', mimeType: 'image/jpeg', buffer: invoice });
    const invoiceHash = createHash('sha256').update(invoice).digest('hex');
    await form.locator(`.upload-status a[href="/api/attachments/${invoiceHash}"]`).waitFor();
    await send(form, '提交');
    await waitForActive(accountant.page, ['supervisor-review']);
    // the step list says in words what happens now and next
    await accountant.page.waitForSelector('#step-list li[data-state="done"][data-step="apply"]');
    await accountant.page.waitForSelector('#step-list li[data-state="now"][data-step="supervisor-review"]');

    // the supervisor sees payee, purpose, amount and the invoice beside the approve button, and opens the invoice
    const supervisor = await ui.page();
    await signIn(supervisor.page, ui.baseUrl, 'zhao-supervisor', `#/matters/${id}`);
    await seesApplication(supervisor.page, 'supervisor-review');
    const href = await supervisor.page
      .locator('.check-before dd[data-field="invoicesHash"] a')
      .first()
      .getAttribute('href');
    const file = await supervisor.page.request.get(`${ui.baseUrl}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('image/jpeg');
    expect(
      createHash('sha256')
        .update(await file.body())
        .digest('hex'),
    ).toBe(invoiceHash);
    const approve = await actionForm(supervisor.page, 'supervisor-review', 'approve');
    await approve.scrollIntoViewIfNeeded();
    await shoot(supervisor.page, 'supervisor-approve');
    await send(approve, '同意');

    // the director, then the secretary, then the town: each sees the application where they sign
    for (const [userId, step] of [
      ['wang-director', 'director-sign'],
      ['li-secretary', 'secretary-sign'],
      ['sun-town', 'town-review'],
    ] as const) {
      const who = await ui.page();
      await signIn(who.page, ui.baseUrl, userId, `#/matters/${id}`);
      await waitForActive(who.page, [step]);
      await seesApplication(who.page, step);
      await send(await actionForm(who.page, step, 'approve'), '同意');
      await waitForActive(who.page, [
        step === 'town-review' ? 'payment' : step === 'director-sign' ? 'secretary-sign' : 'town-review',
      ]);
      expect(who.problems).toEqual([]);
      await who.context.close();
    }

    // the bookkeeper pays
    await accountant.page.reload();
    const pay = await actionForm(accountant.page, 'payment', 'submit');
    await pay.locator('[name="transferReference"]').fill('YL-2026-001');
    await pay.locator('[name="paidOn"]').fill('2026-03-20');
    await send(pay, '提交');
    await accountant.page.waitForSelector('.matter-meta [data-status="ended"]');

    // a resident (not signed in) reads what was decided, with names, money and the practice banner
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await resident.page.waitForSelector('#diagram[data-state="ready"]');
    await resident.page.waitForSelector('.matter-header [data-practice]');
    await resident.page.waitForSelector(
      '#content .step-content[data-step="apply"] dd[data-field="purpose"]:has-text("春耕化肥 20 袋")',
    );
    await resident.page.waitForSelector(
      '#content .step-content[data-step="payment"] dd[data-field="transferReference"]',
    );
    const page = await resident.page.locator('main').textContent();
    // people by their directory names (the test directory's names are "role id"), never a bare matter id
    expect(page).not.toMatch(/matter-[0-9a-z]{6}/);
    expect(page).toContain('supervisor zhao-supervisor（监委会成员）');
    expect(page).not.toContain('individual');
    expect(page).not.toMatch(/\d\.\d{3,}/);
    expect(await resident.page.title()).toContain('春耕化肥采购');
    await shoot(resident.page, 'resident-matter');

    // the resident sends an opinion about the village, then follows it by typing the code on the home page
    await resident.page.goto(`${ui.baseUrl}/#/opinion?village=${PRACTICE}`);
    await resident.page.locator('[name="subject"]').fill('化肥价格');
    await resident.page.locator('[name="text"]').fill('化肥单价是否比过价？');
    await resident.page.getByRole('button', { name: '提交意见' }).click();
    const code = (await resident.page.locator('#tracking-code').getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await resident.page.locator('#copy-code').waitFor();
    await resident.page.goto(`${ui.baseUrl}/#/`);
    await resident.page.locator('#track-code').fill(code.toLowerCase().replace(/-/g, ' '));
    await resident.page.getByRole('button', { name: '查询' }).click();
    await resident.page.waitForSelector('#opinion-status:has-text("已受理")');
    expect(await resident.page.locator('.opinion').textContent()).toContain('化肥单价是否比过价？');
    // and #/track without a code is the page to type one
    await resident.page.goto(`${ui.baseUrl}/#/track`);
    await resident.page.waitForSelector('#track-code');

    for (const who of [accountant, supervisor, resident]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });

  test('the town page gathers its villages (practice ones left out): overdue steps, objections, opinions, yearly report', async () => {
    const town = await ui.page({ width: 360, height: 780 });
    await signIn(town.page, ui.baseUrl, 'sun-town', '#/towns/jinshan');
    await town.page.waitForSelector('#town-yearly tr[data-village="xinglong"]');
    expect(await town.page.locator(`#town-yearly tr[data-village="${PRACTICE}"]`).count()).toBe(0);
    for (const box of ['town-overdue', 'town-objections', 'town-opinions'])
      await town.page.waitForFunction((id) => !document.getElementById(id)?.textContent?.includes('正在加载'), box);
    expect(await town.page.title()).toContain('镇监督');
    await town.page.screenshot({ path: path.join(ARTIFACTS, 'town-360.png'), fullPage: true });
    expect(town.problems).toEqual([]);
    await town.context.close();
  });

  test('a failed request says so in words with a retry, never a stuck “loading”', async () => {
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.route('**/api/villages', (route) => route.abort('internetdisconnected'));
    await resident.page.goto(`${ui.baseUrl}/#/`);
    await resident.page.waitForSelector('.error-box[data-code="NETWORK"]:has-text("连不上服务器")');
    await resident.page.unroute('**/api/villages');
    await resident.page.locator('.error-box button.retry').click();
    await resident.page.waitForSelector('.village-list li');
    await resident.context.close();
  });
});
