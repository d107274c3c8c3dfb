import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'esbuild';
import { workflowsPath } from '../worker/create-worker';

/** Second half of `npm run build` (after tsc): the workflow bundle and the UI. */

const DIST_DIR = path.resolve(__dirname, '..');
const UI_SRC = path.resolve(DIST_DIR, '..', 'ui');

async function main(): Promise<void> {
  // Bundled once here, so every worker start reuses it instead of running webpack.
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
  writeFileSync(path.join(DIST_DIR, 'workflow-bundle.js'), code);

  const uiOut = path.join(DIST_DIR, 'ui');
  mkdirSync(uiOut, { recursive: true });
  await build({
    entryPoints: [path.join(UI_SRC, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2020', 'safari14'],
    outfile: path.join(uiOut, 'app.js'),
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'styles.css']) copyFileSync(path.join(UI_SRC, file), path.join(uiOut, file));
}

main().catch((err: unknown) => {
  process.stderr.write(`build-assets failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
