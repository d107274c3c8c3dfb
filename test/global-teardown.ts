import { rmSync } from 'node:fs';
import { TEST_ENV } from './helpers/test-env';

/** Named by every project that uses the server (see global-setup.ts): the first call stops it. */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__TEMPORAL_DEV_SERVER__;
  globalThis.__TEMPORAL_DEV_SERVER__ = undefined;
  await server?.stop();
  const dir = process.env[TEST_ENV.tmpDir];
  delete process.env[TEST_ENV.tmpDir];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
