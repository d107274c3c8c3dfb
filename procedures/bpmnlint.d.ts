/** bpmnlint ships no types for its entry points: the compiler needs just this much (lib/types.d.ts has the rest). */
declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    category: 'warn' | 'error' | 'info' | 'rule-error';
  }

  export class Linter {
    constructor(options: { config: Record<string, unknown>; resolver: unknown });
    lint(moddleRoot: unknown): Promise<Record<string, LintReport[]>>;
  }
}

declare module 'bpmnlint/lib/resolver/node-resolver' {
  export default class NodeResolver {
    constructor(options?: { require?: NodeJS.Require });
  }
}
