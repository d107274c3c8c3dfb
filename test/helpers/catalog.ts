import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CatalogPort } from '../../api/catalog-port';
import { createCatalog } from '../../procedures/catalog';
import { createProcedureVersionStore } from '../../stores/procedure-versions';

const ROOT = path.resolve(__dirname, '..', '..');
/** The district policy with durations of seconds, so windows and deadlines pass within a test. */
export const SHORT_POLICY_FILE = path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json');

/** The real catalog over the shipped BPMN files, with the short test policy and a temporary store. */
export function testCatalog(): { catalog: CatalogPort; cleanup: () => void } {
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'xwql-catalog-'));
  const catalog = createCatalog({
    proceduresDir: path.join(ROOT, 'procedures'),
    policyFile: SHORT_POLICY_FILE,
    versions: createProcedureVersionStore(storeDir),
  });
  return { catalog, cleanup: () => rmSync(storeDir, { recursive: true, force: true }) };
}
