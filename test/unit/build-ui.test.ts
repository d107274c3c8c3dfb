import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildUi } from '../../scripts/build-ui';

/** The production UI build (esbuild, a few seconds): the pages' sources do not ship beside it. */
describe('the UI build', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(os.tmpdir(), 'xwql-ui-build-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('given a build, then app.js and its chunks are written with no source map and no pointer to one', async () => {
    await buildUi(out);

    const files = readdirSync(out, { recursive: true }).map(String);
    expect(files).toEqual(expect.arrayContaining(['app.js', 'app.css', 'index.html']));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const js of files.filter((f) => f.endsWith('.js') || f.endsWith('.css'))) {
      expect([js, readFileSync(path.join(out, js), 'utf8').includes('sourceMappingURL')]).toEqual([js, false]);
    }
  });
});
