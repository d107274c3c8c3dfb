import type { ProcedureGraph } from './graph';

/** A compiled version of a procedure: the BPMN it was compiled from and its graph. */
export interface PublishedProcedure {
  bpmn: string;
  graph: ProcedureGraph;
}

/** A procedure id (the BPMN file's name): also a safe file name. */
export const PROCEDURE_ID = /^[a-z][a-z0-9-]*$/;
/** A procedure version: the content hash the compiler gives it. */
export const PROCEDURE_VERSION = /^[0-9a-f]{16}$/;

/**
 * Every version of every procedure ever compiled. A matter pins its version for years while the
 * files and the policy move on, so a version is written once and never changed. The default
 * adapter keeps files under DATA_DIR (stores/procedure-versions.ts).
 */
export interface ProcedureVersionStorePort {
  /** Keeps a version; one already kept stays as it was. */
  put(procedure: PublishedProcedure): Promise<void>;
  /** A kept version, or undefined (also for ids and versions that are not ones). */
  get(id: string, version: string): Promise<PublishedProcedure | undefined>;
  /** The procedures that have kept versions. */
  ids(): Promise<string[]>;
  /** The kept versions of a procedure, oldest first. */
  versions(id: string): Promise<string[]>;
}
