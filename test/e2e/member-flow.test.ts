import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { people } from '../helpers/matter-harness';
import { ARTIFACTS, UiServer, elementsWith, markerClasses, signIn, waitForActive } from './ui-server';

// a browser, a worker and the API share two busy cores: generous limits, never skipped
jest.setTimeout(180_000);

const ui = new UiServer('e2e-members');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
}, 180_000);
afterAll(() => ui.tearDown());

/** The form of one action, inside its disclosure widget (opened if needed). */
async function actionForm(page: Page, step: string, action: string) {
  const details = page.locator(`details.action[data-step="${step}"][data-action="${action}"]`);
  await details.waitFor();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details.locator('form');
}

/** Sends a form: its button, then the confirmation every irreversible action asks for. */
async function send(form: Locator, button: string): Promise<void> {
  await form.getByRole('button', { name: button }).click();
  await form.locator('[data-confirm="yes"]').click();
}

/** Uploads the minutes (a small PDF) and waits for the server's sha256 of them in the hidden field. */
async function uploadMinutes(page: Page, form: Locator, text: string): Promise<string> {
  const minutes = Buffer.from(`%PDF-1.4\n${text}\n%%EOF`);
  await form
    .locator('.file-field input[type="file"]')
    .first()
    .setInputFiles({ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: minutes });
  const hash = createHash('sha256').update(minutes).digest('hex');
  await form.locator(`.upload-status a[href="/api/attachments/${hash}"]`).waitFor();
  expect(await form.locator('[name="minutesHash"]').inputValue()).toBe(hash);
  return hash;
}

async function fillMeeting(form: ReturnType<Page['locator']>, counts: Record<string, string>) {
  for (const [name, value] of Object.entries(counts)) await form.locator(`[name="${name}"]`).fill(value);
}

describe('member pages', () => {
  test('given members signed in, when they start a major decision and act through its steps, then each action moves the lit step on the diagram', async () => {
    // given: the secretary signs in and starts a major decision from the start page
    const secretary = await ui.page();
    // a wrong password is refused next to the password field
    await secretary.page.goto(`${ui.baseUrl}/#/login`);
    await secretary.page.getByLabel(/账号/).fill('li-secretary');
    await secretary.page.getByLabel(/密码/).fill('not the password');
    await secretary.page.getByRole('button', { name: '登录' }).last().click();
    await secretary.page.waitForSelector('[data-error-for="password"]:has-text("账号或密码错误")');
    await signIn(secretary.page, ui.baseUrl, 'li-secretary');
    await secretary.page.goto(`${ui.baseUrl}/#/start?procedure=major-decision&village=xinglong`);
    await secretary.page.getByLabel('事项名称').fill('村道硬化工程');
    await secretary.page.getByLabel('金额（元）').fill('300000');
    await secretary.page.getByRole('button', { name: '发起' }).click();
    await secretary.page.waitForURL(/#\/matters\/matter-/);
    const id = decodeURIComponent(secretary.page.url().split('#/matters/')[1] ?? '');
    ui.harness.remember(id);
    await secretary.page.waitForSelector('#diagram[data-state="ready"]');
    await waitForActive(secretary.page, ['propose']);

    // when: the secretary submits the proposal through the form generated from the step's fields
    let form = await actionForm(secretary.page, 'propose', 'submit');
    await form.locator('[name="title"]').fill('村道硬化工程');
    await form.locator('[name="description"]').fill('硬化村道 2 公里，宽 4.5 米');
    await form.locator('[name="category"]').selectOption('infrastructure');
    // an amount the step refuses: the API's error is shown next to the field it names
    await form.locator('[name="estimatedAmount"]').fill('-5');
    await form.getByRole('button', { name: '提交' }).click();
    await secretary.page.waitForSelector('[data-error-for="estimatedAmount"]:not(:empty)');
    expect(await form.locator('[name="estimatedAmount"]').getAttribute('aria-invalid')).toBe('true');
    await form.locator('[name="estimatedAmount"]').fill('300000');
    await send(form, '提交');

    // then: the joint meeting is the lit step, the proposal is done
    await waitForActive(secretary.page, ['deliberate']);
    expect(await markerClasses(secretary.page, 'propose')).toContain('step-done');

    // when: the director records the joint meeting; the form shows live whether quorum and majority are met
    const director = await ui.page();
    await signIn(director.page, ui.baseUrl, 'wang-director', `#/matters/${id}`);
    await director.page.waitForSelector('#diagram[data-state="ready"]');
    form = await actionForm(director.page, 'deliberate', 'record');
    await form.locator('[name="date"]').fill('2026-03-10');
    await fillMeeting(form, { members: '7', present: '3', inFavour: '3', against: '0', abstain: '0' });
    await form.locator('[data-live-quorum] [data-result="inquorate"]').waitFor();
    await fillMeeting(form, { present: '6', inFavour: '5', against: '1' });
    await form.locator('[data-live-quorum] [data-result="passed"]').waitFor();
    await uploadMinutes(director.page, form, '两委联席会议记录：应到 7 人，实到 6 人，同意 5 人。');
    // every control has a label a screen reader can read
    const unlabelled = await form.evaluate((el) =>
      [...el.querySelectorAll('input, select, textarea')]
        .filter((c) => (c as HTMLInputElement).labels?.length === 0 && !c.getAttribute('aria-label'))
        .map((c) => c.getAttribute('name') ?? c.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await director.page.screenshot({ path: path.join(ARTIFACTS, 'meeting-form-desktop.png'), fullPage: true });
    await director.page.setViewportSize({ width: 360, height: 780 });
    await form.scrollIntoViewIfNeeded();
    await director.page.screenshot({ path: path.join(ARTIFACTS, 'meeting-form-360.png'), fullPage: true });
    await director.page.setViewportSize({ width: 1280, height: 900 });
    // more votes than people present: the live check says so (the workflow's schema), and sending is refused at the field
    await fillMeeting(form, { inFavour: '7' });
    await form.locator('[data-live-quorum] [data-result="refused"]:has-text("不能超过实到人数")').waitFor();
    expect(await form.locator('[data-live-quorum] [data-result="passed"]').count()).toBe(0);
    await form.getByRole('button', { name: '登记会议结果' }).click();
    await director.page.waitForSelector('[data-error-for="inFavour"]:has-text("不能超过实到人数")');
    await fillMeeting(form, { inFavour: '5' });
    await send(form, '登记会议结果');

    // then: the step waits for a supervisor's witness
    await director.page.waitForSelector('.djs-element.step-awaiting-witness[data-element-id="deliberate"]');
    expect(await elementsWith(director.page, 'step-active')).toEqual(['deliberate']);

    // when: the supervisor tries to object to the record without a reason (refused at the field), then confirms it
    const supervisor = await ui.page();
    await signIn(supervisor.page, ui.baseUrl, 'zhao-supervisor', `#/matters/${id}`);
    form = await actionForm(supervisor.page, 'deliberate', 'object-record');
    await form.getByRole('button', { name: '对会议记录提出异议' }).click();
    await supervisor.page.waitForSelector('[data-error-for="comment"]:not(:empty)');
    // the witness sees what the record says beside the button
    await supervisor.page.waitForSelector(
      '.check-before[data-step="deliberate"] dd[data-field="present"]:has-text("6")',
    );
    form = await actionForm(supervisor.page, 'deliberate', 'confirm');
    await send(form, '见证确认');

    // then: the party members' assembly is lit, on every open page, without a reload
    await waitForActive(supervisor.page, ['party-review']);
    await waitForActive(director.page, ['party-review']);
    await waitForActive(secretary.page, ['party-review']);
    expect(await markerClasses(supervisor.page, 'deliberate')).toContain('step-done');

    // when: the secretary records the party assembly and the supervisor witnesses it
    form = await actionForm(secretary.page, 'party-review', 'record');
    await form.locator('[name="date"]').fill('2026-03-12');
    await fillMeeting(form, { members: '45', present: '40', inFavour: '30', against: '10', abstain: '0' });
    // the minutes are uploaded; the record keeps the hash the server computed of them
    const minutesHash = await uploadMinutes(
      secretary.page,
      form,
      '党员大会会议记录：应到 45 人，实到 40 人，同意 30 人。',
    );
    await send(form, '登记会议结果');
    await supervisor.page.waitForSelector('details.action[data-step="party-review"][data-action="confirm"]');
    // the witness opens the minutes from the page where they confirm
    const minutesLink = supervisor.page.locator(`.check-before a[data-attachment="${minutesHash}"]`).first();
    const download = await supervisor.page.request.get(`${ui.baseUrl}${await minutesLink.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(
      createHash('sha256')
        .update(await download.body())
        .digest('hex'),
    ).toBe(minutesHash);
    form = await actionForm(supervisor.page, 'party-review', 'confirm');
    await send(form, '见证确认');

    // then: the villagers' or representatives' assembly is lit
    await waitForActive(secretary.page, ['resolve']);
    expect(await elementsWith(secretary.page, 'step-done')).toEqual([
      'deliberate',
      'deliberate-result',
      'party-review',
      'party-review-result',
      'propose',
      'start',
    ]);

    // and the tasks page of the director lists the assembly to record
    await director.page.goto(`${ui.baseUrl}/#/tasks`);
    await director.page.waitForSelector(`.task-list li[data-matter="${id}"][data-step="resolve"]`);
    await director.page.screenshot({ path: path.join(ARTIFACTS, 'tasks-desktop.png'), fullPage: true });

    for (const who of [secretary, director, supervisor]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });

  test('given a supervisor’s objection made on the page, then the lit step shows it suspended until the answer is accepted', async () => {
    const { secretary } = people;
    const id = await ui.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '集体林地流转',
      actor: secretary,
    });
    await ui.ok(id, {
      step: 'propose',
      action: 'submit',
      data: { title: '集体林地流转', description: '流转 200 亩', category: 'land', estimatedAmount: 80000 },
      actor: secretary,
    });

    // when: the supervisor raises an objection (a reason is required)
    const supervisor = await ui.page();
    await signIn(supervisor.page, ui.baseUrl, 'zhao-supervisor', `#/matters/${id}`);
    await waitForActive(supervisor.page, ['deliberate']);
    let details = supervisor.page.locator('details.action[data-action="raise-objection"]');
    await details.locator('summary').click();
    await details.getByRole('button', { name: '提出异议' }).click();
    await supervisor.page.waitForSelector(
      'details.action[data-action="raise-objection"] [data-error-for="comment"]:not(:empty)',
    );
    await details.getByLabel(/意见或理由/).fill('会议通知未提前公示');
    await send(details.locator('form'), '提出异议');

    // then: the active step carries the suspended marker and badge
    await supervisor.page.waitForSelector('.djs-element.step-suspended[data-element-id="deliberate"]');
    await supervisor.page.waitForSelector('.step-badge--suspended[data-step="deliberate"]');
    await supervisor.page.waitForSelector('#objections li.objection--open:has-text("会议通知未提前公示")');

    // when: the secretary answers and the supervisor accepts the answer
    const committee = await ui.page();
    await signIn(committee.page, ui.baseUrl, 'li-secretary', `#/matters/${id}`);
    details = committee.page.locator('details.action[data-action="answer-objection"]');
    await details.locator('summary').click();
    await details.getByLabel(/答复/).first().fill('已补充公示，会议改期召开');
    await send(details.locator('form'), '答复异议');
    details = supervisor.page.locator('details.action[data-action="accept-answer"]');
    await details.waitFor();
    await details.locator('summary').click();
    await send(details.locator('form'), '接受答复');

    // then: the matter runs again and the step is plainly active
    await supervisor.page.waitForSelector('.matter-meta [data-status="running"]');
    await supervisor.page.waitForSelector('.djs-element.step-suspended', { state: 'detached' });
    expect(await elementsWith(supervisor.page, 'step-active')).toEqual(['deliberate']);
    for (const who of [supervisor, committee]) {
      expect(who.problems).toEqual([]);
      await who.context.close();
    }
  });

  test('given an objection the town upholds on the page, then the matter goes back to the step it names', async () => {
    const { secretary, supervisor } = people;
    const id = await ui.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '村小学围墙',
      actor: secretary,
    });
    await ui.ok(id, {
      step: 'propose',
      action: 'submit',
      data: { title: '村小学围墙', description: '新建围墙 300 米', category: 'infrastructure', estimatedAmount: 60000 },
      actor: secretary,
    });
    await ui.ok(id, { step: 'deliberate', action: 'raise-objection', comment: '预算未经测算', actor: supervisor });
    const town = await ui.page();
    await signIn(town.page, ui.baseUrl, 'sun-town', `#/matters/${id}`);
    const details = town.page.locator('details.action[data-action="rule-objection"]');
    await details.locator('summary').click();
    await details.locator('[name="ruling"]').selectOption('uphold');
    await details.locator('[name="backTo"]').selectOption('propose');
    await details.getByLabel(/意见或理由/).fill('退回重新测算预算');
    await send(details.locator('form'), '镇裁定异议');
    await waitForActive(town.page, ['propose']);
    await town.page.waitForSelector('.matter-meta [data-status="running"]');
    expect(town.problems).toEqual([]);
    await town.context.close();
  });

  test('given a review step, then an objection needs a reason, and one with a reason sends the application back', async () => {
    const { accountant } = people;
    const id = await ui.start({
      procedureId: 'fund-approval',
      village: 'dongfeng',
      title: '购买办公用品',
      actor: accountant,
    });
    await ui.ok(id, {
      step: 'apply',
      action: 'submit',
      data: { amount: 1500, payee: '东风文具店', payeeKind: 'organisation', purpose: '办公用品', invoiceCount: 2 },
      actor: accountant,
    });
    const supervisor = await ui.page();
    await signIn(supervisor.page, ui.baseUrl, 'zhao-supervisor', `#/matters/${id}`);
    await waitForActive(supervisor.page, ['supervisor-review']);
    const form = await actionForm(supervisor.page, 'supervisor-review', 'object');
    await form.getByRole('button', { name: '提出异议' }).click();
    await supervisor.page.waitForSelector(
      'details[data-step="supervisor-review"][data-action="object"] [data-error-for="comment"]:not(:empty)',
    );
    // the application is on the screen where the supervisor decides
    const check = supervisor.page.locator('.check-before[data-step="supervisor-review"]');
    for (const [field, text] of [
      ['payee', '东风文具店'],
      ['payeeKind', '单位'],
      ['purpose', '办公用品'],
      ['amount', '1,500 元'],
      ['invoiceCount', '2'],
    ])
      await check.locator(`dd[data-field="${field}"]:has-text("${text}")`).waitFor();
    await form.getByLabel(/意见或理由/).fill('发票与用途不符');
    await send(form, '提出异议');
    await waitForActive(supervisor.page, ['apply']);
    await supervisor.page.waitForSelector('#timeline li:has-text("发票与用途不符")');
    expect(supervisor.problems).toEqual([]);
    await supervisor.context.close();
  });

  test('given a resident who is not signed in, then they see the matter, its diagram and record, but no forms', async () => {
    const { secretary } = people;
    const id = await ui.harness.start({
      procedureId: 'major-decision',
      village: 'dongfeng',
      title: '村委会办公楼维修',
      actor: secretary,
    });
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await resident.page.waitForSelector('#diagram[data-state="ready"]');
    expect(await resident.page.textContent('#matter-title')).toBe('村委会办公楼维修');
    expect(await elementsWith(resident.page, 'step-active')).toEqual(['propose']);
    expect(await resident.page.locator('.access-note').textContent()).toContain('公开版本');
    expect(await resident.page.locator('details.action').count()).toBe(0);
    expect(await resident.page.locator('#timeline li').count()).toBeGreaterThan(0);
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });
});
