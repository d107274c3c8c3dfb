import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { freePort } from '../scripts/ports';
import { ensureTemporalCli } from '../scripts/temporal-cli';
import { workflowBundleOptions } from '../worker/create-worker';
import { ensureChromium, runIncludesBrowserTests } from './helpers/chromium';
import { TEST_ENV } from './helpers/test-env';

declare global {
  var __TEMPORAL_DEV_SERVER__: DevServer | undefined;
}

/**
 * One real Temporal dev server for the whole run, on ports the OS hands out (never one that
 * happens to be running), and one workflow bundle that every test worker reuses.
 */
export default async function globalSetup(globalConfig: { testPathPattern?: string }): Promise<void> {
  const projectDir = path.resolve(__dirname, '..');
  // The browser tests need Debian's chromium: installed here (root) or a clear error, never a skip.
  const pattern = globalConfig.testPathPattern ?? '';
  if (runIncludesBrowserTests(pattern ? [pattern] : [])) ensureChromium((line) => process.stdout.write(`${line}\n`));
  const cli = ensureTemporalCli({ env: process.env, projectDir, log: (line) => process.stdout.write(`${line}\n`) });
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

  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  process.env[TEST_ENV.address] = server.address;
  process.env[TEST_ENV.cli] = cli;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.tmpDir] = dir;
}
