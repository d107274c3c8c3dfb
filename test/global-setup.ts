import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { freePort } from '../scripts/ports';
import { ensureTemporalCli, ensureTemporalTestServer } from '../scripts/temporal-cli';
import { workflowBundleOptions } from '../worker/create-worker';
import { ensureChromium } from './helpers/chromium';
import { TEST_ENV } from './helpers/test-env';

declare global {
  var __TEMPORAL_DEV_SERVER__: DevServer | undefined;
}

const projectDir = path.resolve(__dirname, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The newest modification time under `dir` (recursively), of files whose names end in `suffix`. */
function newest(dir: string, suffix: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, suffix));
    else if (entry.name.endsWith(suffix)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The bundle `npm run build` wrote, if nothing it is made of (workflows/, common/, worker/'s preload,
 * the locked dependencies) changed since: bundling again costs a webpack run per test run.
 */
function builtBundle(): string | undefined {
  const bundle = path.join(projectDir, 'dist', 'workflow-bundle.js');
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return undefined;
  }
  const sources = Math.max(
    newest(path.join(projectDir, 'workflows'), '.ts'),
    newest(path.join(projectDir, 'common'), '.ts'),
    newest(path.join(projectDir, 'worker'), '.ts'),
    statSync(path.join(projectDir, 'package-lock.json')).mtimeMs,
  );
  return sources <= built ? bundle : undefined;
}

async function workflowBundle(dir: string): Promise<string> {
  const built = builtBundle();
  if (built) return built;
  log('dist/workflow-bundle.js is missing or older than its sources: bundling the workflows for this run');
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  return bundlePath;
}

/**
 * One real Temporal dev server for the whole run, on ports the OS hands out (never one that
 * happens to be running), and one workflow bundle that every test worker reuses. Each project
 * that needs them names this setup, and jest calls it once per such project in one process: the
 * first call starts everything, the others find it running.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: { displayName?: { name: string } }) {
  // The browser tests need Debian's chromium: installed here (root) or a clear error, never a skip.
  if (projectConfig.displayName?.name === 'e2e') ensureChromium(log);
  if (globalThis.__TEMPORAL_DEV_SERVER__) return;

  const cli = ensureTemporalCli({ env: process.env, projectDir, log });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-test-'));
  const server = await startDevServer({
    cli,
    dbFile: path.join(dir, 'temporal.db'),
    port: await freePort(),
    namespace: 'default',
    readyTimeoutMs: 90_000,
    logFile: path.join(dir, 'temporal.log'),
  });
  // If jest dies without running the teardown, the server must not outlive it.
  process.once('exit', () => {
    if (server.pid > 0) {
      try {
        process.kill(server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  globalThis.__TEMPORAL_DEV_SERVER__ = server;

  process.env[TEST_ENV.address] = server.address;
  process.env[TEST_ENV.cli] = cli;
  // Tests that wait for a workflow's own timers run on the time-skipping test server (test/helpers/time-skipping.ts).
  process.env[TEST_ENV.testServer] = ensureTemporalTestServer({ env: process.env, projectDir, log });
  process.env[TEST_ENV.bundle] = await workflowBundle(dir);
  process.env[TEST_ENV.tmpDir] = dir;
}
