import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemporalCliError, findTemporalCli, findTemporalTestServer, localCliPath } from '../../scripts/temporal-cli';

describe('finding the Temporal CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function executable(file: string): string {
    writeFileSync(file, '#!/bin/sh\necho temporal\n');
    chmodSync(file, 0o755);
    return file;
  }

  test('given TEMPORAL_CLI points nowhere, then a clear error names the variable', () => {
    expect(() => findTemporalCli({ env: { TEMPORAL_CLI: path.join(dir, 'missing') }, projectDir: dir })).toThrow(
      new TemporalCliError(`TEMPORAL_CLI=${path.join(dir, 'missing')} is not an executable file`),
    );
  });

  test('given TEMPORAL_CLI and a temporal on PATH, then TEMPORAL_CLI wins', () => {
    const explicit = executable(path.join(dir, 'my-temporal'));
    executable(path.join(dir, 'temporal'));

    expect(findTemporalCli({ env: { TEMPORAL_CLI: explicit, PATH: dir }, projectDir: dir })).toBe(explicit);
  });

  test('given only a temporal on PATH, then that one', () => {
    const onPath = executable(path.join(dir, 'temporal'));

    expect(findTemporalCli({ env: { PATH: `/nonexistent${path.delimiter}${dir}` }, projectDir: '/nonexistent' })).toBe(
      onPath,
    );
  });

  test('given nothing on PATH, then the project-local install, else nothing', () => {
    expect(findTemporalCli({ env: { PATH: '' }, projectDir: dir })).toBeUndefined();

    const local = localCliPath(dir);
    mkdirSync(path.dirname(local), { recursive: true });
    executable(local);

    expect(findTemporalCli({ env: { PATH: '' }, projectDir: dir })).toBe(local);
  });
});

describe('finding the time-skipping test server', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-test-server-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('given TEMPORAL_TEST_SERVER points nowhere, then a clear error names the variable', () => {
    const missing = path.join(dir, 'missing');
    expect(() => findTemporalTestServer({ env: { TEMPORAL_TEST_SERVER: missing }, projectDir: dir })).toThrow(
      new TemporalCliError(`TEMPORAL_TEST_SERVER=${missing} is not an executable file`),
    );
  });

  test('given nothing on PATH, then the one beside the CLI in the project-local virtualenv, else nothing', () => {
    expect(findTemporalTestServer({ env: { PATH: '' }, projectDir: dir })).toBeUndefined();

    const local = path.join(path.dirname(localCliPath(dir)), 'temporal-test-server');
    mkdirSync(path.dirname(local), { recursive: true });
    writeFileSync(local, '#!/bin/sh\n');
    chmodSync(local, 0o755);

    expect(findTemporalTestServer({ env: { PATH: '' }, projectDir: dir })).toBe(local);
  });
});
