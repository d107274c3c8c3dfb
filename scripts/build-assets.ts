import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../worker/create-worker';
import { buildUi } from './build-ui';

/** Second half of `npm run build` (after tsc): the workflow bundle and the UI. */

const DIST_DIR = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  // Bundled once here, so every worker start reuses it instead of running webpack.
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  writeFileSync(path.join(DIST_DIR, 'workflow-bundle.js'), code);

  await buildUi(path.join(DIST_DIR, 'ui'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`build-assets failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
