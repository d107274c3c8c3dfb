#!/usr/bin/env node
// Entry of `npm start` and `npm test` on a fresh clone: it runs before node_modules
// exist, so it may use Node built-ins only. It installs, builds, then hands over.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`${command} ${args.join(' ')}: ${result.error.message}\n`);
    process.exit(1);
  }
  return result.status ?? 1;
}

function must(command, args) {
  const status = run(command, args);
  if (status !== 0) process.exit(status);
}

function dependenciesAreCurrent() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  return existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
}

const [mode, ...rest] = process.argv.slice(2);

if (!dependenciesAreCurrent()) {
  process.stdout.write('Installing dependencies / 安装依赖 (npm ci) …\n');
  must(npm, ['ci', '--no-audit', '--no-fund']);
}
must(npm, ['run', '--silent', 'build']);

if (mode === 'start') {
  const { main } = await import(pathToFileURL(path.join(root, 'dist', 'scripts', 'start.js')).href);
  await main();
} else if (mode === 'test') {
  must(npm, ['run', '--silent', 'lint']);
  // The build checks the shipped code only; this checks the tests and the pages too.
  must(npm, ['run', '--silent', 'typecheck']);
  process.exit(run(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...rest]));
} else {
  process.stderr.write('usage: node scripts/bootstrap.mjs start|test [jest args]\n');
  process.exit(2);
}
