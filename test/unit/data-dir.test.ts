import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirError, prepareDataDir } from '../../scripts/data-dir';

describe('DATA_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-data-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('given a missing nested directory, then it is created', () => {
    const wanted = path.join(dir, 'a', 'b');

    expect(prepareDataDir(wanted)).toBe(wanted);
    expect(statSync(wanted).isDirectory()).toBe(true);
  });

  test('given a file, then an error names DATA_DIR', () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, '');

    expect(() => prepareDataDir(file)).toThrow(DataDirError);
    expect(() => prepareDataDir(file)).toThrow(/^DATA_DIR=.* is not a directory/);
    expect(() => prepareDataDir(path.join(file, 'below'))).toThrow(/^DATA_DIR=.* cannot be created/);
  });
});
