import type { ProcedureGraph } from '../common/graph';

/** What the API needs of the procedure catalog (procedures/catalog.ts provides it). */
export interface CatalogPort {
  list(): Promise<{ id: string; name: { zh: string; en: string }; versions: string[] }[]>;
  /** Compiles with the policy in force on `date` (YYYY-MM-DD), with `town`'s overrides, and keeps that version servable. */
  current(id: string, date: string, town?: string): Promise<{ graph: ProcedureGraph; bpmn: string } | undefined>;
  get(id: string, version: string): Promise<{ graph: ProcedureGraph; bpmn: string } | undefined>;
}
