import { ChromiumMissingError, ensureChromium } from '../helpers/chromium';

describe('the browser tests’ chromium', () => {
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
