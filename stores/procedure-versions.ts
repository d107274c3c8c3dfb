import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ProcedureGraphSchema } from '../common/graph';
import {
  PROCEDURE_ID,
  PROCEDURE_VERSION,
  type ProcedureVersionStorePort,
  type PublishedProcedure,
} from '../common/procedure-versions';

function isMissing(error: unknown): boolean {
  // Not instanceof Error: fs errors come from another realm under jest.
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function listIfPresent(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Write-then-rename: a reader never sees half a file, and two writers of one version write the same bytes. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, file);
}

/** Procedure versions as files, `<dir>/<id>/<version>.bpmn|.json`, under DATA_DIR. */
export function createProcedureVersionStore(dir: string): ProcedureVersionStorePort {
  const storedPath = (id: string, version: string, ext: 'bpmn' | 'json') => path.join(dir, id, `${version}.${ext}`);

  async function get(id: string, version: string): Promise<PublishedProcedure | undefined> {
    if (!PROCEDURE_ID.test(id) || !PROCEDURE_VERSION.test(version)) return undefined;
    const json = await readIfPresent(storedPath(id, version, 'json'));
    const bpmn = await readIfPresent(storedPath(id, version, 'bpmn'));
    if (json === undefined || bpmn === undefined) return undefined;
    return { bpmn, graph: ProcedureGraphSchema.parse(JSON.parse(json)) };
  }

  return {
    get,
    async put(procedure) {
      const { id, version } = procedure.graph;
      if (!PROCEDURE_ID.test(id) || !PROCEDURE_VERSION.test(version)) throw new Error(`bad version ${id}@${version}`);
      if ((await readIfPresent(storedPath(id, version, 'json'))) !== undefined) return;
      await mkdir(path.join(dir, id), { recursive: true });
      // The graph last: get() serves a version only once both halves are there.
      await writeAtomically(storedPath(id, version, 'bpmn'), procedure.bpmn);
      await writeAtomically(storedPath(id, version, 'json'), `${JSON.stringify(procedure.graph, null, 2)}\n`);
    },
    async ids() {
      return (await listIfPresent(dir)).filter((n) => PROCEDURE_ID.test(n));
    },
    async versions(id) {
      if (!PROCEDURE_ID.test(id)) return [];
      const names = (await listIfPresent(path.join(dir, id))).filter(
        (n) => n.endsWith('.json') && PROCEDURE_VERSION.test(n.slice(0, -5)),
      );
      const dated = await Promise.all(
        names.map(async (n) => ({ version: n.slice(0, -5), at: (await stat(path.join(dir, id, n))).mtimeMs })),
      );
      dated.sort((a, b) => a.at - b.at || a.version.localeCompare(b.version));
      return dated.map((d) => d.version);
    },
  };
}
