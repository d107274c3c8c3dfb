import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { buildUi } from '../../scripts/build-assets';
import { ensureChromium } from '../helpers/chromium';
import { MatterHarness } from '../helpers/matter-harness';

export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

/**
 * The real app with the UI built fresh from ui/ (never a stale dist/), on a free port, over the
 * harness's Temporal, worker and catalog; and Debian's chromium driven by playwright-core.
 */
export class UiServer {
  readonly harness: MatterHarness;
  baseUrl = '';
  browser!: Browser;
  private server!: Server;
  private uiDir!: string;

  constructor(name: string) {
    this.harness = new MatterHarness(name);
  }

  async setUp(): Promise<void> {
    this.uiDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-ui-'));
    await Promise.all([buildUi(this.uiDir), this.harness.setUp()]);
    const { temporal, taskQueue, catalog } = this.harness;
    const app = createApp({
      temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue },
      catalog,
      logger: pino({ level: 'error' }),
      uiDir: this.uiDir,
    });
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
    rmSync(this.uiDir, { recursive: true, force: true });
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
export async function waitForActive(page: Page, ids: string[], timeout = 15_000): Promise<void> {
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
