import { feelName } from '../../common/engine';
import {
  MeetingBodySchema,
  RoleSchema,
  StepKindSchema,
  type Duration,
  type Field,
  type MeetingBody,
  type Role,
  type Step,
  type StepKind,
} from '../../common/graph';
import { MeetingRulesSchema } from '../../common/meeting';
import type { CompileContext, NodeBody, OutputType } from './context';
import { duration } from './durations';
import { noLoops } from './events';
import { compileFields, KINDS_WITH_FIELDS } from './fields';
import { idOf, text, words, type El } from './moddle';

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

export function compileUserTask(ctx: CompileContext, el: El): NodeBody | undefined {
  const id = idOf(el);
  noLoops(ctx, el);
  const name = ctx.label(el, true);
  if (!STEP_ID.test(id)) {
    ctx.problems.at(el, 'bad-step-id', 'a step id is lower-case words joined by hyphens (the API and FEEL name it)');
  }
  const kind = stepKind(el);
  const roles = stepRoles(el);
  const fields = compileFields(ctx, el, kind);
  const bodies = meetingBodies(ctx, el, kind);
  const window = disclosureWindow(ctx, el, kind);
  const deadlineText = text(el, 'deadline');
  const deadline = deadlineText === undefined ? undefined : duration(ctx, el, 'mp:deadline', deadlineText);
  if (kind === 'meeting' && bodies) meetingRules(ctx, el, bodies);
  const broken = (kind === 'meeting' && !bodies) || (kind === 'disclosure' && !window);
  if (!kind || !roles || !fields || broken || (deadlineText !== undefined && !deadline)) {
    ctx.brokenSteps.add(feelName(id));
    return undefined;
  }
  ctx.steps.set(feelName(id), {
    id,
    kind,
    outputs: outputs(kind, fields, bodies ?? []),
    types: outputTypes(kind, fields, bodies ?? []),
  });
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

// Reported by bpmnlint-plugin-mp (missing-kind, unknown-kind, missing-roles, unknown-role), which a
// modeler runs too: here a step without a kind or roles it knows is only left out of the graph.
function stepKind(el: El): StepKind | undefined {
  const kind = StepKindSchema.safeParse(text(el, 'kind'));
  return kind.success ? kind.data : undefined;
}

function stepRoles(el: El): Role[] | undefined {
  const raw = words(text(el, 'roles'));
  const roles = raw.flatMap((word) => {
    const role = RoleSchema.safeParse(word);
    return role.success ? [role.data] : [];
  });
  return raw.length > 0 && roles.length === raw.length ? roles : undefined;
}

function meetingBodies(ctx: CompileContext, el: El, kind: StepKind | undefined): MeetingBody[] | undefined {
  const raw = words(text(el, 'bodies'));
  if (kind !== 'meeting') {
    if (raw.length > 0) ctx.problems.at(el, 'misplaced-attribute', 'mp:bodies belongs on meeting steps only');
    return undefined;
  }
  if (raw.length === 0) {
    ctx.problems.at(el, 'missing-bodies', 'a meeting step needs mp:bodies: which body may hold it');
    return undefined;
  }
  const bodies: MeetingBody[] = [];
  for (const word of raw) {
    const body = MeetingBodySchema.safeParse(word);
    if (body.success) bodies.push(body.data);
    else ctx.problems.at(el, 'unknown-body', `unknown meeting body ${word} (${MeetingBodySchema.options.join(', ')})`);
  }
  return bodies.length === raw.length ? bodies : undefined;
}

function disclosureWindow(ctx: CompileContext, el: El, kind: StepKind | undefined): Duration | undefined {
  const raw = text(el, 'window');
  if (kind !== 'disclosure') {
    if (raw !== undefined) ctx.problems.at(el, 'misplaced-attribute', 'mp:window belongs on disclosure steps only');
    return undefined;
  }
  if (raw === undefined) {
    ctx.problems.at(el, 'missing-window', 'a disclosure step needs mp:window: how long the notice stays up');
    return undefined;
  }
  return duration(ctx, el, 'mp:window', raw);
}

/** The engine judges quorum and majority from these; without them a meeting could never be recorded. */
function meetingRules(ctx: CompileContext, el: El, bodies: MeetingBody[]): void {
  ctx.usedPolicy.add('meetingRules');
  const rules = MeetingRulesSchema.safeParse(ctx.policyValues.meetingRules);
  const missing = rules.success ? bodies.filter((body) => !rules.data[body]) : bodies;
  if (missing.length > 0) {
    ctx.problems.at(el, 'missing-meeting-rules', `the policy values have no meetingRules for ${missing.join(', ')}`);
  }
}

function outputs(kind: StepKind, fields: Field[], bodies: MeetingBody[]): Map<string, string[] | undefined> {
  const result = new Map<string, string[] | undefined>();
  for (const [name, domain] of Object.entries(KIND_OUTPUTS[kind])) {
    result.set(
      name,
      domain?.map((v) => JSON.stringify(v)),
    );
  }
  if (kind === 'meeting')
    result.set(
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
      result.set(field.name, domain);
    }
  }
  return result;
}

const NUMERIC = new Set(['amount', 'integer', 'number']);

function outputTypes(kind: StepKind, fields: Field[], bodies: MeetingBody[]): Map<string, OutputType> {
  const literals = (values: readonly string[]) => values.map((v) => JSON.stringify(v));
  const result = new Map<string, OutputType>();
  for (const [name, domain] of Object.entries(KIND_OUTPUTS[kind])) {
    const type = name === 'opinions' ? 'number' : 'string';
    result.set(name, domain ? { type, values: literals(domain) } : { type });
  }
  if (kind === 'meeting') result.set('body', { type: 'string', values: literals(bodies) });
  if (KINDS_WITH_FIELDS.has(kind)) {
    for (const field of fields) {
      if (field.type === 'enum') result.set(field.name, { type: 'string', values: literals(field.values ?? []) });
      else if (field.type === 'boolean') result.set(field.name, { type: 'boolean' });
      else result.set(field.name, { type: NUMERIC.has(field.type) ? 'number' : 'string' });
    }
  }
  return result;
}

/** Two steps may not share a FEEL name, nor take one FEEL reads as syntax. */
export function checkStepNames(ctx: CompileContext): void {
  const byName = new Map<string, string>();
  for (const el of ctx.elements) {
    if (el.$type !== 'bpmn:UserTask') continue;
    const id = idOf(el);
    const name = feelName(id);
    const other = byName.get(name);
    if (RESERVED_FEEL_NAMES.has(name)) {
      ctx.problems.at(el, 'step-name-collision', `step ${id} would be ${name} in FEEL, which is reserved`);
    } else if (other !== undefined) {
      ctx.problems.at(el, 'step-name-collision', `steps ${other} and ${id} are both ${name} in FEEL`);
    }
    byName.set(name, id);
  }
}
