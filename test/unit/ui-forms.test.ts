import type { Step } from '../../common/graph';
import { countdown, durationText, stepBadge } from '../../ui/src/logic/countdown';
import { STOP_CHOICE, collect, fieldOfError, fieldsOfError, formFor } from '../../ui/src/logic/form-schema';
import { href, parseRoute } from '../../ui/src/logic/route';
import { t } from '../../ui/src/i18n';

const propose: Step = {
  kind: 'submit',
  roles: ['secretary'],
  fields: [
    { name: 'title', type: 'string', label: { zh: '事项名称', en: 'Title' }, required: true, maxLength: 200 },
    { name: 'description', type: 'text', label: { zh: '事项内容', en: 'Description' }, required: true },
    {
      name: 'category',
      type: 'enum',
      label: { zh: '类别', en: 'Category' },
      required: true,
      values: ['infrastructure', 'other'],
    },
    { name: 'estimatedAmount', type: 'amount', label: { zh: '预计金额', en: 'Amount' }, required: true, min: 0 },
    { name: 'urgent', type: 'boolean', label: { zh: '紧急', en: 'Urgent' }, required: false },
  ],
};

const resolve: Step = {
  kind: 'meeting',
  roles: ['director'],
  bodies: ['villagers', 'representatives'],
  fields: [
    { name: 'followUp', type: 'enum', label: { zh: '后续', en: 'Follow-up' }, required: false, values: ['revise'] },
  ],
};

describe('UI: forms generated from the step definition', () => {
  test('given a submit step, then its fields become controls of the right kind, in order', () => {
    const spec = formFor({ id: 'propose', def: propose }, 'submit');
    expect(spec.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['title', 'text', true],
      ['description', 'textarea', true],
      ['category', 'select', true],
      ['estimatedAmount', 'amount', true],
      ['urgent', 'checkbox', false],
    ]);
    expect(spec.fields[2]?.options?.map((o) => o.label.zh)).toEqual(['基础设施', '其他']);
    expect(spec.comment).toBe('optional');
  });

  test('given a meeting, then the record form asks for body, date, counts and minutes, households only for villagers', () => {
    const spec = formFor({ id: 'resolve', def: resolve }, 'record');
    expect(spec.meeting).toEqual({ bodies: ['villagers', 'representatives'] });
    expect(spec.fields.map((f) => f.name)).toEqual([
      'body',
      'date',
      'members',
      'present',
      'inFavour',
      'against',
      'abstain',
      'households',
      'householdsRepresented',
      'minutesHash',
      'followUp',
    ]);
    expect(spec.fields.find((f) => f.name === 'households')?.onlyForBody).toBe('villagers');
  });

  test.each([
    ['object', 'required'],
    ['reject', 'required'],
    ['object-record', 'required'],
    ['raise-objection', 'required'],
    ['approve', 'optional'],
    ['confirm', 'optional'],
  ] as const)('given the action %s, then a reason is %s', (action, comment) => {
    expect(formFor({ id: 'review', def: { kind: 'review', roles: ['supervisor'], fields: [] } }, action).comment).toBe(
      comment,
    );
  });

  test('given a town ruling, then it chooses uphold or dismiss and, upheld, the step to go back to or stopping', () => {
    const spec = formFor(null, 'rule-objection', [{ id: 'propose', name: { zh: '提议', en: 'Propose' } }]);
    expect(spec.fields.map((f) => [f.name, f.required, f.options?.map((o) => o.value)])).toEqual([
      ['ruling', true, ['uphold', 'dismiss']],
      ['backTo', false, ['propose', STOP_CHOICE]],
    ]);
    expect(spec.comment).toBe('required');
    expect(collect(spec, { ruling: 'uphold', backTo: '', comment: '属实' }).data).toEqual({ ruling: 'uphold' });
  });

  test('given an objection without a reason, then the form refuses it at the comment field', () => {
    const spec = formFor({ id: 'review', def: { kind: 'review', roles: ['supervisor'], fields: [] } }, 'object');
    expect(collect(spec, { comment: '  ' }).problems).toEqual([{ field: 'comment', message: 'mustNotBeEmpty' }]);
    expect(collect(spec, { comment: ' 价格偏高 ' })).toEqual({ data: {}, comment: '价格偏高', problems: [] });
  });

  test('given typed values, then numbers are numbers, empty optionals are left out, checkboxes are booleans', () => {
    const spec = formFor({ id: 'propose', def: propose }, 'submit');
    expect(
      collect(spec, {
        title: ' 修路 ',
        description: '硬化',
        category: 'other',
        estimatedAmount: '1200.50',
        urgent: true,
      }),
    ).toEqual({
      data: { title: '修路', description: '硬化', category: 'other', estimatedAmount: 1200.5, urgent: true },
      problems: [],
    });
    expect(collect(spec, { title: '', estimatedAmount: 'abc' }).problems).toEqual([
      { field: 'title', message: 'mustNotBeEmpty' },
      { field: 'description', message: 'mustNotBeEmpty' },
      { field: 'category', message: 'mustNotBeEmpty' },
      { field: 'estimatedAmount', message: 'mustBeNumber' },
    ]);
  });

  test('given a meeting of representatives, then household counts are not sent; of villagers, they are', () => {
    const spec = formFor({ id: 'resolve', def: resolve }, 'record');
    const raw = {
      body: 'representatives',
      date: '2026-03-10',
      members: '30',
      present: '25',
      inFavour: '20',
      against: '5',
      abstain: '0',
      households: '300',
      householdsRepresented: '210',
      minutesHash: 'AB'.repeat(32),
    };
    const asRepresentatives = collect(spec, raw);
    expect(asRepresentatives.problems).toEqual([]);
    expect(asRepresentatives.data).not.toHaveProperty('households');
    expect(asRepresentatives.data.minutesHash).toBe('ab'.repeat(32));
    expect(collect(spec, { ...raw, body: 'villagers' }).data).toMatchObject({
      households: 300,
      householdsRepresented: 210,
    });
    expect(collect(spec, { ...raw, present: '2.5' }).problems).toEqual([{ field: 'present', message: 'mustBeWhole' }]);
  });

  test.each([
    ['data.present', 'present'],
    ['body.title', 'title'],
    ['body.links.0', 'links'],
    ['body.data.inFavour', 'inFavour'],
    ['comment', 'comment'],
    [undefined, undefined],
  ])('an API error naming %s belongs next to the field %s', (field, name) => {
    expect(fieldOfError(field)).toBe(name);
  });

  test.each([
    ['body.contact.phone', ['contactPhone', 'contact']],
    ['data.present', ['present']],
    ['body.links.0', ['links']],
    [undefined, []],
  ])('an API error naming %s is looked for at %j', (field, names) => {
    expect(fieldsOfError(field)).toEqual(names);
  });
});

describe('UI: deadline countdown', () => {
  const now = Date.parse('2026-03-10T08:00:00Z');

  test('given a deadline ahead, behind, or none, then the time left, overdue, or nothing', () => {
    expect(countdown('2026-03-12T10:30:00Z', now)).toEqual({ kind: 'left', ms: (2 * 24 + 2.5) * 3_600_000 });
    expect(countdown('2026-03-10T07:00:00Z', now)).toEqual({ kind: 'overdue', ms: 3_600_000 });
    expect(countdown(undefined, now)).toEqual({ kind: 'none' });
    expect(countdown('not a date', now)).toEqual({ kind: 'none' });
  });

  test('the two largest units, rounded down, in each language', () => {
    expect(durationText('zh-CN', (2 * 24 + 2.5) * 3_600_000)).toBe('2天2小时');
    expect(durationText('en', (2 * 24 + 2.5) * 3_600_000)).toBe('2 d 2 h');
    expect(durationText('zh-CN', 3 * 24 * 3_600_000)).toBe('3天');
    expect(durationText('en', 90_000)).toBe('1 min 30 s');
    expect(durationText('en', 400)).toBe('0 s');
  });

  test('the badge: suspended first, then overdue, then the time left', () => {
    const step = { deadline: '2026-03-10T07:00:00Z' };
    expect(stepBadge('zh-CN', step, 'suspended', now)).toEqual({
      text: t('zh-CN', 'suspendedBadge'),
      tone: 'suspended',
    });
    expect(stepBadge('zh-CN', step, 'running', now)).toEqual({ text: '已超期', tone: 'overdue' });
    expect(stepBadge('en', { deadline: '2026-03-11T08:00:00Z' }, 'running', now)).toEqual({
      text: '1 d left',
      tone: 'due',
    });
    expect(stepBadge('en', {}, 'running', now)).toBeUndefined();
    // a notice held by residents' opinions says so, before any deadline
    expect(stepBadge('zh-CN', { ...step, heldByOpinions: 2 }, 'running', now)).toEqual({
      text: '2 条村民意见待答复',
      tone: 'held',
    });
  });
});

describe('UI: hash routes', () => {
  test.each([
    ['', { page: 'home' }],
    ['#/', { page: 'home' }],
    ['#/villages/xinglong', { page: 'village', id: 'xinglong' }],
    ['#/matters/matter-abc', { page: 'matter', id: 'matter-abc' }],
    ['#/procedures', { page: 'procedures' }],
    ['#/procedures/major-decision', { page: 'procedure', id: 'major-decision' }],
    ['#/login?next=%23%2Ftasks', { page: 'login', next: '#/tasks' }],
    ['#/login?next=https%3A%2F%2Fevil.example', { page: 'login' }],
    ['#/tasks', { page: 'tasks' }],
    [
      '#/start?village=xinglong&procedure=fund-approval',
      { page: 'start', village: 'xinglong', procedure: 'fund-approval' },
    ],
    ['#/opinion?village=xinglong&matter=matter-1', { page: 'opinion', village: 'xinglong', matter: 'matter-1' }],
    ['#/track/7K3M-Q9TX-2B8R-HV4C', { page: 'track', code: '7K3M-Q9TX-2B8R-HV4C' }],
    ['#/matters/a/b', { page: 'not-found' }],
    ['#/nowhere', { page: 'not-found' }],
    ['#/matters/%E0%A4%A', { page: 'not-found' }],
  ])('%s is %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  test('every route survives a round trip through its link', () => {
    for (const route of [
      { page: 'village', id: '兴隆 村' },
      { page: 'matter', id: 'matter-1' },
      { page: 'login', next: '#/matters/matter-1' },
      { page: 'start', village: 'xinglong' },
    ] as const) {
      expect(parseRoute(href(route))).toEqual(route);
    }
  });
});
