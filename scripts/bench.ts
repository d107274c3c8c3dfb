import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { signSession, type SessionConfig } from '../api/auth/session';
import { demoDirectory } from '../api/directory/demo';
import { createCatalog } from '../procedures/catalog';
import { compileWithWarnings } from '../procedures/compiler';
import { loadPolicyFile, policyValuesAt } from '../procedures/policy';
import { createProcedureVersionStore } from '../stores/procedure-versions';
import { openProjection } from '../stores/read-model';
import { createWorker } from '../worker/create-worker';
import { startDevServer } from './dev-server';
import { freePort } from './ports';
import { ensureTemporalCli } from './temporal-cli';
import { chainOfGateways, chainOfTasks } from './bench/large-procedure';
import { actionsSection, scaleSection } from './bench/service';

/**
 * `npm run bench` (after `npm run build`): figures, not timed tests. Each named section returns
 * rows; the script prints one table per section, then everything as JSON on the last line.
 * Add a section by appending to SECTIONS. `npm run bench -- --only=ui-bundle --runs=9`;
 * `--only=actions` (this service beside a bare workflow), `--only=scale --open=1000,5000`.
 * Where the time goes: `BENCH_CPU_PROF=<dir>` writes the worker's CPU profiles (one per thread),
 * `node --cpu-prof dist/scripts/bench.js …` the API's (it runs in the bench's process).
 */

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface BenchSection {
  name: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}

export interface BenchOptions {
  runs: number;
  /** `--open=1000,5000`: the open matters of the scale section */
  open: number[];
}

const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const DIST_DIR = path.resolve(__dirname, '..');
const UI_DIR = path.join(DIST_DIR, 'ui');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function gzipKiB(file: string): { raw: number; gz: number } {
  const bytes = readFileSync(file);
  return { raw: bytes.length / 1024, gz: gzipSync(bytes, { level: 9 }).length / 1024 };
}

const uiBundle: BenchSection = {
  name: 'ui-bundle',
  async run() {
    const rows: BenchRow[] = [];
    for (const file of ['app.js', 'app.css']) {
      const full = path.join(UI_DIR, file);
      if (!existsSync(full)) throw new Error(`${full} is missing: run npm run build first`);
      const { raw, gz } = gzipKiB(full);
      rows.push({ name: `${file} gzipped`, value: round(gz), unit: 'KiB', note: `${round(raw)} KiB minified` });
    }
    const total = rows.reduce((sum, r) => sum + r.value, 0);
    rows.push({
      name: 'viewer bundle (js + css) gzipped',
      value: round(total),
      unit: 'KiB',
      note: 'bpmn-js NavigatedViewer + pages',
    });
    return rows;
  },
};

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Navigation → the matter's flowchart drawn with its markers (the page marks `diagram-ready`
 * once bpmn-js has imported the pinned BPMN and the markers are on). Each run is a fresh browser
 * context, so it includes fetching and parsing the bundle: a resident's first visit.
 */
const uiDiagram: BenchSection = {
  name: 'ui-diagram',
  async run({ runs }) {
    const { chromium } = await import('playwright-core');
    if (!existsSync(CHROMIUM))
      throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-bench-'));
    const cli = ensureTemporalCli({ env: process.env, projectDir: PROJECT_DIR, log: () => undefined });
    const server = await startDevServer({
      cli,
      dbFile: path.join(dir, 'temporal.db'),
      port: await freePort(),
      namespace: 'default',
      readyTimeoutMs: 90_000,
      logFile: path.join(dir, 'temporal.log'),
    });
    const cleanups: (() => Promise<void> | void)[] = [
      () => server.stop(),
      () => rmSync(dir, { recursive: true, force: true }),
    ];
    try {
      const connection = await Connection.connect({ address: server.address });
      const native = await NativeConnection.connect({ address: server.address });
      cleanups.unshift(
        () => connection.close(),
        () => native.close(),
      );
      const client = new Client({ connection, namespace: 'default' });
      const taskQueue = 'bench';
      const bundle = path.join(DIST_DIR, 'workflow-bundle.js');
      const projection = openProjection(path.join(dir, 'read-model.sqlite'));
      const worker = await createWorker({
        projection,
        connection: native,
        namespace: 'default',
        taskQueue,
        activityDeps: { client },
        ...(existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : {}),
      });
      const running = worker.run();
      cleanups.unshift(async () => {
        worker.shutdown();
        await running;
      });
      const { directory } = await demoDirectory();
      const session: SessionConfig = {
        secret: new TextEncoder().encode('bench-secret-bench-secret-bench-secret-0'),
        ttlSeconds: 3600,
        secureCookie: false,
        loginAttempts: 5,
        loginWindowMs: 60_000,
      };
      const app = createApp({
        temporal: { client, namespace: 'default', taskQueue },
        catalog: createCatalog({
          proceduresDir: path.join(PROJECT_DIR, 'procedures'),
          policyFile: path.join(PROJECT_DIR, 'procedures', 'policies', 'luojiang.json'),
          versions: createProcedureVersionStore(path.join(dir, 'catalog')),
        }),
        directory: { current: () => directory },
        session,
        logger: pino({ level: 'silent' }),
        projection,
        uiDir: UI_DIR,
      });
      const http = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      cleanups.unshift(() => new Promise<void>((resolve) => http.close(() => resolve())));
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

      // A matter two steps in: done steps, taken flows and an active step to mark.
      const as = async (userId: string, url: string, body: unknown) => {
        const { token } = await signSession(session, userId);
        const res = await fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
        return (await res.json()) as { id?: string };
      };
      const { id } = await as('xinglong-secretary', '/api/matters', {
        procedureId: 'major-decision',
        village: 'xinglong',
        title: '村道硬化工程',
      });
      const matter = `/api/matters/${id}/actions`;
      await as('xinglong-secretary', matter, {
        step: 'propose',
        action: 'submit',
        data: {
          title: '村道硬化工程',
          description: '硬化村道 2 公里',
          category: 'infrastructure',
          estimatedAmount: 300000,
        },
      });
      const meeting = {
        body: 'two-committees',
        date: '2026-03-10',
        members: 7,
        present: 6,
        inFavour: 5,
        against: 1,
        abstain: 0,
      };
      await as('xinglong-director', matter, {
        step: 'deliberate',
        action: 'record',
        data: { ...meeting, minutesHash: 'b'.repeat(64) },
      });
      await as('xinglong-supervisor', matter, { step: 'deliberate', action: 'confirm' });

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      cleanups.unshift(() => browser.close());
      const times: number[] = [];
      const phases: Record<string, number[]> = {};
      const PHASES = ['app.js loaded', 'matter-state', 'diagram-fetched', 'diagram-imported'] as const;
      for (let i = 0; i < runs + 1; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${base}/#/matters/${id}`);
        await page.waitForFunction(() => performance.getEntriesByName('diagram-ready').length > 0, null, {
          timeout: 30_000,
        });
        const lit = await page.locator('.djs-element.step-active').all();
        const active = await Promise.all(lit.map((element) => element.getAttribute('data-element-id')));
        if (active.join() !== 'party-review') throw new Error(`expected party-review lit, got ${active.join()}`);
        const marks = await page.evaluate(() => {
          const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
          const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/app.js'));
          return {
            ready: at('diagram-ready'),
            'app.js loaded': script ? script.startTime + script.duration : NaN,
            'matter-state': at('matter-state'),
            'diagram-fetched': at('diagram-fetched'),
            'diagram-imported': at('diagram-imported'),
          };
        });
        // the first run warms the server (catalog compile, query paths); it is not counted
        if (i > 0) {
          times.push(marks.ready);
          for (const phase of PHASES) (phases[phase] ??= []).push(marks[phase]);
        }
        await context.close();
      }
      return [
        ...PHASES.map((phase) => ({
          name: `  navigation → ${phase} (median)`,
          value: Math.round(median(phases[phase] ?? [])),
          unit: 'ms',
        })),
        {
          name: 'navigation → diagram with markers (median)',
          value: Math.round(median(times)),
          unit: 'ms',
          note: `${runs} runs, fresh context each, min ${Math.round(Math.min(...times))} max ${Math.round(Math.max(...times))}`,
        },
      ];
    } finally {
      for (const cleanup of cleanups) {
        try {
          await cleanup();
        } catch {
          // keep cleaning up
        }
      }
    }
  },
};

/**
 * Compile time against the file's size (generated procedures, scripts/bench/large-procedure.ts):
 * linear, so ten times the steps is about ten times the time. Includes parsing, bpmnlint and the
 * token game. At most 3 runs each: the large one takes seconds.
 */
const compile: BenchSection = {
  name: 'compile',
  async run({ runs }) {
    const policyValues = policyValuesAt(
      loadPolicyFile(path.join(PROJECT_DIR, 'procedures', 'policies', 'luojiang.json')),
      '2024-05-01',
    );
    const cases: [string, string][] = [
      ['1,000 steps in a chain', chainOfTasks(1_000)],
      ['10,000 steps in a chain', chainOfTasks(10_000)],
      ['1,000 exclusive gateways', chainOfGateways(1_000)],
    ];
    const rows: BenchRow[] = [];
    for (const [name, bpmn] of cases) {
      const times: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i += 1) {
        const started = performance.now();
        await compileWithWarnings({ file: 'large.bpmn', bpmn, policyValues });
        times.push(performance.now() - started);
      }
      const kib = Math.round(Buffer.byteLength(bpmn) / 1024);
      rows.push({
        name: `compile ${name} (median)`,
        value: Math.round(median(times)),
        unit: 'ms',
        note: `${kib} KiB of BPMN`,
      });
    }
    return rows;
  },
};

const actions: BenchSection = { name: 'actions', run: (options) => actionsSection(options) };
const scale: BenchSection = { name: 'scale', run: (options) => scaleSection({ open: options.open }) };

export const SECTIONS: BenchSection[] = [uiBundle, uiDiagram, actions, scale, compile];

function table(section: string, rows: BenchRow[]): string {
  const header = ['section', 'measure', 'value', 'unit', 'note'];
  const lines = rows.map((r) => [section, r.name, String(r.value), r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 7);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  const open = (args.find((a) => a.startsWith('--open='))?.slice('--open='.length) ?? '1000').split(',').map(Number);
  if (open.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--open must be whole numbers ≥ 1, e.g. 1000,5000');
  const results: Record<string, BenchRow[]> = {};
  for (const section of SECTIONS) {
    if (only && !only.includes(section.name)) continue;
    const rows = await section.run({ runs, open });
    results[section.name] = rows;
    process.stdout.write(`\n${table(section.name, rows)}\n`);
  }
  process.stdout.write(`\n${JSON.stringify({ at: new Date().toISOString(), runs, sections: results })}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
