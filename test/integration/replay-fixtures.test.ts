import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { testEnv } from '../helpers/test-env';

/**
 * Histories recorded from real runs (see major-decision.test.ts, RECORD_HISTORIES=1) replayed
 * against today's workflow code. A change that would break a running matter fails here: make it
 * behind `patched()` instead.
 */

// One replay worker per history logs its state changes at INFO: keep the report readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

const DIR = path.join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

test('there are recorded histories to guard', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test.each(files)('given the recorded history %s, then today’s code replays it without nondeterminism', async (file) => {
  const history: unknown = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));

  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: testEnv('bundle') } }, history, path.basename(file, '.json')),
  ).resolves.toBeUndefined();
});
