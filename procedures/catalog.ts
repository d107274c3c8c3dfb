import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chinaDate } from '../common/china-date';
import { ProcedureGraphSchema, type Label, type ProcedureGraph } from '../common/graph';
import { CompileError, compileWithWarnings, type CompileProblem } from './compiler';
import { loadPolicyFile, policyValuesAt } from './policy';

/**
 * The procedure catalog: the BPMN files of a directory, compiled with the policy in force, and a
 * store of every version ever compiled. A matter pins its version for years while the files and
 * the policy move on, so `{storeDir}/<id>/<version>.bpmn|.json` is written once and never changed.
 */

export interface CatalogOptions {
  proceduresDir: string;
  policyFile: string;
  storeDir: string;
  /** today's date (YYYY-MM-DD) for `list()`; the villages' calendar day by default */
  today?: () => string;
}

export interface PublishedProcedure {
  bpmn: string;
  graph: ProcedureGraph;
  /** what the compiler reported beside the graph (bpmnlint's warnings, a declared encoding); when compiled now */
  warnings?: CompileProblem[];
}

export interface CatalogEntry {
  id: string;
  name: Label;
  /** stored versions, oldest first */
  versions: string[];
  /** the version in force today, when the file compiles */
  current?: string;
  /** why the file does not compile today (its stored versions stay servable) */
  problems?: CompileProblem[];
  /** what the author should still fix, though the file compiles (or beside its problems) */
  warnings?: CompileProblem[];
}

export interface Catalog {
  list(): Promise<CatalogEntry[]>;
  /** Compiles `id` with the policy in force on `date` (and `town`'s overlay) and stores that version. */
  current(id: string, date: string, town?: string): Promise<PublishedProcedure | undefined>;
  get(id: string, version: string): Promise<PublishedProcedure | undefined>;
}

const PROCEDURE_ID = /^[a-z][a-z0-9-]*$/;
const VERSION = /^[0-9a-f]{16}$/;

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

export function createCatalog(options: CatalogOptions): Catalog {
  const { proceduresDir, policyFile, storeDir } = options;
  const today = options.today ?? (() => chinaDate());

  const storedPath = (id: string, version: string, ext: 'bpmn' | 'json') =>
    path.join(storeDir, id, `${version}.${ext}`);

  async function store(procedure: PublishedProcedure): Promise<void> {
    const { id, version } = procedure.graph;
    if ((await readIfPresent(storedPath(id, version, 'json'))) !== undefined) return;
    await mkdir(path.join(storeDir, id), { recursive: true });
    // The graph last: get() serves a version only once both halves are there.
    await writeAtomically(storedPath(id, version, 'bpmn'), procedure.bpmn);
    await writeAtomically(storedPath(id, version, 'json'), `${JSON.stringify(procedure.graph, null, 2)}\n`);
  }

  async function get(id: string, version: string): Promise<PublishedProcedure | undefined> {
    if (!PROCEDURE_ID.test(id) || !VERSION.test(version)) return undefined;
    const json = await readIfPresent(storedPath(id, version, 'json'));
    const bpmn = await readIfPresent(storedPath(id, version, 'bpmn'));
    if (json === undefined || bpmn === undefined) return undefined;
    return { bpmn, graph: ProcedureGraphSchema.parse(JSON.parse(json)) };
  }

  async function current(id: string, date: string, town?: string): Promise<PublishedProcedure | undefined> {
    if (!PROCEDURE_ID.test(id)) return undefined;
    // Messages name the file as the district knows it, never a server path (list() shows them publicly).
    const file = `${id}.bpmn`;
    const bpmn = await readIfPresent(path.join(proceduresDir, file));
    if (bpmn === undefined) return undefined;
    // Read on every call: a new policy file takes effect without a restart, and the old versions stay stored.
    const policyValues = policyValuesAt(loadPolicyFile(policyFile), date, town);
    const { graph, warnings } = await compileWithWarnings({ file, bpmn, policyValues });
    if (graph.id !== id) {
      throw new CompileError([
        {
          file,
          elementId: graph.id,
          elementType: 'bpmn:process',
          rule: 'bad-procedure-id',
          message: `the process id must match the file name (${id}.bpmn)`,
        },
      ]);
    }
    await store({ bpmn, graph });
    return { bpmn, graph, ...(warnings.length > 0 ? { warnings } : {}) };
  }

  async function storedVersions(id: string): Promise<{ versions: string[]; latest?: ProcedureGraph }> {
    const dir = path.join(storeDir, id);
    const names = (await listIfPresent(dir)).filter((n) => n.endsWith('.json') && VERSION.test(n.slice(0, -5)));
    const dated = await Promise.all(
      names.map(async (n) => ({ version: n.slice(0, -5), at: (await stat(path.join(dir, n))).mtimeMs })),
    );
    dated.sort((a, b) => a.at - b.at || a.version.localeCompare(b.version));
    const newest = dated[dated.length - 1];
    const latest = newest ? (await get(id, newest.version))?.graph : undefined;
    return { versions: dated.map((d) => d.version), ...(latest ? { latest } : {}) };
  }

  async function list(): Promise<CatalogEntry[]> {
    const files = (await listIfPresent(proceduresDir)).filter((n) => n.endsWith('.bpmn')).map((n) => n.slice(0, -5));
    // Procedures whose file is gone still have matters that started with them.
    const stored = (await listIfPresent(storeDir)).filter((n) => PROCEDURE_ID.test(n));
    const ids = [...new Set([...files, ...stored])].filter((id) => PROCEDURE_ID.test(id)).sort();
    const date = today();
    const entries: CatalogEntry[] = [];
    for (const id of ids) {
      let compiled: PublishedProcedure | undefined;
      let problems: CompileProblem[] | undefined;
      let warnings: CompileProblem[] | undefined;
      try {
        compiled = files.includes(id) ? await current(id, date) : undefined;
        warnings = compiled?.warnings;
      } catch (error) {
        if (!(error instanceof CompileError)) throw error;
        problems = error.problems;
        if (error.warnings.length > 0) warnings = error.warnings;
      }
      const { versions, latest } = await storedVersions(id);
      const name = compiled?.graph.name ?? latest?.name ?? { zh: id, en: id };
      entries.push({
        id,
        name,
        versions,
        ...(compiled ? { current: compiled.graph.version } : {}),
        ...(problems ? { problems } : {}),
        ...(warnings ? { warnings } : {}),
      });
    }
    return entries;
  }

  return { list, current, get };
}
