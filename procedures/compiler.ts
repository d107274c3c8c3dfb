import { createHash } from 'node:crypto';
import { BpmnModdle, type ParseWarning } from 'bpmn-moddle';
import { evaluate, parseExpression } from 'feelin';
import { canonicalJson } from '../common/canonical-json';
import { feelName } from '../common/engine';
import {
  DurationSchema,
  FIELD_TYPES,
  MeetingBodySchema,
  PARTY_KINDS,
  ProcedureGraphSchema,
  RoleSchema,
  StepKindSchema,
  type Duration,
  type Field,
  type Flow,
  type GraphNode,
  type Label,
  type MeetingBody,
  type Personal,
  type ProcedureGraph,
  type Role,
  type Step,
  type StepKind,
} from '../common/graph';
import { MeetingRulesSchema } from '../common/meeting';
import mpDescriptor from './mp-moddle.json';

/**
 * The procedure compiler: one BPMN file plus the policy values in force → a ProcedureGraph.
 * It refuses everything the engine would otherwise meet at run time, months into a matter:
 * an element it cannot run, a step nobody may act on, a condition that reads nothing, a gateway
 * where no flow holds. Problems are collected (not thrown one by one) so an author sees them all.
 * See procedures/README.md for the supported subset.
 */

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

export interface CompileInput {
  /** shown in messages only */
  file: string;
  bpmn: string;
  /** the policy values in force (procedures/policy.ts `policyValuesAt`) */
  policyValues: Record<string, unknown>;
}

export { canonicalJson };

/** `version`: the BPMN text and the policy values it uses, so either changing gives a new version. */
export function procedureVersion(bpmn: string, policy: Record<string, unknown>): string {
  return createHash('sha256').update(bpmn).update('\0').update(canonicalJson(policy)).digest('hex').slice(0, 16);
}

export async function compileProcedure(input: CompileInput): Promise<ProcedureGraph> {
  const problems = new Problems(input.file);
  const definitions = await parseDefinitions(input.bpmn, problems);
  const process = findProcess(definitions, problems);
  if (!process) throw new CompileError(problems.list);
  const compiled = new ProcessCompiler(process, input.policyValues, problems).compile();
  if (problems.list.length > 0 || !compiled) throw new CompileError(problems.list);
  const policy = Object.fromEntries(compiled.policyKeys.sort().map((key) => [key, input.policyValues[key]]));
  return ProcedureGraphSchema.parse({
    id: compiled.id,
    name: compiled.name,
    version: procedureVersion(input.bpmn, policy),
    policy,
    startEvent: compiled.startEvent,
    ...(compiled.link ? { link: compiled.link } : {}),
    ...(compiled.split ? { split: compiled.split } : {}),
    nodes: compiled.nodes,
    flows: compiled.flows,
  });
}

// ---------------------------------------------------------------- moddle elements, read with care

/** A moddle element: every property is `unknown` until checked, because the XML can hold anything. */
interface El {
  readonly $type: string;
  readonly [key: string]: unknown;
}

function isEl(value: unknown): value is El {
  return typeof value === 'object' && value !== null && '$type' in value && typeof value.$type === 'string';
}

function text(el: El, key: string): string | undefined {
  const value = el[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function children(el: El, key: string): El[] {
  const value = el[key];
  return Array.isArray(value) ? value.filter(isEl) : [];
}

function child(el: El, key: string): El | undefined {
  const value = el[key];
  return isEl(value) ? value : undefined;
}

function idOf(el: El): string {
  return text(el, 'id') ?? '(no id)';
}

/** What `extensionElements` holds that the mp namespace defines (other vendors' extensions are ignored). */
function mpFields(el: El): El[] {
  const extensions = child(el, 'extensionElements');
  return extensions ? children(extensions, 'values').filter((v) => v.$type === 'mp:Field') : [];
}

/** `bpmn:UserTask` → `bpmn:userTask`: the name the author sees in the XML. */
function xmlName(type: string): string {
  const [prefix, local] = type.includes(':') ? type.split(':', 2) : ['', type];
  const tag = (local ?? '').charAt(0).toLowerCase() + (local ?? '').slice(1);
  return prefix ? `${prefix}:${tag}` : tag;
}

function words(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter((w) => w !== ''))];
}

class Problems {
  readonly list: CompileProblem[] = [];
  constructor(readonly file: string) {}

  at(el: El, rule: CompileRule, message: string): void {
    this.add(idOf(el), xmlName(el.$type), rule, message);
  }

  add(elementId: string, elementType: string, rule: CompileRule, message: string): void {
    this.list.push({ file: this.file, elementId, elementType, rule, message });
  }
}

// ---------------------------------------------------------------- parsing

const DOCUMENT = '(document)';

async function parseDefinitions(bpmn: string, problems: Problems): Promise<El> {
  let result: Awaited<ReturnType<BpmnModdle['fromXML']>>;
  try {
    result = await new BpmnModdle({ mp: mpDescriptor }).fromXML(bpmn);
  } catch (error) {
    // Never let the parser's own error escape: callers (API, CLI) handle CompileError only.
    problems.add(DOCUMENT, 'xml', 'malformed-xml', describeParseFailure(error));
    throw new CompileError(problems.list);
  }
  let structural = false;
  for (const warning of result.warnings) structural = reportWarning(warning, problems) || structural;
  // Dropped elements and dangling references would only cascade into confusing follow-up problems.
  if (structural) throw new CompileError(problems.list);
  if (!isEl(result.rootElement)) {
    problems.add(DOCUMENT, 'xml', 'malformed-xml', 'not a BPMN 2.0 document');
    throw new CompileError(problems.list);
  }
  return result.rootElement;
}

const UNPARSABLE =
  /^unparsable content <?([^>]*?)>?\s*detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/;

function lineColumn(line: string, column: string): string {
  // moddle counts from 0; editors count from 1.
  return `line ${Number(line) + 1}, column ${Number(column) + 1}`;
}

function describeParseFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) {
    const [, , line = '0', column = '0', nested = ''] = unparsable;
    // At the end of the input the parser's position is not a line and column.
    if (/end of file/.test(nested)) return `malformed XML: ${nested.trim()}`;
    return `malformed XML at ${lineColumn(line, column)}: ${nested.trim()}`;
  }
  if (message.startsWith('failed to parse document as')) {
    return 'not a BPMN 2.0 document: the root element must be bpmn:definitions';
  }
  return `malformed XML: ${message.replace(/\s+/g, ' ').trim()}`;
}

/** Returns true for warnings after which the model is incomplete. */
function reportWarning(warning: ParseWarning, problems: Problems): boolean {
  const element = isEl(warning.element) ? warning.element : undefined;
  const attribute = /^unknown attribute <(.+)>$/.exec(warning.message);
  if (attribute && element) {
    problems.at(element, 'unknown-attribute', `attribute ${attribute[1]} is not allowed on this element`);
    return false;
  }
  const reference = /^unresolved reference <(.+)>$/.exec(warning.message);
  if (reference && element) {
    const property = (warning.property ?? 'reference').replace(/^bpmn:/, '');
    problems.at(element, 'unresolved-reference', `${property} refers to ${reference[1]}, which does not exist`);
    return true;
  }
  const unparsable = UNPARSABLE.exec(warning.message);
  if (unparsable) {
    const [, tag = '', line = '0', column = '0', nested = ''] = unparsable;
    const duplicate = /^duplicate ID <(.+)>$/.exec(nested.trim());
    if (duplicate) {
      problems.add(
        duplicate[1] ?? DOCUMENT,
        tag,
        'duplicate-id',
        `id used twice (again at ${lineColumn(line, column)})`,
      );
    } else if (/^(unknown type|unrecognized element) </.test(nested.trim())) {
      problems.add(DOCUMENT, tag, 'unknown-element', `unknown element at ${lineColumn(line, column)}`);
    } else {
      problems.add(DOCUMENT, tag, 'malformed-xml', `cannot read at ${lineColumn(line, column)}: ${nested.trim()}`);
    }
    return true;
  }
  problems.add(
    element ? idOf(element) : DOCUMENT,
    element ? xmlName(element.$type) : 'xml',
    'malformed-xml',
    warning.message.replace(/\s+/g, ' ').trim(),
  );
  return true;
}

function findProcess(definitions: El, problems: Problems): El | undefined {
  const processes: El[] = [];
  for (const root of children(definitions, 'rootElements')) {
    if (root.$type === 'bpmn:Process') processes.push(root);
    else problems.at(root, 'unsupported-element', 'not in the supported BPMN subset (one process, no pools)');
  }
  if (processes.length !== 1) {
    problems.add(
      DOCUMENT,
      'bpmn:definitions',
      'process-count',
      `a procedure file holds exactly one process, found ${processes.length}`,
    );
    return undefined;
  }
  return processes[0];
}

// ---------------------------------------------------------------- the process

const NODE_TYPES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
]);
/** Not flow nodes: no flow enters or leaves them, so they take no part in the graph checks. */
const DATA_TYPES = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
const ALLOWED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association']);

const PROCEDURE_ID = /^[a-z][a-z0-9-]*$/;
const STEP_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Names a step may not take in FEEL: the other variables, and words FEEL reads as syntax. */
const RESERVED_FEEL_NAMES = new Set([
  'policy',
  'matter',
  'item',
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'and',
  'or',
  'between',
  'instance',
  'of',
  'function',
  'true',
  'false',
  'null',
  'not',
  'date',
  'time',
  'duration',
]);

const LITERAL_DURATION = /^(\d+(?:\.\d+)?)\s+(seconds|minutes|hours|days|workingDays)$/;

/** What a completed step puts in FEEL's reach (common/engine.ts completeStep), with fixed values where known. */
const KIND_OUTPUTS: Record<StepKind, Record<string, readonly string[] | undefined>> = {
  submit: {},
  record: {},
  review: { decision: ['approved', 'objected'], reason: undefined },
  approval: { decision: ['approved', 'rejected'], reason: undefined },
  // an inquorate meeting does not complete the step, so passed | rejected is the whole domain
  meeting: { outcome: ['passed', 'rejected'], body: undefined },
  disclosure: { opinions: undefined },
};
/** The engine keeps the fields of these kinds only; on the others, fields would be silently lost. */
const KINDS_WITH_FIELDS = new Set<StepKind>(['submit', 'record', 'meeting']);
/** A meeting record's own keys: a field of the same name would be taken for them (engine splits by name). */
const MEETING_RESERVED = new Set([
  'outcome',
  'body',
  'date',
  'minutesHash',
  'members',
  'present',
  'inFavour',
  'against',
  'abstain',
  'households',
  'householdsRepresented',
]);

interface StepScope {
  id: string;
  kind: StepKind;
  /** output name → its finite domain as FEEL literals, when it has one */
  outputs: Map<string, string[] | undefined>;
}

interface ConditionTest {
  variable: string;
  equals: boolean;
  literal: string;
}

interface Compiled {
  id: string;
  name: Label;
  startEvent: string;
  nodes: Record<string, GraphNode>;
  flows: Record<string, Flow>;
  policyKeys: string[];
  link?: ProcedureGraph['link'];
  split?: ProcedureGraph['split'];
}

/** Omit applied to each member of a union, so each node type keeps its own properties. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A node before its flows are known. */
type NodeBody = OmitEach<GraphNode, 'incoming' | 'outgoing'>;

class ProcessCompiler {
  private readonly elements: El[] = [];
  private readonly sequenceFlows: El[] = [];
  private readonly byId = new Map<string, El>();
  private readonly incoming = new Map<string, string[]>();
  private readonly outgoing = new Map<string, string[]>();
  private readonly flowEnds = new Map<string, { source: string; target: string }>();
  private readonly steps = new Map<string, StepScope>();
  /** FEEL names of steps that failed to compile: conditions reading them are not blamed twice. */
  private readonly brokenSteps = new Set<string>();
  private readonly usedPolicy = new Set<string>();
  private readonly conditionTests = new Map<string, ConditionTest | undefined>();

  constructor(
    private readonly process: El,
    private readonly policyValues: Record<string, unknown>,
    private readonly problems: Problems,
  ) {}

  compile(): Compiled | undefined {
    const id = text(this.process, 'id') ?? '';
    if (!PROCEDURE_ID.test(id)) {
      this.problems.at(
        this.process,
        'bad-procedure-id',
        'the process id names the procedure: lower-case words and hyphens',
      );
    }
    const name = this.label(this.process, true);
    this.collectElements();
    this.connectFlows();

    const nodes: Record<string, GraphNode> = {};
    for (const el of this.elements) {
      const body = this.compileNode(el);
      if (body) nodes[body.id] = { ...body, incoming: this.in(body.id), outgoing: this.out(body.id) };
    }
    this.checkStepNames();
    const flows: Record<string, Flow> = {};
    for (const el of this.sequenceFlows) {
      const flow = this.compileFlow(el);
      if (flow) flows[flow.id] = flow;
    }
    for (const el of this.elements) if (el.$type === 'bpmn:ExclusiveGateway') this.checkGateway(el, nodes);
    const startEvent = this.checkStructure();
    const link = this.compileLink(nodes);
    const split = this.compileSplit(nodes);
    if (startEvent === undefined) return undefined;
    return {
      id,
      name,
      startEvent,
      nodes,
      flows,
      policyKeys: [...this.usedPolicy],
      ...(link ? { link } : {}),
      ...(split ? { split } : {}),
    };
  }

  /** A number from the policy named as `policy:<key>`, remembered as used; undefined when it is not one. */
  private policyNumber(reference: string): number | undefined {
    const key = /^policy:(.+)$/.exec(reference)?.[1];
    const value = key === undefined ? undefined : this.policyValues[key];
    if (key === undefined || typeof value !== 'number') return undefined;
    this.usedPolicy.add(key);
    return value;
  }

  /** `mp:splitPayee="<step>.<field>"`, `mp:splitWindow="policy:<days>"`, `mp:splitTiers="policy:<a> policy:<b>"`; the amount is mp:linkAmount's. */
  private compileSplit(nodes: Record<string, GraphNode>): ProcedureGraph['split'] {
    const payee = text(this.process, 'splitPayee');
    const window = text(this.process, 'splitWindow');
    const tiers = text(this.process, 'splitTiers');
    if (payee === undefined && window === undefined && tiers === undefined) return undefined;
    const fail = (message: string) => {
      this.problems.at(this.process, 'bad-split', message);
      return undefined;
    };
    const amount = text(this.process, 'linkAmount');
    if (!payee || !window || !tiers || !amount) {
      return fail('mp:splitPayee, mp:splitWindow and mp:splitTiers go together, with mp:linkAmount naming the amount');
    }
    const [stepId, payeeField] = payee.split('.');
    const [amountStep, amountField] = amount.split('.');
    const node = stepId === undefined ? undefined : nodes[stepId];
    const field = node?.type === 'userTask' ? node.step.fields.find((f) => f.name === payeeField) : undefined;
    if (!field || amountStep !== stepId || amountField === undefined) {
      return fail(`mp:splitPayee must name a field of the step that holds the amount, not ${payee}`);
    }
    const windowDays = this.policyNumber(window);
    if (windowDays === undefined || windowDays <= 0)
      return fail(`mp:splitWindow must be policy:<key> naming a number of days, not ${window}`);
    const tierValues = tiers.split(/\s+/).map((t) => this.policyNumber(t));
    if (tierValues.some((t) => t === undefined || t <= 0))
      return fail(`mp:splitTiers must be policy:<key> numbers, not ${tiers}`);
    return {
      step: stepId ?? '',
      payeeField: field.name,
      amountField,
      windowDays,
      tiers: tierValues.filter((t): t is number => t !== undefined),
    };
  }

  /** `mp:linkProcedure`, `mp:linkAbove="policy:<key>"`, `mp:linkAmount="<step>.<amount field>"`, all or none. */
  private compileLink(nodes: Record<string, GraphNode>): ProcedureGraph['link'] {
    const procedure = text(this.process, 'linkProcedure');
    const above = text(this.process, 'linkAbove');
    const amount = text(this.process, 'linkAmount');
    if (procedure === undefined && above === undefined && amount === undefined) return undefined;
    const fail = (message: string) => {
      this.problems.at(this.process, 'bad-link', message);
      return undefined;
    };
    if (!procedure || !above || !amount) return fail('mp:linkProcedure, mp:linkAbove and mp:linkAmount go together');
    if (!PROCEDURE_ID.test(procedure)) return fail(`mp:linkProcedure must be a procedure id, not ${procedure}`);
    const key = /^policy:(.+)$/.exec(above)?.[1];
    const threshold = key === undefined ? undefined : this.policyValues[key];
    if (key === undefined || typeof threshold !== 'number') {
      return fail(`mp:linkAbove must be policy:<key> naming a number in the policy, not ${above}`);
    }
    const [stepId, fieldName] = amount.split('.');
    const node = stepId === undefined ? undefined : nodes[stepId];
    const field = node?.type === 'userTask' ? node.step.fields.find((f) => f.name === fieldName) : undefined;
    if (field?.type !== 'amount')
      return fail(`mp:linkAmount must name an amount field as <step>.<field>, not ${amount}`);
    this.usedPolicy.add(key);
    return { procedure, above: threshold, step: stepId ?? '', field: field.name };
  }

  private in(id: string): string[] {
    return this.incoming.get(id) ?? [];
  }

  private out(id: string): string[] {
    return this.outgoing.get(id) ?? [];
  }

  private label(el: El, required: boolean): Label {
    const zh = text(el, 'name');
    const en = text(el, 'nameEn');
    if (required && (!zh || !en)) {
      const missing = [zh ? undefined : 'name (Chinese)', en ? undefined : 'mp:nameEn (English)'].filter(Boolean);
      this.problems.at(el, 'missing-name', `needs ${missing.join(' and ')}`);
    }
    // Events and gateways may go unnamed in the drawing; the engine still needs a label.
    const fallback = zh ?? idOf(el);
    return { zh: fallback, en: en ?? fallback };
  }

  // ---- elements

  private collectElements(): void {
    for (const el of children(this.process, 'flowElements')) {
      if (el.$type === 'bpmn:SequenceFlow') {
        this.sequenceFlows.push(el);
        continue;
      }
      if (!NODE_TYPES.has(el.$type)) {
        this.problems.at(el, 'unsupported-element', 'not in the supported BPMN subset (see procedures/README.md)');
        if (DATA_TYPES.has(el.$type)) continue;
      }
      // Unsupported flow nodes stay in the graph checks, so one bad element gives one problem.
      this.elements.push(el);
      this.byId.set(idOf(el), el);
    }
    for (const el of children(this.process, 'artifacts')) {
      if (!ALLOWED_ARTIFACTS.has(el.$type)) {
        this.problems.at(el, 'unsupported-element', 'not in the supported BPMN subset (see procedures/README.md)');
      }
    }
  }

  private connectFlows(): void {
    for (const flow of this.sequenceFlows) {
      const source = child(flow, 'sourceRef');
      const target = child(flow, 'targetRef');
      const ends = [
        ['sourceRef', source],
        ['targetRef', target],
      ] as const;
      let ok = true;
      for (const [attribute, end] of ends) {
        if (!end || !this.byId.has(idOf(end))) {
          ok = false;
          const what = end ? `${idOf(end)}, a ${xmlName(end.$type)}` : 'nothing';
          this.problems.at(flow, 'bad-flow-endpoint', `${attribute} is ${what}, not a flow node of this process`);
        }
      }
      if (!ok || !source || !target) continue;
      const flowId = idOf(flow);
      this.flowEnds.set(flowId, { source: idOf(source), target: idOf(target) });
      this.outgoing.set(idOf(source), [...this.out(idOf(source)), flowId]);
      this.incoming.set(idOf(target), [...this.in(idOf(target)), flowId]);
    }
  }

  private compileNode(el: El): NodeBody | undefined {
    const id = idOf(el);
    if (el.$type !== 'bpmn:UserTask' && mpFields(el).length > 0) {
      this.problems.add(id, 'mp:field', 'bad-field', 'fields belong on user tasks');
    }
    if (el.$type !== 'bpmn:ExclusiveGateway' && child(el, 'default')) {
      this.problems.at(el, 'bad-default', 'only an exclusive gateway may have a default flow');
    }
    switch (el.$type) {
      case 'bpmn:StartEvent':
        this.onlyEventDefinitions(el, []);
        return { id, type: 'startEvent', name: this.label(el, false) };
      case 'bpmn:EndEvent': {
        this.onlyEventDefinitions(el, []);
        const outcome = text(el, 'outcome');
        if (!outcome)
          this.problems.at(el, 'missing-outcome', 'an end event needs mp:outcome (e.g. completed, rejected)');
        return outcome ? { id, type: 'endEvent', name: this.label(el, false), outcome } : undefined;
      }
      case 'bpmn:UserTask':
        return this.compileUserTask(el);
      case 'bpmn:ServiceTask': {
        this.noLoops(el);
        const name = this.label(el, true);
        const action = text(el, 'action');
        if (!action) this.problems.at(el, 'missing-action', 'a service task needs mp:action naming what it does');
        return action ? { id, type: 'serviceTask', name, action } : undefined;
      }
      case 'bpmn:ExclusiveGateway': {
        const name = this.label(el, false);
        const only = this.out(id);
        const defaultFlow = child(el, 'default');
        // A lone unconditioned way out (a merge) is the way taken: make it explicit for the engine.
        const lone = !defaultFlow && only.length === 1 && only[0] && !this.conditionText(only[0]) ? only[0] : undefined;
        const chosen = defaultFlow ? idOf(defaultFlow) : lone;
        return chosen
          ? { id, type: 'exclusiveGateway', name, default: chosen }
          : { id, type: 'exclusiveGateway', name };
      }
      case 'bpmn:ParallelGateway':
        return { id, type: 'parallelGateway', name: this.label(el, false) };
      case 'bpmn:IntermediateCatchEvent': {
        const duration = this.timer(el);
        return duration ? { id, type: 'timerCatchEvent', name: this.label(el, false), duration } : undefined;
      }
      case 'bpmn:BoundaryEvent':
        return this.compileBoundary(el);
      default:
        return undefined;
    }
  }

  private onlyEventDefinitions(el: El, allowed: string[]): boolean {
    const definitions = children(el, 'eventDefinitions');
    const bad = definitions.filter((d) => !allowed.includes(d.$type));
    for (const definition of bad) {
      this.problems.at(el, 'unsupported-element', `${xmlName(definition.$type)} is not supported here`);
    }
    return bad.length === 0;
  }

  private noLoops(el: El): void {
    const loop = child(el, 'loopCharacteristics');
    if (loop) this.problems.at(el, 'unsupported-element', `${xmlName(loop.$type)} is not supported`);
  }

  private timer(el: El): Duration | undefined {
    if (!this.onlyEventDefinitions(el, ['bpmn:TimerEventDefinition'])) return undefined;
    const definition = children(el, 'eventDefinitions')[0];
    if (!definition) {
      this.problems.at(el, 'unsupported-element', 'only timer events are supported: add a timerEventDefinition');
      return undefined;
    }
    const duration = child(definition, 'timeDuration');
    const body = duration ? text(duration, 'body') : undefined;
    if (!body || child(definition, 'timeDate') || child(definition, 'timeCycle')) {
      this.problems.at(
        el,
        'unsupported-timer',
        'a timer needs exactly a timeDuration (timeDate and timeCycle are not supported)',
      );
      return undefined;
    }
    return this.duration(el, 'timeDuration', body);
  }

  private compileBoundary(el: El): NodeBody | undefined {
    const host = child(el, 'attachedToRef');
    if (!host || host.$type !== 'bpmn:UserTask') {
      const what = host ? `${idOf(host)}, a ${xmlName(host.$type)}` : 'nothing';
      this.problems.at(el, 'boundary-not-on-user-task', `a timer boundary event goes on a user task, not on ${what}`);
    }
    const duration = this.timer(el);
    if (!host || !duration) return undefined;
    return {
      id: idOf(el),
      type: 'boundaryTimerEvent',
      name: this.label(el, false),
      attachedTo: idOf(host),
      // BPMN's default for cancelActivity is true: only an explicit "false" keeps the step running.
      interrupting: el.cancelActivity !== false,
      duration,
    };
  }

  // ---- steps

  private compileUserTask(el: El): NodeBody | undefined {
    const id = idOf(el);
    this.noLoops(el);
    const name = this.label(el, true);
    if (!STEP_ID.test(id)) {
      this.problems.at(el, 'bad-step-id', 'a step id is lower-case words joined by hyphens (the API and FEEL name it)');
    }
    const kind = this.stepKind(el);
    const roles = this.roles(el);
    const fields = this.fields(el, kind);
    const bodies = this.bodies(el, kind);
    const window = this.window(el, kind);
    const deadlineText = text(el, 'deadline');
    const deadline = deadlineText === undefined ? undefined : this.duration(el, 'mp:deadline', deadlineText);
    if (kind === 'meeting' && bodies) this.meetingRules(el, bodies);
    const broken = (kind === 'meeting' && !bodies) || (kind === 'disclosure' && !window);
    if (!kind || !roles || !fields || broken || (deadlineText !== undefined && !deadline)) {
      this.brokenSteps.add(feelName(id));
      return undefined;
    }
    this.steps.set(feelName(id), { id, kind, outputs: this.outputs(kind, fields, bodies ?? []) });
    const step: Step = {
      kind,
      roles,
      fields,
      ...(bodies ? { bodies } : {}),
      ...(window ? { window } : {}),
      ...(deadline ? { deadline } : {}),
    };
    return { id, type: 'userTask', name, step };
  }

  private stepKind(el: El): StepKind | undefined {
    const raw = text(el, 'kind');
    if (raw === undefined) {
      this.problems.at(el, 'missing-kind', `a step needs mp:kind (${StepKindSchema.options.join(', ')})`);
      return undefined;
    }
    const kind = StepKindSchema.safeParse(raw);
    if (!kind.success) {
      this.problems.at(el, 'unknown-kind', `mp:kind ${raw} is not one of ${StepKindSchema.options.join(', ')}`);
      return undefined;
    }
    return kind.data;
  }

  private roles(el: El): Role[] | undefined {
    const raw = words(text(el, 'roles'));
    if (raw.length === 0) {
      this.problems.at(el, 'missing-roles', 'a step needs mp:roles: who may act on it');
      return undefined;
    }
    const roles: Role[] = [];
    for (const word of raw) {
      const role = RoleSchema.safeParse(word);
      if (role.success) roles.push(role.data);
      else this.problems.at(el, 'unknown-role', `unknown role ${word} (roles: ${RoleSchema.options.join(', ')})`);
    }
    return roles.length === raw.length ? roles : undefined;
  }

  private bodies(el: El, kind: StepKind | undefined): MeetingBody[] | undefined {
    const raw = words(text(el, 'bodies'));
    if (kind !== 'meeting') {
      if (raw.length > 0) this.problems.at(el, 'misplaced-attribute', 'mp:bodies belongs on meeting steps only');
      return undefined;
    }
    if (raw.length === 0) {
      this.problems.at(el, 'missing-bodies', 'a meeting step needs mp:bodies: which body may hold it');
      return undefined;
    }
    const bodies: MeetingBody[] = [];
    for (const word of raw) {
      const body = MeetingBodySchema.safeParse(word);
      if (body.success) bodies.push(body.data);
      else
        this.problems.at(el, 'unknown-body', `unknown meeting body ${word} (${MeetingBodySchema.options.join(', ')})`);
    }
    return bodies.length === raw.length ? bodies : undefined;
  }

  private window(el: El, kind: StepKind | undefined): Duration | undefined {
    const raw = text(el, 'window');
    if (kind !== 'disclosure') {
      if (raw !== undefined) this.problems.at(el, 'misplaced-attribute', 'mp:window belongs on disclosure steps only');
      return undefined;
    }
    if (raw === undefined) {
      this.problems.at(el, 'missing-window', 'a disclosure step needs mp:window: how long the notice stays up');
      return undefined;
    }
    return this.duration(el, 'mp:window', raw);
  }

  /** The engine judges quorum and majority from these; without them a meeting could never be recorded. */
  private meetingRules(el: El, bodies: MeetingBody[]): void {
    this.usedPolicy.add('meetingRules');
    const rules = MeetingRulesSchema.safeParse(this.policyValues.meetingRules);
    const missing = rules.success ? bodies.filter((body) => !rules.data[body]) : bodies;
    if (missing.length > 0) {
      this.problems.at(el, 'missing-meeting-rules', `the policy values have no meetingRules for ${missing.join(', ')}`);
    }
  }

  private outputs(kind: StepKind, fields: Field[], bodies: MeetingBody[]): Map<string, string[] | undefined> {
    const outputs = new Map<string, string[] | undefined>();
    for (const [name, domain] of Object.entries(KIND_OUTPUTS[kind])) {
      outputs.set(
        name,
        domain?.map((v) => JSON.stringify(v)),
      );
    }
    if (kind === 'meeting')
      outputs.set(
        'body',
        bodies.map((b) => JSON.stringify(b)),
      );
    if (KINDS_WITH_FIELDS.has(kind)) {
      for (const field of fields) {
        // An optional field may be absent, and then no `=` test on it holds: no finite domain.
        const domain = !field.required
          ? undefined
          : field.type === 'enum'
            ? field.values?.map((v) => JSON.stringify(v))
            : field.type === 'boolean'
              ? ['true', 'false']
              : undefined;
        outputs.set(field.name, domain);
      }
    }
    return outputs;
  }

  private fields(el: El, kind: StepKind | undefined): Field[] | undefined {
    const elements = mpFields(el);
    if (kind && !KINDS_WITH_FIELDS.has(kind) && elements.length > 0) {
      this.problems.add(idOf(el), 'mp:field', 'bad-field', `${kind} steps take no fields: the engine would drop them`);
      return undefined;
    }
    const fields: Field[] = [];
    const seen = new Set<string>();
    let ok = true;
    for (const element of elements) {
      const field = this.field(el, element, kind);
      if (!field) {
        ok = false;
        continue;
      }
      if (seen.has(field.name)) {
        this.problems.add(idOf(el), 'mp:field', 'duplicate-field', `field ${field.name} is declared twice`);
        ok = false;
      }
      seen.add(field.name);
      fields.push(field);
    }
    const personalOk = this.checkPersonal(el, fields);
    return ok && personalOk ? fields : undefined;
  }

  private field(task: El, el: El, kind: StepKind | undefined): Field | undefined {
    const name = text(el, 'name');
    const errors: string[] = [];
    const fail = (message: string) => errors.push(message);
    if (!name || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) fail('name must be letters and digits, starting with a letter');
    if (name && kind === 'meeting' && MEETING_RESERVED.has(name))
      fail(`name ${name} is reserved by the meeting record`);
    const type = FIELD_TYPES.find((t) => t === text(el, 'type'));
    if (!type) fail(`type must be one of ${FIELD_TYPES.join(', ')}`);
    const required = text(el, 'required') ?? 'false';
    if (required !== 'true' && required !== 'false') fail('required must be true or false');
    const zh = text(el, 'label');
    const en = text(el, 'labelEn');
    if (!zh || !en) fail('needs label (Chinese) and labelEn (English)');
    const values = words(text(el, 'values'));
    if (type === 'enum' && values.length === 0) fail('an enum needs values');
    if (type !== 'enum' && values.length > 0) fail('values belong on enum fields only');
    const numeric = type === 'amount' || type === 'integer' || type === 'number';
    const number = (key: 'min' | 'max'): number | undefined => {
      const raw = text(el, key);
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (!numeric) fail(`${key} belongs on number fields only`);
      else if (!Number.isFinite(value)) fail(`${key} must be a number`);
      return value;
    };
    const min = number('min');
    const max = number('max');
    if (min !== undefined && max !== undefined && min > max) fail('min is above max');
    const maxLengthText = text(el, 'maxLength');
    const maxLength = maxLengthText === undefined ? undefined : Number(maxLengthText);
    if (maxLength !== undefined && type !== 'string' && type !== 'text') fail('maxLength belongs on text fields only');
    else if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
      fail('maxLength must be a positive whole number');
    }
    const partyText = text(el, 'party');
    const party = PARTY_KINDS.find((k) => k === partyText);
    if (partyText !== undefined && !party) fail(`party must be one of ${PARTY_KINDS.join(', ')}`);
    const textual = type === 'string' || type === 'text';
    if (partyText !== undefined && !textual) fail('party belongs on text fields only');
    const personalText = text(el, 'personal');
    const personal = personalText === undefined ? undefined : this.personal(personalText.trim());
    if (personalText !== undefined && !personal)
      fail('personal must be true or <field>=<value> (e.g. payeeKind=individual)');
    if (personalText !== undefined && !textual) fail('personal belongs on text fields only');
    if (errors.length > 0 || !name || !type || !zh || !en) {
      for (const error of errors)
        this.problems.add(idOf(task), 'mp:field', 'bad-field', `field ${name ?? '?'}: ${error}`);
      return undefined;
    }
    return {
      name,
      type,
      label: { zh, en },
      required: required === 'true',
      ...(type === 'enum' ? { values } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(party ? { party } : {}),
      ...(personal !== undefined ? { personal } : {}),
    };
  }

  /** `personal="true"` or `personal="<field>=<value>"`; the other field is checked once all are read. */
  private personal(raw: string): Personal | undefined {
    if (raw === 'true') return true;
    const match = /^([a-zA-Z][a-zA-Z0-9]*)=(\S+)$/.exec(raw);
    return match?.[1] !== undefined && match[2] !== undefined ? { field: match[1], equals: match[2] } : undefined;
  }

  /** A conditional `personal` must test an enum field of the same step for one of its values. */
  private checkPersonal(task: El, fields: Field[]): boolean {
    let ok = true;
    for (const field of fields) {
      const rule = field.personal;
      if (rule === undefined || rule === true) continue;
      const other = fields.find((f) => f.name === rule.field);
      if (other?.type !== 'enum' || !other.values?.includes(rule.equals)) {
        this.problems.add(
          idOf(task),
          'mp:field',
          'bad-field',
          `field ${field.name}: personal must test an enum field of the same step for one of its values, not ${rule.field}=${rule.equals}`,
        );
        ok = false;
      }
    }
    return ok;
  }

  private checkStepNames(): void {
    const byName = new Map<string, string>();
    for (const el of this.elements) {
      if (el.$type !== 'bpmn:UserTask') continue;
      const id = idOf(el);
      const name = feelName(id);
      const other = byName.get(name);
      if (RESERVED_FEEL_NAMES.has(name)) {
        this.problems.at(el, 'step-name-collision', `step ${id} would be ${name} in FEEL, which is reserved`);
      } else if (other !== undefined) {
        this.problems.at(el, 'step-name-collision', `steps ${other} and ${id} are both ${name} in FEEL`);
      }
      byName.set(name, id);
    }
  }

  // ---- durations and policy

  private duration(el: El, attribute: string, raw: string): Duration | undefined {
    const value = raw.trim();
    if (value.startsWith('policy:')) {
      const key = value.slice('policy:'.length).trim();
      if (!Object.hasOwn(this.policyValues, key)) {
        this.problems.at(
          el,
          'unknown-policy-key',
          `${attribute} reads policy key ${key}, which the policy does not define`,
        );
        return undefined;
      }
      this.usedPolicy.add(key);
      const parsed = DurationSchema.strict().safeParse(this.policyValues[key]);
      if (!parsed.success) {
        this.problems.at(el, 'bad-duration', `${attribute}: policy value ${key} is not a duration {amount, unit}`);
        return undefined;
      }
      return parsed.data;
    }
    const literal = LITERAL_DURATION.exec(value);
    const parsed = literal ? DurationSchema.safeParse({ amount: Number(literal[1]), unit: literal[2] }) : undefined;
    if (!parsed?.success) {
      this.problems.at(
        el,
        'bad-duration',
        `${attribute} "${raw}" is not a duration: write "<n> <unit>" (seconds, minutes, hours, days, workingDays) or "policy:<key>"`,
      );
      return undefined;
    }
    return parsed.data;
  }

  // ---- flows and FEEL

  private conditionText(flowId: string): string | undefined {
    const flow = this.sequenceFlows.find((f) => idOf(f) === flowId);
    const condition = flow ? child(flow, 'conditionExpression') : undefined;
    return condition ? text(condition, 'body') : undefined;
  }

  private compileFlow(el: El): Flow | undefined {
    const id = idOf(el);
    const ends = this.flowEnds.get(id);
    if (!ends) return undefined;
    const zh = text(el, 'name');
    const en = text(el, 'nameEn');
    const name = zh || en ? { zh: zh ?? en ?? id, en: en ?? zh ?? id } : undefined;
    const expression = child(el, 'conditionExpression');
    const condition = expression ? text(expression, 'body') : undefined;
    const flow: Flow = { id, source: ends.source, target: ends.target, ...(name ? { name } : {}) };
    if (condition === undefined || !expression) return flow;

    const source = this.byId.get(ends.source);
    if (source?.$type !== 'bpmn:ExclusiveGateway') {
      this.problems.at(
        el,
        'condition-outside-exclusive-gateway',
        'only flows leaving an exclusive gateway carry conditions',
      );
      return flow;
    }
    if (source && child(source, 'default') === el) {
      this.problems.at(
        el,
        'condition-on-default',
        'a default flow is taken when no condition holds: it has none itself',
      );
      return flow;
    }
    const language = text(expression, 'language');
    if (language !== undefined && !/feel/i.test(language)) {
      this.problems.at(el, 'condition-language', `conditions are FEEL, not ${language}`);
      return flow;
    }
    const checked = this.checkFeel(el, condition);
    if (checked.ok) this.conditionTests.set(id, checked.test);
    return { ...flow, condition };
  }

  /** Lints a FEEL condition; when clean, also returns its `x = "lit"` shape if it has one (for the exhaustiveness proof). */
  private checkFeel(flow: El, source: string): { ok: boolean; test?: ConditionTest } {
    const context = this.feelContext();
    let tree: ReturnType<typeof parseExpression>;
    try {
      tree = parseExpression(source, context, undefined);
    } catch (error) {
      this.problems.at(flow, 'feel-syntax', `FEEL condition "${source}" does not parse: ${String(error)}`);
      return { ok: false };
    }
    const nodes: SyntaxNode[] = [];
    tree.iterate({ enter: (ref) => void nodes.push(ref.node) });
    const broken = nodes.find((n) => n.type.isError);
    if (broken) {
      const near = source.slice(broken.from, broken.to);
      const what = near ? `unexpected "${near}"` : `incomplete ${broken.parent?.name ?? 'expression'}`;
      this.problems.at(
        flow,
        'feel-syntax',
        `FEEL condition "${source}" does not parse: ${what} at position ${broken.from + 1}`,
      );
      return { ok: false };
    }
    const locals = localNames(nodes, source);
    let ok = true;
    for (const node of nodes) {
      if (node.name !== 'VariableName' || insideType(node)) continue;
      const name = source.slice(node.from, node.to);
      if (isCallee(node)) ok = this.checkFunction(flow, name) && ok;
      else if (!locals.has(name)) ok = this.checkVariable(flow, source, name, pathOf(node, source)) && ok;
    }
    return ok ? { ok, test: equalityTest(tree.topNode, source) } : { ok };
  }

  private feelContext(): Record<string, unknown> {
    // The parser needs the names in scope to read multi-word and dotted names the way the engine will.
    const context: Record<string, unknown> = {
      policy: this.policyValues,
      matter: { village: null, procedure: null },
    };
    for (const [name, step] of this.steps)
      context[name] = Object.fromEntries([...step.outputs.keys()].map((k) => [k, null]));
    return context;
  }

  /** false when the call is refused. */
  private checkFunction(flow: El, name: string): boolean {
    if (name === 'now' || name === 'today') {
      const message = `${name}() is refused: a condition must give the same answer on replay`;
      this.problems.at(flow, 'feel-nondeterministic', message);
      return false;
    }
    if (isBuiltin(name)) return true;
    this.problems.at(flow, 'feel-unknown-function', `FEEL condition calls unknown function ${name}()`);
    return false;
  }

  /** false when the read is refused, or reads a step that is itself broken (already reported). */
  private checkVariable(flow: El, source: string, name: string, path: string[]): boolean {
    const [first] = path;
    if (name === 'policy') return this.checkPolicyRead(flow, path);
    if (name === 'matter') {
      if (first === undefined || first === 'village' || first === 'procedure') return true;
      const message = `FEEL condition reads matter.${first}; matter has village, procedure`;
      this.problems.at(flow, 'feel-unknown-variable', message);
      return false;
    }
    if (this.brokenSteps.has(name)) return false;
    const step = this.steps.get(name);
    if (!step) {
      const hyphenated = [...this.steps.values()].find((s) => s.id.includes('-') && source.includes(s.id));
      const hint = hyphenated ? ` (step ${hyphenated.id} is ${feelName(hyphenated.id)} in FEEL)` : '';
      this.problems.at(flow, 'feel-unknown-variable', `FEEL condition reads unknown variable ${name}${hint}`);
      return false;
    }
    if (first === undefined || step.outputs.has(first)) return true;
    const known = [...step.outputs.keys()].join(', ') || 'none';
    const message = `FEEL condition reads ${name}.${first}, but step ${step.id} (${step.kind}) has no output ${first} (outputs: ${known})`;
    this.problems.at(flow, 'feel-unknown-variable', message);
    return false;
  }

  private checkPolicyRead(flow: El, path: string[]): boolean {
    // Keys are flat and may contain dots: `policy.a.b.c` reads the longest key among a, a.b, a.b.c.
    for (let length = path.length; length > 0; length -= 1) {
      const key = path.slice(0, length).join('.');
      if (Object.hasOwn(this.policyValues, key)) {
        this.usedPolicy.add(key);
        return true;
      }
    }
    if (path.length === 0) {
      this.problems.at(flow, 'feel-unknown-variable', 'FEEL condition reads policy as a whole: read policy.<key>');
    } else {
      const read = ['policy', ...path].join('.');
      this.problems.at(flow, 'unknown-policy-key', `FEEL condition reads ${read}, which the policy does not define`);
    }
    return false;
  }

  private checkGateway(gateway: El, nodes: Record<string, GraphNode>): void {
    const id = idOf(gateway);
    const outgoing = this.out(id);
    const defaultFlow = child(gateway, 'default');
    if (defaultFlow && !outgoing.includes(idOf(defaultFlow))) {
      this.problems.at(gateway, 'bad-default', `default flow ${idOf(defaultFlow)} does not leave this gateway`);
      return;
    }
    const node = nodes[id];
    const chosenDefault = node?.type === 'exclusiveGateway' ? node.default : undefined;
    const conditioned = outgoing.filter((f) => f !== chosenDefault);
    const unconditioned = conditioned.filter((f) => this.conditionText(f) === undefined);
    for (const flowId of unconditioned) {
      this.problems.add(
        flowId,
        'bpmn:sequenceFlow',
        'missing-condition',
        `leaves exclusive gateway ${id} without a condition and is not its default`,
      );
    }
    if (chosenDefault || unconditioned.length > 0 || conditioned.length === 0) return;
    // Only when every condition linted cleanly: a broken one already has its own problem.
    if (!conditioned.every((f) => this.conditionTests.has(f))) return;
    const verdict = exhaustive(
      conditioned.map((f) => this.conditionTests.get(f)),
      (v) => this.domainOf(v),
    );
    if (verdict !== true) this.problems.at(gateway, 'gateway-not-exhaustive', verdict);
  }

  private domainOf(variable: string): string[] | undefined {
    const [name = '', output = ''] = variable.split('.');
    return this.steps.get(name)?.outputs.get(output);
  }

  // ---- the shape of the graph

  /** Returns the start event's id, or undefined when there is not exactly one. */
  private checkStructure(): string | undefined {
    const starts = this.elements.filter((el) => el.$type === 'bpmn:StartEvent');
    if (starts.length !== 1) {
      this.problems.at(
        this.process,
        'start-event-count',
        `a procedure has exactly one start event, found ${starts.length}`,
      );
    }
    for (const el of this.elements) {
      const id = idOf(el);
      const into = this.in(id);
      const from = this.out(id);
      if (el.$type === 'bpmn:StartEvent' && into.length > 0) {
        this.problems.at(el, 'start-event-incoming', `nothing flows into a start event (${into.join(', ')})`);
      }
      if (el.$type === 'bpmn:EndEvent' && from.length > 0) {
        this.problems.at(el, 'end-event-outgoing', `nothing flows out of an end event (${from.join(', ')})`);
      }
      if (el.$type === 'bpmn:BoundaryEvent' && into.length > 0) {
        this.problems.at(
          el,
          'boundary-event-incoming',
          `a boundary event starts with its step, not from a flow (${into.join(', ')})`,
        );
      }
    }
    const start = starts.length === 1 ? starts[0] : undefined;
    if (!start) return undefined;

    const reached = this.walk([idOf(start)], (id) => [
      ...this.out(id).map((f) => this.flowEnds.get(f)?.target),
      ...this.elements.filter((el) => this.hostOf(el) === id).map(idOf),
    ]);
    const ends = this.elements.filter((el) => el.$type === 'bpmn:EndEvent').map(idOf);
    // A step must reach an end through its own flows: leaving only by a timer would strand a completed step.
    const finishing = this.walk(ends, (id) => this.in(id).map((f) => this.flowEnds.get(f)?.source));
    for (const el of this.elements) {
      const id = idOf(el);
      if (!reached.has(id)) this.problems.at(el, 'unreachable', 'cannot be reached from the start event');
      if (!finishing.has(id)) this.problems.at(el, 'no-path-to-end', 'no path leads from here to an end event');
    }
    return idOf(start);
  }

  private hostOf(el: El): string | undefined {
    const host = child(el, 'attachedToRef');
    return host ? idOf(host) : undefined;
  }

  private walk(from: string[], next: (id: string) => (string | undefined)[]): Set<string> {
    const seen = new Set<string>(from);
    const queue = [...from];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const to of next(id)) {
        if (to !== undefined && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    return seen;
  }
}

// ---------------------------------------------------------------- FEEL syntax trees

type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

/** feelin resolves a built-in's name to the function itself; anything else to null. */
function isBuiltin(name: string): boolean {
  try {
    return typeof evaluate(name, {}).value === 'function';
  } catch {
    return false;
  }
}

function sameSpan(a: SyntaxNode | null, b: SyntaxNode): boolean {
  return a !== null && a.from === b.from && a.to === b.to;
}

function isCallee(node: SyntaxNode): boolean {
  return node.parent?.name === 'FunctionInvocation' && sameSpan(node.parent.firstChild, node);
}

/** `x instance of number`: `number` is a type name, not a variable. */
function insideType(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.name === 'Type') return true;
  return false;
}

/** Names the expression binds itself: iteration variables, parameters, context keys, a filter's `item`. */
function localNames(nodes: SyntaxNode[], source: string): Set<string> {
  const locals = new Set<string>();
  for (const node of nodes) {
    const parent = node.parent?.name;
    if (node.name === 'Name' && (parent === 'InExpression' || parent === 'ParameterName' || parent === 'Key')) {
      locals.add(source.slice(node.from, node.to));
    }
    if (node.name === 'FilterExpression') locals.add('item');
  }
  return locals;
}

/** `a.b.c` read from its variable: ['b', 'c'] (a dotted context key arrives as one name, split again here). */
function pathOf(variable: SyntaxNode, source: string): string[] {
  const segments: string[] = [];
  let current = variable;
  for (let parent = current.parent; parent?.name === 'PathExpression' && sameSpan(parent.firstChild, current);) {
    const last = parent.lastChild;
    if (last?.name === 'PathName')
      segments.push(
        ...source
          .slice(last.from, last.to)
          .split('.')
          .map((s) => s.trim()),
      );
    current = parent;
    parent = current.parent;
  }
  return segments;
}

function childNodes(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!c.name.endsWith('Comment')) list.push(c);
  return list;
}

/** `step.output = "lit"`, `step.output != "lit"`, `step.output = true`, either way round; else undefined. */
function equalityTest(top: SyntaxNode, source: string): ConditionTest | undefined {
  const [comparison, ...rest] = childNodes(top);
  if (!comparison || rest.length > 0 || comparison.name !== 'Comparison') return undefined;
  const [left, op, right, ...more] = childNodes(comparison);
  if (!left || !op || !right || more.length > 0 || op.name !== 'CompareOp') return undefined;
  const operator = source.slice(op.from, op.to);
  if (operator !== '=' && operator !== '!=') return undefined;
  const [path, value] = left.name === 'PathExpression' ? [left, right] : [right, left];
  const literal = literalOf(value, source);
  const parts = childNodes(path);
  const variable = parts[0];
  const property = parts[parts.length - 1];
  if (literal === undefined || path.name !== 'PathExpression' || variable?.name !== 'VariableName') return undefined;
  if (property?.name !== 'PathName') return undefined;
  return {
    variable: `${source.slice(variable.from, variable.to)}.${source.slice(property.from, property.to)}`,
    equals: operator === '=',
    literal,
  };
}

function literalOf(node: SyntaxNode, source: string): string | undefined {
  const raw = source.slice(node.from, node.to);
  if (node.name === 'BooleanLiteral') return raw;
  if (node.name !== 'StringLiteral') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * true when the conditions provably cover every case: some output with a finite domain is tested
 * with = / != only, and those tests together accept every value. Otherwise, why not (a message).
 */
function exhaustive(
  tests: (ConditionTest | undefined)[],
  domainOf: (variable: string) => string[] | undefined,
): true | string {
  const covered = new Map<string, Set<string>>();
  for (const test of tests) {
    const domain = test ? domainOf(test.variable) : undefined;
    if (!test || !domain) continue;
    const accepted = test.equals ? domain.filter((v) => v === test.literal) : domain.filter((v) => v !== test.literal);
    covered.set(test.variable, new Set([...(covered.get(test.variable) ?? []), ...accepted]));
  }
  for (const [variable, values] of covered) {
    if (domainOf(variable)?.every((v) => values.has(v))) return true;
  }
  const [only] = covered.keys();
  const onlyValues = only === undefined ? undefined : covered.get(only);
  if (covered.size === 1 && only !== undefined && onlyValues && tests.every((t) => t?.variable === only)) {
    const missing = (domainOf(only) ?? []).filter((v) => !onlyValues.has(v));
    return `no default flow, and the conditions on ${only} miss ${missing.join(', ')}: add a flow for it or a default flow`;
  }
  return 'no default flow, and the conditions cannot be proven to cover every case: add a default flow';
}
