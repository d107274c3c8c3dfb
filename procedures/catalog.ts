import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../common/canonical-json';
import { chinaDate } from '../common/china-date';
import type { Label, ProcedureGraph } from '../common/graph';
import { PROCEDURE_ID, type ProcedureVersionStorePort, type PublishedProcedure } from '../common/procedure-versions';
import { CompileError, compileProcedure, type CompileProblem } from './compiler';
import { loadPolicyFile, parsePolicy, policyValuesAt, type PolicyFile, type PolicyValues } from './policy';

/**
 * The procedure catalog: the BPMN files of a directory, compiled with the policy in force, and
 * every version ever compiled, kept in a store (common/procedure-versions.ts): a matter pins its
 * version for years while the files and the policy move on.
 */

export type { PublishedProcedure };

export interface CatalogOptions {
  proceduresDir: string;
  policyFile: string;
  /** where compiled versions are kept (stores/procedure-versions.ts) */
  versions: ProcedureVersionStorePort;
  /** today's date (YYYY-MM-DD) for `list()`; the villages' calendar day by default */
  today?: () => string;
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
}

export interface Catalog {
  list(): Promise<CatalogEntry[]>;
  /** Compiles `id` with the policy in force on `date` (and `town`'s overlay) and stores that version. */
  current(id: string, date: string, town?: string): Promise<PublishedProcedure | undefined>;
  get(id: string, version: string): Promise<PublishedProcedure | undefined>;
}

function isMissing(error: unknown): boolean {
  // Not instanceof Error: fs errors come from another realm under jest.
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** The procedures' source files are read (never written) here; compiled versions go to the store. */
async function sourceIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function sourceFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** How many compiled versions (and policy days) a catalog keeps in memory; they change rarely. */
const CACHED = 256;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function createCatalog(options: CatalogOptions): Catalog {
  const { proceduresDir, policyFile, versions: store } = options;
  const today = options.today ?? (() => chinaDate());

  // Each version is compiled once (~15 ms of parsing and checking), not at every start: keyed by
  // the content that makes it (file name, BPMN text, policy values). A file that does not compile
  // fails the same way every time, so its error is kept too.
  const compiled = new Map<string, Promise<ProcedureGraph>>();
  function compileOnce(file: string, bpmn: string, policy: { values: PolicyValues; key: string }) {
    const key = `${sha256(`${file}\u0000${bpmn}`)}:${policy.key}`;
    let graph = compiled.get(key);
    if (!graph) {
      if (compiled.size >= CACHED) compiled.clear();
      graph = compileProcedure({ file, bpmn, policyValues: policy.values });
      compiled.set(key, graph);
    }
    return graph;
  }

  // The policy file is read at every start, so an edit takes effect without a restart; it is parsed
  // (~50 ms of schema checks) only when its text changed, and its values for a day computed once.
  let policy: { text: string; file: PolicyFile; at: Map<string, { values: PolicyValues; key: string }> } | undefined;
  async function policyAt(date: string, town?: string): Promise<{ values: PolicyValues; key: string }> {
    const text = await readFile(policyFile, 'utf8').catch(() => undefined);
    if (text === undefined) {
      // unreadable: loadPolicyFile throws the error that names the file
      const values = policyValuesAt(loadPolicyFile(policyFile), date, town);
      return { values, key: sha256(canonicalJson(values)) };
    }
    if (policy?.text !== text) policy = { text, file: parsePolicy(policyFile, text), at: new Map() };
    const day = `${date}\u0000${town ?? ''}`;
    let found = policy.at.get(day);
    if (!found) {
      const values = policyValuesAt(policy.file, date, town);
      found = { values, key: sha256(canonicalJson(values)) };
      if (policy.at.size >= CACHED) policy.at.clear();
      policy.at.set(day, found);
    }
    return found;
  }

  /** Versions kept (or being kept) by this catalog: a start does not ask the store again. */
  const kept = new Map<string, Promise<void>>();

  function keep(procedure: PublishedProcedure): Promise<void> {
    const key = `${procedure.graph.id}/${procedure.graph.version}`;
    let done = kept.get(key);
    if (!done) {
      // a failed write is tried again by the next start
      done = store.put(procedure).catch((error: unknown) => {
        kept.delete(key);
        throw error;
      });
      kept.set(key, done);
    }
    return done;
  }

  async function current(id: string, date: string, town?: string): Promise<PublishedProcedure | undefined> {
    if (!PROCEDURE_ID.test(id)) return undefined;
    // Messages name the file as the district knows it, never a server path (list() shows them publicly).
    const file = `${id}.bpmn`;
    const bpmn = await sourceIfPresent(path.join(proceduresDir, file));
    if (bpmn === undefined) return undefined;
    // The policy in force that day (a new policy file takes effect without a restart; old versions stay stored).
    const graph = await compileOnce(file, bpmn, await policyAt(date, town));
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
    const published = { bpmn, graph };
    await keep(published);
    return published;
  }

  async function storedVersions(id: string): Promise<{ versions: string[]; latest?: ProcedureGraph }> {
    const versions = await store.versions(id);
    const newest = versions[versions.length - 1];
    const latest = newest ? (await store.get(id, newest))?.graph : undefined;
    return { versions, ...(latest ? { latest } : {}) };
  }

  async function list(): Promise<CatalogEntry[]> {
    const files = (await sourceFiles(proceduresDir)).filter((n) => n.endsWith('.bpmn')).map((n) => n.slice(0, -5));
    // Procedures whose file is gone still have matters that started with them.
    const stored = await store.ids();
    const ids = [...new Set([...files, ...stored])].filter((id) => PROCEDURE_ID.test(id)).sort();
    const date = today();
    const entries: CatalogEntry[] = [];
    for (const id of ids) {
      let compiled: PublishedProcedure | undefined;
      let problems: CompileProblem[] | undefined;
      try {
        compiled = files.includes(id) ? await current(id, date) : undefined;
      } catch (error) {
        if (!(error instanceof CompileError)) throw error;
        problems = error.problems;
      }
      const { versions, latest } = await storedVersions(id);
      const name = compiled?.graph.name ?? latest?.name ?? { zh: id, en: id };
      entries.push({
        id,
        name,
        versions,
        ...(compiled ? { current: compiled.graph.version } : {}),
        ...(problems ? { problems } : {}),
      });
    }
    return entries;
  }

  return { list, current, get: (id, version) => store.get(id, version) };
}
