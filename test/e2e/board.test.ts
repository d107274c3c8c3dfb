import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { meetingRecord, people } from '../helpers/matter-harness';
import { ARTIFACTS, UiServer } from './ui-server';

// a browser, a worker and the API share two busy cores: generous limits, never skipped
jest.setTimeout(180_000);

const ui = new UiServer('e2e-board');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ui.setUp();
}, 180_000);
afterAll(() => ui.tearDown());

const proposal = {
  title: '修建文化广场',
  description: '村委会旁建文化广场',
  category: 'welfare',
  estimatedAmount: 200000,
};

describe('the public board', () => {
  test('given a village with running, disclosed and finished matters, then a resident finds each on its board, and the catalog with its flowcharts', async () => {
    const { secretary, director, supervisor } = people;
    // a village of its own: other test files' matters (and their stopped workers) stay off this board
    const village = `board${Date.now().toString(36)}`;
    await ui.harness.directory.addVillage(village);
    // given: a finished decision, one on public notice (an hour-long window), one just started
    const completed = await ui.harness.completedDecision(village);
    const disclosed = await ui.start({
      procedureId: 'major-decision',
      village,
      title: '修建文化广场',
      actor: secretary,
    });
    await ui.ok(disclosed, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    for (const [step, record, recorder] of [
      ['deliberate', meetingRecord('two-committees', 7, 6, 5), director],
      ['party-review', meetingRecord('party-members', 45, 40, 30), secretary],
      ['resolve', meetingRecord('representatives', 30, 25, 20), director],
    ] as const) {
      await ui.ok(disclosed, { step, action: 'record', data: record, actor: recorder });
      await ui.ok(disclosed, { step, action: 'confirm', actor: supervisor });
    }
    // and last month's notice (三务公开), as the monthly run would have published it
    await ui.notices.putIfAbsent({
      kind: 'monthly',
      village,
      month: '2026-10',
      period: { from: '2026-10-01', to: '2026-10-31' },
      publishedAt: '2026-11-01T01:00:00+08:00',
      publishedBy: `monthly-notice-${village}-2026-10`,
      payments: [],
      totals: { payments: 0, amount: 0 },
      mattersStarted: [],
      mattersFinished: [],
      opinions: [],
    });
    const title = '<img src=x onerror=alert(1)> 村道照明';
    const started = await ui.start({ procedureId: 'major-decision', village, title, actor: secretary });

    // when: a resident opens the landing page and follows the village's board
    const resident = await ui.page({ width: 360, height: 780 });
    await resident.page.goto(`${ui.baseUrl}/`);
    await resident.page.getByRole('link', { name: village }).waitFor();
    await resident.page.screenshot({ path: path.join(ARTIFACTS, 'home-360.png'), fullPage: true });
    await resident.page.getByRole('link', { name: village }).click();
    await resident.page.waitForURL(new RegExp(`#/villages/${village}$`));

    // then: each matter is where it belongs
    const board = resident.page;
    await board.setViewportSize({ width: 1280, height: 900 });
    await board.waitForSelector(`#running li[data-matter="${started}"]`);
    await board.waitForSelector(`#running li[data-matter="${disclosed}"]:has-text("决议公开")`);
    await board.waitForSelector(`#disclosures li[data-matter="${disclosed}"]:has-text("截止")`);
    // the board gives the end of each open notice and the days left
    await board.waitForSelector(`#disclosures li[data-matter="${disclosed}"] .days-left:has-text("还剩 1 天")`);
    await board.waitForSelector(`#results li[data-matter="${completed}"]:has-text("已完成")`);
    expect(await board.locator(`#running li[data-matter="${started}"] a`).textContent()).toBe(title);
    const monthly = board.locator('#monthly li[data-month="2026-10"] a');
    expect(await monthly.textContent()).toBe('2026年10月三务公开');
    expect(await monthly.getAttribute('href')).toBe(`/api/notices/${village}/2026-10/print`);
    expect(await board.locator('#catalog li').count()).toBe(4);
    await board.screenshot({ path: path.join(ARTIFACTS, 'board-desktop.png'), fullPage: true });
    await board.setViewportSize({ width: 360, height: 780 });
    await board.screenshot({ path: path.join(ARTIFACTS, 'board-360.png'), fullPage: true });
    await board.setViewportSize({ width: 1280, height: 900 });

    // and the matter on notice shows what it discloses: the resolution's meeting, in words, with its end
    await board.goto(`${ui.baseUrl}/#/matters/${disclosed}`);
    const notice = board.locator('#notices li.notice--open[data-step="disclose-resolution"]');
    await notice.locator('.days-left:has-text("还剩 1 天")').waitFor();
    await notice
      .locator('.disclosed .step-content[data-step="resolve"], .disclosed dd[data-field="body"]')
      .first()
      .waitFor();
    expect(await notice.locator('.disclosed').textContent()).toContain('村民代表会议');
    expect(await notice.locator('.disclosed').textContent()).toContain('修建文化广场');

    // and a payment resting on the finished decision shows as linked, both ways
    const payment = await ui.start({
      procedureId: 'fund-approval',
      village,
      title: '文化广场材料款',
      amount: 30000,
      links: [completed],
      actor: people.accountant,
    });
    await board.goto(`${ui.baseUrl}/#/matters/${completed}`);
    await board.waitForSelector(`#links a[href="#/matters/${payment}"]`);
    // the end it reached is marked on its flowchart
    await board.waitForSelector('.djs-element.step-done[data-element-id="end-completed"]');
    await board.locator('#diagram').screenshot({ path: path.join(ARTIFACTS, 'matter-ended-diagram.png') });
    await board.goto(`${ui.baseUrl}/#/matters/${payment}`);
    await board.waitForSelector(`#links a[href="#/matters/${completed}"]`);
    await board.goto(`${ui.baseUrl}/#/villages/${village}`);

    // and the catalog shows each procedure's flowchart, roles and time limits
    await board.locator('#catalog li[data-procedure="major-decision"] a').click();
    await board.waitForSelector('.diagram[data-state="ready"]');
    const deliberate = board.locator('table.steps tr[data-step="deliberate"]');
    expect(await deliberate.textContent()).toContain('两委成员');
    expect(await board.locator('table.steps tr[data-step="disclose-resolution"]').textContent()).toContain(
      '公示期 1 小时',
    );
    expect(await board.locator('#basis').textContent()).toContain('四议');
    await board.screenshot({ path: path.join(ARTIFACTS, 'procedure-desktop.png'), fullPage: true });

    // and English is one click away
    await board.getByRole('button', { name: 'English' }).click();
    await board.waitForSelector('table.steps tr[data-step="deliberate"]:has-text("Committee member")');
    // the flowchart itself is labelled in English too (mp:nameEn)
    await board.waitForSelector('.djs-element[data-element-id="deliberate"]:has-text("Joint meeting")');
    await board.screenshot({ path: path.join(ARTIFACTS, 'procedure-en-desktop.png'), fullPage: true });
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });
});
