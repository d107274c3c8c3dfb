import { ChromiumMissingError, ensureChromium, runIncludesBrowserTests } from '../helpers/chromium';

describe('the browser tests’ chromium', () => {
  test('given a run of everything or of e2e, then the browser is needed; a run of unit tests does not need it', () => {
    expect(runIncludesBrowserTests([])).toBe(true);
    expect(runIncludesBrowserTests(['test/e2e/board'])).toBe(true);
    expect(runIncludesBrowserTests(['test/unit/ui-'])).toBe(false);
  });

  test('given chromium where it is expected, then that path, with nothing installed', () => {
    const log: string[] = [];
    expect(ensureChromium((l) => log.push(l), { path: process.execPath, explicit: false, canInstall: true })).toBe(
      process.execPath,
    );
    expect(log).toEqual([]);
  });

  test('given a CHROMIUM_PATH that does not exist, then a clear error and no install', () => {
    expect(() => ensureChromium(undefined, { path: '/nowhere/chromium', explicit: true, canInstall: true })).toThrow(
      new ChromiumMissingError('CHROMIUM_PATH=/nowhere/chromium does not exist'),
    );
  });

  test('given no chromium and no root, then the error says what to install, never a skip', () => {
    expect(() => ensureChromium(undefined, { path: '/nowhere/chromium', explicit: false, canInstall: false })).toThrow(
      /apt-get install -y chromium fonts-wqy-zenhei/,
    );
  });
});
