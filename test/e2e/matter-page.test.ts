import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { meetingRecord, people } from '../helpers/matter-harness';
import request from 'supertest';
import { ARTIFACTS, UiServer, elementsWith, markerClasses, signIn, waitForActive } from './ui-server';

// a browser, a worker and the API share two busy cores: generous limits, never skipped
jest.setTimeout(180_000);

const ui = new UiServer('e2e-matter');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
}, 180_000);
afterAll(() => ui.tearDown());

const proposal = {
  title: '修建村道',
  description: '硬化村道 2 公里',
  category: 'infrastructure',
  estimatedAmount: 300000,
};

describe('the matter page', () => {
  test('given a matter moved by others, then the diagram lights the step that is active after each action, without a reload', async () => {
    const { secretary, director, supervisor } = people;
    const id = await ui.harness.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '修建村道',
      actor: secretary,
    });
    const { page, problems } = await ui.page();

    const res = await page.goto(`${ui.baseUrl}/#/matters/${id}`);
    // served over plain http on a village LAN, the page must not send the browser to https for its script
    expect(res?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await page.waitForSelector('#diagram[data-state="ready"]');
    expect(await elementsWith(page, 'step-active')).toEqual(['propose']);
    await page.waitForSelector('.step-badge[data-step="propose"]');
    await page.locator('#diagram').screenshot({ path: path.join(ARTIFACTS, 'matter-diagram-deadline.png') });

    await ui.harness.ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await waitForActive(page, ['deliberate']);
    expect(await markerClasses(page, 'propose')).toContain('step-done');
    expect(await elementsWith(page, 'flow-taken')).toEqual(
      expect.arrayContaining(['flow-start-propose', 'flow-propose-deliberate']),
    );

    await ui.harness.ok(id, {
      step: 'deliberate',
      action: 'record',
      data: meetingRecord('two-committees', 7, 6, 5),
      actor: director,
    });
    await page.waitForSelector('.djs-element.step-awaiting-witness[data-element-id="deliberate"]');
    await page.waitForSelector('#meetings [data-result="passed"]');
    await ui.harness.ok(id, { step: 'deliberate', action: 'confirm', actor: supervisor });
    await waitForActive(page, ['party-review']);
    expect(await markerClasses(page, 'deliberate')).toContain('step-done');
    // the timeline names who did what, and its hash chain verifies
    await page.waitForSelector('#timeline li:has-text("li-secretary")');
    await page.click('#verify-record');
    await page.waitForSelector('#timeline .verdict[data-ok="true"]');

    await page.screenshot({ path: path.join(ARTIFACTS, 'matter-desktop.png'), fullPage: true });
    await page.locator('#diagram').screenshot({ path: path.join(ARTIFACTS, 'matter-diagram.png') });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'matter-360.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  test('given a keyboard and the large-text option, then the page is usable without a mouse and the text grows, and stays grown', async () => {
    const id = await ui.harness.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '修建水渠',
      actor: people.secretary,
    });
    const { page, context, problems } = await ui.page();
    await page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await page.waitForSelector('#diagram[data-state="ready"]');
    // the first Tab reaches the skip link; Enter moves focus to the content
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // the large-text toggle is a button reachable and pressable by keyboard
    await page.focus('#large-text');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#large-text', 'aria-pressed')).toBe('true');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
    await page.reload();
    await page.waitForSelector('#diagram[data-state="ready"]');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
    // the diagram's zoom controls are buttons with names
    await page.getByRole('button', { name: '放大' }).focus();
    await page.keyboard.press('Enter');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('given a resident with an opinion about a matter, then they send it without signing in and follow it by its code', async () => {
    const id = await ui.harness.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '村集体鱼塘承包',
      actor: people.secretary,
    });
    const { page, context, problems } = await ui.page({ width: 360, height: 780 });
    await page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await page.getByRole('link', { name: /对本事项提意见/ }).click();
    await page.waitForURL(/#\/opinion\?/);
    expect(await page.locator('select[name="village"]').inputValue()).toBe('xinglong');
    await page.getByLabel('主题').fill('承包价格');
    await page.getByLabel('意见内容').fill('承包底价是否经过评估？');
    // a phone number that is not one is refused next to the phone field
    await page.getByLabel(/联系电话/).fill('call me');
    await page.getByRole('button', { name: '提交意见' }).click();
    await page.waitForSelector('[data-error-for="contactPhone"]:not(:empty)');
    await page.getByLabel(/联系电话/).fill('');
    await page.getByRole('button', { name: '提交意见' }).click();
    const code = (await page.locator('#tracking-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z-]{16,24}$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'opinion-sent-360.png'), fullPage: true });
    await page.getByRole('link', { name: '查看意见办理情况' }).click();
    await page.waitForSelector('#opinion-status:has-text("已受理")');
    expect(await page.locator('.opinion').textContent()).toContain('承包底价是否经过评估？');
    expect(problems).toEqual([]);
    await context.close();
  });

  test("given a resident's opinion, then the chair finds it in My tasks, acknowledges and answers it there, and the resident reads the answer", async () => {
    const sent = await request(ui.app)
      .post('/api/opinions')
      .send({ village: 'xinglong', subject: '垃圾清运', text: '三组垃圾池一周没有清运。', publishAnswer: true });
    expect(sent.status).toBe(201);
    const { opinionId, trackingCode } = sent.body as { opinionId: string; trackingCode: string };

    const { page, context, problems } = await ui.page({ width: 360, height: 780 });
    await signIn(page, ui.baseUrl, people.chair.userId, '#/tasks');
    const item = page.locator(`[data-opinion="${opinionId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('三组垃圾池一周没有清运。');
    await item.getByRole('button', { name: '受理' }).click();
    // acknowledging cannot be undone: the page asks first
    await item.locator('[data-confirm="yes"]').click();
    // recorded: the acknowledge form is gone (its button saying “正在提交…” is not enough)
    await page.locator(`[data-opinion="${opinionId}"] form[data-action="acknowledge"]`).waitFor({ state: 'detached' });
    // an empty answer is refused next to its field, then a real one goes through
    await page.locator(`[data-opinion="${opinionId}"]`).getByRole('button', { name: '答复' }).click();
    await page.locator(`[data-opinion="${opinionId}"] [data-error-for="answer"]:not(:empty)`).waitFor();
    await page
      .locator(`[data-opinion="${opinionId}"]`)
      .getByLabel(/答复内容/)
      .fill('已联系清运公司，明天清运。');
    await page.screenshot({ path: path.join(ARTIFACTS, 'opinion-answer-360.png'), fullPage: true });
    await page.locator(`[data-opinion="${opinionId}"]`).getByRole('button', { name: '答复' }).click();
    await page.locator(`[data-opinion="${opinionId}"] [data-confirm="yes"]`).click();
    await page.locator(`[data-opinion="${opinionId}"]`).waitFor({ state: 'detached' });

    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/#/track/${trackingCode}`);
    await resident.page.waitForSelector('.answer:has-text("已联系清运公司，明天清运。")');
    expect([...problems, ...resident.problems]).toEqual([]);
    await resident.context.close();
    await context.close();
  });

  test('given a title that looks like HTML, then it renders as text and runs nothing', async () => {
    const title = '<img src=x onerror=alert(1)>';
    const id = await ui.harness.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title,
      actor: people.secretary,
    });
    const { page, problems } = await ui.page();
    await page.goto(`${ui.baseUrl}/#/matters/${id}`);
    await page.waitForSelector('#diagram[data-state="ready"]');
    expect(await page.textContent('#matter-title')).toBe(title);
    expect(await page.$$('main img[src="x"]')).toHaveLength(0);
    expect(await page.title()).toContain(title);
    expect(problems).toEqual([]);
  });
});
