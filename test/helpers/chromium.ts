import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium: the browser tests drive it with playwright-core (no downloaded browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The packages the browser tests need: the browser and a CJK font, so Chinese renders in screenshots. */
export const CHROMIUM_PACKAGES = ['chromium', 'fonts-wqy-zenhei'];

export class ChromiumMissingError extends Error {
  override name = 'ChromiumMissingError';
}

function aptGet(args: string[], log: (line: string) => void): void {
  log(`apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error || result.status !== 0) {
    throw new ChromiumMissingError(
      `apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); ` +
        `install ${CHROMIUM_PACKAGES.join(' ')} by hand or set CHROMIUM_PATH`,
    );
  }
}

/**
 * Returns the chromium executable, installing it with apt-get when it is missing and we are root.
 * Otherwise it fails with the command to run: the browser tests never skip.
 */
export function ensureChromium(log: (line: string) => void = () => undefined): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.env.CHROMIUM_PATH) {
    throw new ChromiumMissingError(`CHROMIUM_PATH=${CHROMIUM_PATH} does not exist`);
  }
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new ChromiumMissingError(
      `The browser tests need Debian's chromium at ${CHROMIUM_PATH}. Install it with ` +
        `\`sudo apt-get install -y ${CHROMIUM_PACKAGES.join(' ')}\`, or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  log(`Installing ${CHROMIUM_PACKAGES.join(' ')} for the browser tests / 安装浏览器测试所需的 chromium …`);
  aptGet(['update'], log);
  aptGet(['install', '-y', '--no-install-recommends', ...CHROMIUM_PACKAGES], log);
  if (!existsSync(CHROMIUM_PATH))
    throw new ChromiumMissingError(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

/** Whether a jest run includes the browser tests (all tests, or a pattern naming e2e). */
export function runIncludesBrowserTests(patterns: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => /e2e/.test(p));
}
