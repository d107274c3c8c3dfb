import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { TEST_VILLAGES, testDirectory } from '../helpers/people';
import { ARTIFACTS, signIn, type UiServer } from './ui-server';

/**
 * What the browser walks of one matter share: the practice village, the action forms and their
 * confirmation, uploads, and the check that what a person decides on is on the page where they act.
 */

/** The practice village (演练村) of the walks: flagged as such, every test person in it. */
export const PRACTICE = 'yanlian';

export async function joinPracticeVillage(ui: UiServer): Promise<void> {
  const directory = await testDirectory([...TEST_VILLAGES, PRACTICE]);
  ui.harness.directory.directory = {
    ...directory,
    villages: directory.villages.map((v) =>
      v.id === PRACTICE ? { ...v, name: { zh: '演练村', en: 'Practice Village' }, practice: true as const } : v,
    ),
  };
}

/** The form of one action, inside its disclosure widget (opened if needed). */
export async function actionForm(page: Page, step: string, action: string): Promise<Locator> {
  const details = page.locator(`details.action[data-step="${step}"][data-action="${action}"]`);
  await details.waitFor();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details.locator('form');
}

/** Sends a form: its button, then the confirmation every irreversible action asks for. */
export async function send(form: Locator, button: string): Promise<void> {
  await form.getByRole('button', { name: button }).click();
  await form.locator('[data-confirm="yes"]').click();
}

/** Fills the named controls of a form (selects by value, checkboxes by `true`). */
export async function fill(form: Locator, values: Record<string, string | boolean>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const control = form.locator(`[name="${name}"]`);
    if (typeof value === 'boolean') await control.setChecked(value);
    else if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
}

/** Uploads a file into the hash field `field` and waits for the server's sha256 of it in the field. */
export async function upload(form: Locator, field: string, name: string, text: string): Promise<string> {
  const pdf = Buffer.from(`%PDF-1.4\n${text}\n%%EOF`);
  await form
    .locator(`[data-field="${field}"] .file-field input[type="file"]`)
    .first()
    .setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf });
  const hash = createHash('sha256').update(pdf).digest('hex');
  await form.locator(`[data-field="${field}"] .upload-status a[href="/api/attachments/${hash}"]`).waitFor();
  return hash;
}

/**
 * What a person must check before deciding, beside the button: in `.check-before` of the step they
 * act on, each named step's fields show these texts (money as money, choices in words, files as links).
 */
export async function seesBeforeDeciding(
  page: Page,
  actingOn: string,
  shown: Record<string, Record<string, string>>,
): Promise<void> {
  const check = page.locator(`.check-before[data-step="${actingOn}"]`);
  for (const [step, fields] of Object.entries(shown))
    for (const [field, text] of Object.entries(fields)) {
      const dd = check.locator(`.step-content[data-step="${step}"] dd[data-field="${field}"]`);
      await dd.filter({ hasText: text }).first().waitFor();
    }
}

/** A person signed in on the matter's page. */
export async function openAs(ui: UiServer, userId: string, id: string) {
  const who = await ui.page();
  await signIn(who.page, ui.baseUrl, userId, `#/matters/${id}`);
  await who.page.waitForSelector('#diagram[data-state="ready"]');
  return who;
}

/** Starts a matter of `procedure` in the practice village from the start page; returns its id. */
export async function startFromPage(ui: UiServer, page: Page, procedure: string, title: string): Promise<string> {
  await page.goto(`${ui.baseUrl}/#/start?procedure=${procedure}&village=${PRACTICE}`);
  await page.getByLabel('事项名称').fill(title);
  await page.getByRole('button', { name: '发起' }).click();
  await page.waitForURL(/#\/matters\/matter-/);
  const id = decodeURIComponent(page.url().split('#/matters/')[1] ?? '');
  ui.harness.remember(id);
  // the practice village says so on its pages
  await page.waitForSelector('.matter-header [data-practice]');
  return id;
}

/**
 * A resident (not signed in) reads an open notice on the matter page: its start, end and days
 * left, and the disclosed text with what `shown` names in it.
 */
export async function residentReadsNotice(
  page: Page,
  step: string,
  shown: Record<string, Record<string, string>>,
): Promise<void> {
  const notice = page.locator(`#notices li.notice--open[data-step="${step}"]`);
  await notice.waitFor();
  const text = (await notice.textContent()) ?? '';
  expect(text).toMatch(/公示开始 \S/);
  expect(text).toMatch(/截止 \S/);
  await notice
    .locator('.days-left')
    .filter({ hasText: /还剩 \d+ 天/ })
    .waitFor();
  for (const [source, fields] of Object.entries(shown))
    for (const [field, value] of Object.entries(fields))
      await notice
        .locator(`.disclosed [data-step="${source}"] dd[data-field="${field}"]`)
        .filter({ hasText: value })
        .first()
        .waitFor();
}

export async function shoot(page: Page, name: string, widths: number[] = [360, 1366]): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
