import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { createNoticeStore } from '../../stores/notices';
import { createApp } from '../../api/app';
import { createFileAttachmentStore } from '../../stores/attachments';
import type { NoticeStorePort } from '../../common/monthly-notice';
import type { CatalogPort } from '../../api/catalog-port';
import { opinionDeadlinesFrom } from '../../common/opinion';
import { createCatalog } from '../../procedures/catalog';
import { createProcedureVersionStore } from '../../stores/procedure-versions';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { buildUi } from '../../scripts/build-ui';
import { ensureChromium } from '../helpers/chromium';
import { MatterHarness } from '../helpers/matter-harness';
import { TEST_PASSWORD, TEST_SESSION, signedAs } from '../helpers/people';
import { testProjection } from '../helpers/temporal';

export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

const ROOT = path.resolve(__dirname, '..', '..');

/** Policy values a browser walk sets for its own pace, e.g. a notice up long enough to be read. */
export type PolicyOverrides = Record<string, { amount: number; unit: 'seconds' | 'minutes' | 'hours' }>;

/**
 * The short test policy (plus the walk's `overrides`), but with the major decision's notices up for an hour: long enough for
 * the board to show a current disclosure while the browser looks at it.
 */
function longNoticeCatalog(
  dir: string,
  overrides: PolicyOverrides,
): { catalog: CatalogPort; policyFile: string; cleanup: () => void } {
  const policy = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json'), 'utf8')) as {
    versions: { values: Record<string, unknown> }[];
  };
  for (const version of policy.versions) {
    version.values['majorDecision.resolutionDisclosure'] = { amount: 1, unit: 'hours' };
    version.values['majorDecision.resultDisclosure'] = { amount: 1, unit: 'hours' };
    Object.assign(version.values, overrides);
  }
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  const storeDir = path.join(dir, 'store');
  const catalog = createCatalog({
    proceduresDir: path.join(ROOT, 'procedures'),
    policyFile,
    versions: createProcedureVersionStore(storeDir),
  });
  return { catalog, policyFile, cleanup: () => rmSync(storeDir, { recursive: true, force: true }) };
}

/**
 * The real app with the UI built fresh from ui/ (never a stale dist/), on a free port, over the
 * harness's Temporal, worker and catalog; and Debian's chromium driven by playwright-core.
 */
export class UiServer {
  readonly harness: MatterHarness;
  baseUrl = '';
  browser!: Browser;
  app!: ReturnType<typeof createApp>;
  /** 三务公开: the monthly notices the board links to */
  notices!: NoticeStorePort;
  private server!: Server;
  private uiDir!: string;
  private cleanupCatalog: () => void = () => undefined;

  constructor(
    name: string,
    private readonly overrides: PolicyOverrides = {},
  ) {
    this.harness = new MatterHarness(name);
  }

  async setUp(): Promise<void> {
    this.uiDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-ui-'));
    await Promise.all([buildUi(path.join(this.uiDir, 'ui')), this.harness.setUp()]);
    const { temporal, taskQueue, directory } = this.harness;
    this.notices = createNoticeStore(path.join(this.uiDir, 'notices'));
    const long = longNoticeCatalog(this.uiDir, this.overrides);
    this.cleanupCatalog = long.cleanup;
    // matters the harness started (short notices) keep their pinned versions servable here too
    const catalog: CatalogPort = {
      list: () => long.catalog.list(),
      current: (id, date, town) => long.catalog.current(id, date, town),
      get: async (id, version) => (await long.catalog.get(id, version)) ?? this.harness.catalog.get(id, version),
    };
    this.app = createApp({
      directory,
      session: TEST_SESSION,
      temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
      projection: testProjection(taskQueue),
      catalog,
      logger: pino({ level: 'error' }),
      uiDir: path.join(this.uiDir, 'ui'),
      notices: this.notices,
      attachments: createFileAttachmentStore(path.join(this.uiDir, 'attachments')),
      opinionDeadlines: (date, town) =>
        opinionDeadlinesFrom(policyValuesAt(loadPolicyFile(long.policyFile), date, town)),
    });
    const app = this.app;
    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await chromium.launch({
      executablePath: ensureChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }

  async tearDown(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.harness.tearDown();
    this.cleanupCatalog();
    rmSync(this.uiDir, { recursive: true, force: true });
  }

  /** Starts a matter through this server (its notices last an hour), as the body's `actor`. */
  async start(body: Record<string, unknown>): Promise<string> {
    const res = await signedAs(request(this.app).post('/api/matters'), body);
    if (res.status !== 201) throw new Error(`start → ${res.status} ${JSON.stringify(res.body)}`);
    this.harness.remember(res.body.id as string);
    return res.body.id as string;
  }

  async ok(id: string, body: Record<string, unknown>): Promise<void> {
    const res = await signedAs(request(this.app).post(`/api/matters/${id}/actions`), body);
    if (res.status !== 200) throw new Error(`${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** A fresh browser context (no cookies) with a page that fails the test on any dialog or page error. */
  async page(
    options: { width?: number; height?: number } = {},
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await this.browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // A 401 from /api/me is how a resident is told apart: 4xx are the pages' business, 5xx are bugs.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(`console error: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 500) problems.push(`${res.status()} from ${res.url()}`);
    });
    return { context, page, problems };
  }
}

/** Marker classes of one diagram element, read from the DOM bpmn-js drew. */
export async function markerClasses(page: Page, elementId: string): Promise<string[]> {
  return page.$eval(`.djs-element[data-element-id="${elementId}"]`, (el) => [...el.classList]);
}

/** Ids of the diagram elements carrying `cls`. */
export async function elementsWith(page: Page, cls: string): Promise<string[]> {
  return page.$$eval(`.djs-element.${cls}`, (els) => els.map((el) => el.getAttribute('data-element-id') ?? '').sort());
}

/** Waits until exactly `ids` carry the active-step marker (the page polls the matter every 2 s). */
export async function waitForActive(page: Page, ids: string[], timeout = 30_000): Promise<void> {
  const wanted = [...ids].sort().join(',');
  await page.waitForFunction(
    (w) =>
      [...document.querySelectorAll('.djs-element.step-active')]
        .map((el) => el.getAttribute('data-element-id') ?? '')
        .sort()
        .join(',') === w,
    wanted,
    { timeout },
  );
}

/** Signs in through the log-in page, as a person would, and waits for where it leads. */
export async function signIn(page: Page, baseUrl: string, userId: string, next?: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel(/账号/).fill(userId);
  await page.getByLabel(/密码/).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).last().click();
  await page.waitForSelector('#logout');
}
