import { FIELD_TYPES, PARTY_KINDS, type Field, type Personal, type StepKind } from '../../common/graph';
import type { CompileContext } from './context';
import { idOf, mpFields, text, words, type El } from './moddle';

/** The engine keeps the fields of these kinds only; on the others, fields would be silently lost. */
export const KINDS_WITH_FIELDS = new Set<StepKind>(['submit', 'record', 'meeting']);
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

/** The `mp:field`s of a user task; undefined when any is wrong (each problem reported). */
export function compileFields(ctx: CompileContext, el: El, kind: StepKind | undefined): Field[] | undefined {
  const elements = mpFields(el);
  if (kind && !KINDS_WITH_FIELDS.has(kind) && elements.length > 0) {
    ctx.problems.add(idOf(el), 'mp:field', 'bad-field', `${kind} steps take no fields: the engine would drop them`);
    return undefined;
  }
  const fields: Field[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const element of elements) {
    const field = compileField(ctx, el, element, kind);
    if (!field) {
      ok = false;
      continue;
    }
    if (seen.has(field.name)) {
      ctx.problems.add(idOf(el), 'mp:field', 'duplicate-field', `field ${field.name} is declared twice`);
      ok = false;
    }
    seen.add(field.name);
    fields.push(field);
  }
  const personalOk = checkPersonal(ctx, el, fields);
  return ok && personalOk ? fields : undefined;
}

function compileField(ctx: CompileContext, task: El, el: El, kind: StepKind | undefined): Field | undefined {
  const name = text(el, 'name');
  const errors: string[] = [];
  const fail = (message: string) => errors.push(message);
  if (!name || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) fail('name must be letters and digits, starting with a letter');
  if (name && kind === 'meeting' && MEETING_RESERVED.has(name)) fail(`name ${name} is reserved by the meeting record`);
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
  const personal = personalText === undefined ? undefined : parsePersonal(personalText.trim());
  if (personalText !== undefined && !personal)
    fail('personal must be true or <field>=<value> (e.g. payeeKind=individual)');
  if (personalText !== undefined && !textual) fail('personal belongs on text fields only');
  if (errors.length > 0 || !name || !type || !zh || !en) {
    for (const error of errors) ctx.problems.add(idOf(task), 'mp:field', 'bad-field', `field ${name ?? '?'}: ${error}`);
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
function parsePersonal(raw: string): Personal | undefined {
  if (raw === 'true') return true;
  const match = /^([a-zA-Z][a-zA-Z0-9]*)=(\S+)$/.exec(raw);
  return match?.[1] !== undefined && match[2] !== undefined ? { field: match[1], equals: match[2] } : undefined;
}

/** A conditional `personal` must test an enum field of the same step for one of its values. */
function checkPersonal(ctx: CompileContext, task: El, fields: Field[]): boolean {
  let ok = true;
  for (const field of fields) {
    const rule = field.personal;
    if (rule === undefined || rule === true) continue;
    const other = fields.find((f) => f.name === rule.field);
    if (other?.type !== 'enum' || !other.values?.includes(rule.equals)) {
      ctx.problems.add(
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
