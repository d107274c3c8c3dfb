import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../../common/search-attributes';
import { DevServerError, startDevServer } from '../../scripts/dev-server';
import { freePort } from '../../scripts/ports';
import { testEnv } from '../helpers/test-env';

/** The launcher itself, with servers of its own (the run's shared server is not touched). */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-devserver-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('given a db file created without our search attributes, when the launcher reopens it, then it registers them', async () => {
  const dbFile = path.join(dir, 'temporal.db');
  const port = await freePort();
  // A bare dev server creates the file, as an older version of this project would have.
  const bare = spawn(
    testEnv('cli'),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const probe = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 });
      await probe.workflowService.describeNamespace({ namespace: 'default' });
      const { customAttributes } = await probe.operatorService.listSearchAttributes({ namespace: 'default' });
      await probe.close();
      expect(customAttributes?.MatterVillage).toBeUndefined();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  bare.kill('SIGTERM');
  await new Promise((resolve) => bare.once('exit', resolve));
  // made under the usual umask: others could read it
  expect(statSync(dbFile).mode & 0o077).not.toBe(0);

  const server = await startDevServer({
    cli: testEnv('cli'),
    dbFile,
    port,
    namespace: 'default',
    readyTimeoutMs: 60_000,
  });
  try {
    const connection = await Connection.connect({ address: server.address });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    await connection.close();
    for (const { name } of customSearchAttributes) expect(customAttributes?.[name]).toBeDefined();
    // the launcher leaves the records readable by their owner only
    for (const f of [dbFile, `${dbFile}-wal`].filter((x) => existsSync(x)))
      expect(statSync(f).mode & 0o777).toBe(0o600);
  } finally {
    await server.stop();
  }
}, 120_000);

test('given the gRPC port is taken, then a clear error names TEMPORAL_PORT and no server starts', async () => {
  const blocker = createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    await expect(
      startDevServer({ cli: testEnv('cli'), port, namespace: 'default', readyTimeoutMs: 5000 }),
    ).rejects.toThrow(
      new DevServerError(
        `TEMPORAL_PORT=${port} is already in use on 127.0.0.1; stop what runs there or choose another port`,
      ),
    );
  } finally {
    blocker.close();
  }
});

test('given a server slower than the timeout, then the error says which setting to raise and the server is stopped', async () => {
  const port = await freePort();

  await expect(startDevServer({ cli: testEnv('cli'), port, namespace: 'default', readyTimeoutMs: 1 })).rejects.toThrow(
    /not ready within 1 ms \(TEMPORAL_READY_TIMEOUT_MS\)/,
  );
  // stopped: the port is free again
  await new Promise((resolve) => setTimeout(resolve, 500));
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  probe.close();
});
