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

export interface CompileProblem {
  file: string;
  elementId: string;
  /** as written in the XML, e.g. `bpmn:userTask` */
  elementType: string;
  rule: CompileRule;
  message: string;
}

export class CompileError extends Error {
  override name = 'CompileError';
  constructor(readonly problems: CompileProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.elementId} (${p.elementType}): ${p.message}`).join('\n'));
  }
}

/** The element id of problems about the file as a whole. */
export const DOCUMENT = '(document)';

/** Problems are collected (not thrown one by one) so an author sees them all. */
export class Problems {
  readonly list: CompileProblem[] = [];
  constructor(readonly file: string) {}

  at(el: El, rule: CompileRule, message: string): void {
    this.add(idOf(el), xmlName(el.$type), rule, message);
  }

  add(elementId: string, elementType: string, rule: CompileRule, message: string): void {
    this.list.push({ file: this.file, elementId, elementType, rule, message });
  }
}
