import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Run from dist/scripts (built) or scripts/ (under ts-jest): ui/ is beside package.json either way. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
const UI_SRC = path.join(projectRoot(__dirname), 'ui');

/**
 * The UI into `uiOut` (the browser tests build their own copy, so they never test a stale one).
 * No source maps: they would publish the pages' sources beside the minified code (the API refuses
 * to serve `*.map` as well); `sourcemap: true` is for debugging on one's own machine.
 */
export async function buildUi(uiOut: string, { sourcemap = false }: { sourcemap?: boolean } = {}): Promise<void> {
  rmSync(uiOut, { recursive: true, force: true });
  mkdirSync(uiOut, { recursive: true });
  await build({
    // app.js: pages + bpmn-js NavigatedViewer; app.css: bpmn-js's own CSS from node_modules, then ours
    entryPoints: [
      { in: path.join(UI_SRC, 'src', 'main.ts'), out: 'app' },
      { in: path.join(UI_SRC, 'app.css'), out: 'app' },
    ],
    bundle: true,
    minify: true,
    sourcemap,
    format: 'esm',
    // zod (the forms' schema checks) loads as a chunk of its own, when a form first needs it
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: ['es2020', 'chrome87', 'firefox78', 'safari15'],
    outdir: uiOut,
    // no CDN, no external fonts: anything a stylesheet points at is inlined
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  });
  copyFileSync(path.join(UI_SRC, 'index.html'), path.join(uiOut, 'index.html'));
}
