import type { Field, Label, MeetingBody, Step } from '../../../common/graph';
import type { MessageKey } from '../i18n';

/**
 * Forms come from the step's definition in the procedure graph, never from a hand-written page
 * per step: a new procedure file gets its forms for free.
 */

export type InputKind =
  'text' | 'password' | 'textarea' | 'number' | 'integer' | 'amount' | 'date' | 'checkbox' | 'select' | 'hash';

export interface FormField {
  name: string;
  label: Label;
  kind: InputKind;
  required: boolean;
  options?: { value: string; label: Label }[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** shown (and sent) only when the meeting body is this one */
  onlyForBody?: MeetingBody;
}

export interface FormSpec {
  step: string | null;
  action: string;
  fields: FormField[];
  comment: 'none' | 'optional' | 'required';
  /** meeting record: the live quorum check applies */
  meeting?: { bodies: MeetingBody[] };
}

const VALUE_LABELS: Record<string, Label> = {
  infrastructure: { zh: '基础设施', en: 'Infrastructure' },
  land: { zh: '土地', en: 'Land' },
  finance: { zh: '财务', en: 'Finance' },
  welfare: { zh: '民生福利', en: 'Welfare' },
  other: { zh: '其他', en: 'Other' },
  individual: { zh: '个人', en: 'Individual' },
  organisation: { zh: '单位', en: 'Organisation' },
  revise: { zh: '退回修改', en: 'Revise' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  works: { zh: '工程', en: 'Works' },
  goods: { zh: '货物', en: 'Goods' },
  services: { zh: '服务', en: 'Services' },
  lease: { zh: '出租', en: 'Lease' },
  contracting: { zh: '发包', en: 'Contracting' },
  sale: { zh: '出售', en: 'Sale' },
  villagers: { zh: '村民会议', en: "Villagers' assembly" },
  representatives: { zh: '村民代表会议', en: "Representatives' assembly" },
  'party-members': { zh: '党员大会', en: "Party members' assembly" },
  'two-committees': { zh: '两委联席会议', en: 'Joint meeting of the two committees' },
};

export function valueLabel(value: string): Label {
  return VALUE_LABELS[value] ?? { zh: value, en: value };
}

function fromField(field: Field): FormField {
  const kind: InputKind =
    field.type === 'string'
      ? 'text'
      : field.type === 'text'
        ? 'textarea'
        : field.type === 'boolean'
          ? 'checkbox'
          : field.type === 'enum'
            ? 'select'
            : field.type;
  return {
    name: field.name,
    label: field.label,
    kind,
    required: field.required,
    ...(field.values ? { options: field.values.map((value) => ({ value, label: valueLabel(value) })) } : {}),
    ...(field.min !== undefined ? { min: field.min } : {}),
    ...(field.max !== undefined ? { max: field.max } : {}),
    ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
  };
}

const count = (name: string, zh: string, en: string, min: number, onlyForBody?: MeetingBody): FormField => ({
  name,
  label: { zh, en },
  kind: 'integer',
  required: onlyForBody === undefined,
  min,
  ...(onlyForBody ? { onlyForBody } : {}),
});

/** What a meeting record carries besides the step's own fields (see procedures/README.md). */
function meetingFields(bodies: MeetingBody[]): FormField[] {
  return [
    {
      name: 'body',
      label: { zh: '会议', en: 'Meeting body' },
      kind: 'select',
      required: true,
      options: bodies.map((value) => ({ value, label: valueLabel(value) })),
    },
    { name: 'date', label: { zh: '会议日期', en: 'Date of the meeting' }, kind: 'date', required: true },
    count('members', '应到人数', 'Members who should attend', 1),
    count('present', '实到人数', 'Members present', 0),
    count('inFavour', '同意', 'In favour', 0),
    count('against', '反对', 'Against', 0),
    count('abstain', '弃权', 'Abstaining', 0),
    count('households', '全村户数', 'Households in the village', 1, 'villagers'),
    count('householdsRepresented', '到会户代表数', 'Households represented', 0, 'villagers'),
    {
      name: 'minutesHash',
      label: { zh: '会议记录（上传文件或拍照）', en: 'Minutes (upload a file or take a photo)' },
      kind: 'hash',
      required: true,
    },
  ];
}

/** The form for one action on one step; `step` null is an action on the whole matter. */
export function formFor(
  step: { id: string; def: Step } | null,
  action: string,
  /** rule-objection: the steps an upheld objection may send the matter back to */
  steps: { id: string; name: Label }[] = [],
): FormSpec {
  const id = step?.id ?? null;
  const base = { step: id, action };
  switch (action) {
    case 'submit':
      return { ...base, fields: (step?.def.fields ?? []).map(fromField), comment: 'optional' };
    case 'record': {
      const bodies = step?.def.bodies ?? [];
      return {
        ...base,
        fields: [...meetingFields(bodies), ...(step?.def.fields ?? []).map(fromField)],
        comment: 'optional',
        meeting: { bodies },
      };
    }
    case 'approve':
    case 'confirm':
      return { ...base, fields: [], comment: 'optional' };
    case 'object':
    case 'reject':
    case 'object-record':
    case 'raise-objection':
      return { ...base, fields: [], comment: 'required' };
    case 'answer-objection':
      return {
        ...base,
        fields: [{ name: 'answer', label: { zh: '答复', en: 'Answer' }, kind: 'textarea', required: true }],
        comment: 'none',
      };
    case 'accept-answer':
      return { ...base, fields: [], comment: 'optional' };
    case 'rule-objection':
      return {
        ...base,
        fields: [
          {
            name: 'ruling',
            label: { zh: '裁定', en: 'Ruling' },
            kind: 'select',
            required: true,
            options: [
              { value: 'uphold', label: { zh: '异议成立', en: 'Uphold' } },
              { value: 'dismiss', label: { zh: '异议不成立，恢复办理', en: 'Dismiss: the matter resumes' } },
            ],
          },
          {
            name: 'backTo',
            label: {
              zh: '异议成立时：退回到哪一步，或终止事项',
              en: 'If upheld: back to which step, or stop the matter',
            },
            kind: 'select',
            required: false,
            options: [
              ...steps.map((s) => ({ value: s.id, label: s.name })),
              { value: STOP_CHOICE, label: { zh: '终止事项', en: 'Stop the matter' } },
            ],
          },
        ],
        // the engine refuses a ruling without a reason: the form asks for one first
        comment: 'required',
      };
    default:
      return { ...base, fields: [], comment: 'optional' };
  }
}

/** The ruling form's choice to stop the matter: a value no step id can take (BPMN ids are XML names). */
export const STOP_CHOICE = '*stop';

/**
 * A ruling as the engine takes it: dismissed, it resumes the matter (no step, no stop); upheld, it
 * goes back to the chosen step, or stops the matter, said so (common/engine/objections.ts).
 */
export function rulingData(data: Record<string, unknown>): Record<string, unknown> {
  const { ruling, backTo } = data;
  if (ruling !== 'uphold') return { ruling };
  if (backTo === STOP_CHOICE) return { ruling, stop: true };
  return backTo === undefined ? { ruling } : { ruling, backTo };
}

export interface FormProblem {
  field: string;
  message: MessageKey;
}

export interface Collected {
  data: Record<string, unknown>;
  comment?: string;
  problems: FormProblem[];
}

/** The form's raw values (strings, checkbox booleans) as the API expects them, or what is wrong. */
export function collect(spec: FormSpec, raw: Record<string, string | boolean | undefined>): Collected {
  const data: Record<string, unknown> = {};
  const problems: FormProblem[] = [];
  const body = typeof raw.body === 'string' ? raw.body : undefined;
  for (const field of spec.fields) {
    if (field.onlyForBody && field.onlyForBody !== body) continue;
    const value = raw[field.name];
    if (field.kind === 'checkbox') {
      data[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (field.required) problems.push({ field: field.name, message: 'mustNotBeEmpty' });
      continue;
    }
    if (field.kind === 'number' || field.kind === 'integer' || field.kind === 'amount') {
      const n = Number(text);
      if (!Number.isFinite(n)) problems.push({ field: field.name, message: 'mustBeNumber' });
      else if (field.kind === 'integer' && !Number.isInteger(n))
        problems.push({ field: field.name, message: 'mustBeWhole' });
      else data[field.name] = n;
      continue;
    }
    data[field.name] = field.kind === 'hash' ? text.toLowerCase() : text;
  }
  const comment = typeof raw.comment === 'string' ? raw.comment.trim() : '';
  if (spec.comment === 'required' && comment === '') problems.push({ field: 'comment', message: 'mustNotBeEmpty' });
  return { data, ...(comment !== '' && spec.comment !== 'none' ? { comment } : {}), problems };
}

/**
 * The form field an API error names: `data.present` → `present`, `body.title` → `title`,
 * `comment` → `comment`, `body.links.0` → `links`.
 */
export function fieldOfError(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const parts = field.split('.');
  if ((parts[0] === 'data' || parts[0] === 'body') && parts.length > 1) {
    // `body.data.present` (a body parsed whole) names the step field
    if (parts[0] === 'body' && parts[1] === 'data' && parts.length > 2) return parts[2];
    return parts[1];
  }
  return parts[0];
}

/**
 * The form fields an API error may belong to, most specific first: `body.contact.phone` →
 * `contactPhone` (a nested value flattened into one control), then `contact`.
 */
export function fieldsOfError(field: string | undefined): string[] {
  const first = fieldOfError(field);
  if (!field || !first) return [];
  const parts = field.split('.');
  const start = parts.indexOf(first);
  const path = parts.slice(start).filter((p) => !/^\d+$/.test(p));
  const specific = path.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return specific === first ? [first] : [specific, first];
}
