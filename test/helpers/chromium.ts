import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH): the browser tests drive it with
 * playwright-core, which downloads no browser of its own.
 */

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
export interface ChromiumSetup {
  path: string;
  /** the path came from CHROMIUM_PATH: never install, just say it is wrong */
  explicit: boolean;
  /** root on a Debian-like system, so apt-get can install it */
  canInstall: boolean;
}

export function chromiumSetup(env: NodeJS.ProcessEnv = process.env): ChromiumSetup {
  return {
    path: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    explicit: env.CHROMIUM_PATH !== undefined,
    canInstall: process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'),
  };
}

export function ensureChromium(
  log: (line: string) => void = () => undefined,
  setup: ChromiumSetup = chromiumSetup(),
): string {
  const { path } = setup;
  if (existsSync(path)) return path;
  if (setup.explicit) throw new ChromiumMissingError(`CHROMIUM_PATH=${path} does not exist`);
  if (!setup.canInstall) {
    throw new ChromiumMissingError(
      `The browser tests need Debian's chromium at ${path}. Install it with ` +
        `\`sudo apt-get install -y ${CHROMIUM_PACKAGES.join(' ')}\`, or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  log(`Installing ${CHROMIUM_PACKAGES.join(' ')} for the browser tests / 安装浏览器测试所需的 chromium …`);
  aptGet(['update'], log);
  aptGet(['install', '-y', '--no-install-recommends', ...CHROMIUM_PACKAGES], log);
  if (!existsSync(path)) throw new ChromiumMissingError(`apt-get installed chromium but ${path} is missing`);
  return path;
}
