import { idOf, xmlName, type El } from './moddle';

export const COMPILE_RULES = [
  'malformed-xml',
  'unknown-element',
  'duplicate-id',
  'unresolved-reference',
  'unknown-attribute',
  'process-count',
  'bad-procedure-id',
  'unsupported-element',
  'unsupported-timer',
  'missing-name',
  'start-event-count',
  'start-event-incoming',
  'end-event-outgoing',
  'boundary-event-incoming',
  'boundary-not-on-user-task',
  'bad-flow-endpoint',
  'unreachable',
  'no-path-to-end',
  'missing-outcome',
  'unknown-outcome',
  'missing-action',
  'bad-step-id',
  'step-name-collision',
  'missing-kind',
  'unknown-kind',
  'missing-roles',
  'unknown-role',
  'missing-bodies',
  'unknown-body',
  'missing-window',
  'misplaced-attribute',
  'bad-field',
  'duplicate-field',
  'bad-duration',
  'duration-too-long',
  'unknown-policy-key',
  'missing-meeting-rules',
  'condition-outside-exclusive-gateway',
  'condition-language',
  'condition-on-default',
  'missing-condition',
  'bad-default',
  'feel-syntax',
  'feel-unknown-variable',
  'feel-unknown-function',
  'feel-nondeterministic',
  'feel-equality',
  'feel-unknown-value',
  'feel-type',
  'feel-step-not-run',
  'gateway-not-exhaustive',
  'bad-link',
  'bad-split',
  'unsafe-parallel',
  'join-waits-forever',
  'token-left-behind',
  'cannot-end',
  'gateway-loop',
  'too-complex',
  'missing-diagram',
] as const;
export type CompileRule = (typeof COMPILE_RULES)[number];

/** Findings that do not refuse a file: the author should still read them. */
export const COMPILE_WARNINGS = ['declared-encoding'] as const;
export type CompileWarning = (typeof COMPILE_WARNINGS)[number];

/** A rule of bpmnlint's recommended config (procedures/compiler/lint.ts), e.g. `bpmnlint/no-implicit-split`. */
export type LintRule = `bpmnlint/${string}`;

export interface CompileProblem {
  file: string;
  elementId: string;
  /** as written in the XML, e.g. `bpmn:userTask` */
  elementType: string;
  rule: CompileRule | CompileWarning | LintRule;
  message: string;
}

export class CompileError extends Error {
  override name = 'CompileError';
  constructor(
    readonly problems: CompileProblem[],
    /** what the compiler would have reported beside the graph */
    readonly warnings: CompileProblem[] = [],
  ) {
    // element, rule and message: what an author needs to find it, look the rule up and fix it
    super(problems.map((p) => `${p.file}: ${p.elementId} (${p.elementType}) [${p.rule}]: ${p.message}`).join('\n'));
  }
}

/** The element id of problems about the file as a whole. */
export const DOCUMENT = '(document)';

/** Problems are collected (not thrown one by one) so an author sees them all. */
export class Problems {
  readonly list: CompileProblem[] = [];
  readonly warnings: CompileProblem[] = [];
  constructor(readonly file: string) {}

  at(el: El, rule: CompileRule, message: string): void {
    this.add(idOf(el), xmlName(el.$type), rule, message);
  }

  add(elementId: string, elementType: string, rule: CompileRule | LintRule, message: string): void {
    this.list.push({ file: this.file, elementId, elementType, rule, message });
  }

  warn(elementId: string, elementType: string, rule: CompileRule | CompileWarning | LintRule, message: string): void {
    this.warnings.push({ file: this.file, elementId, elementType, rule, message });
  }

  /** The problems found, and the warnings beside them. */
  error(): CompileError {
    return new CompileError(this.list, this.warnings);
  }
}
