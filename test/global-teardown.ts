import { rmSync } from 'node:fs';
import { TEST_ENV } from './helpers/test-env';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__TEMPORAL_DEV_SERVER__?.stop();
  const dir = process.env[TEST_ENV.tmpDir];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
