import fc from 'fast-check';
import { startMatter, applyEvent, type Actor } from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { viewOf } from '../../common/matter-view';
import { verifyChain } from '../../common/record-chain';
import { REDACTED, personalValues, redactMatterView, redactText } from '../../common/redact';
import { buildGraph } from '../helpers/graph-builder';

/** What the public may not read: phones, ID numbers, individual payees' names. Everything else stays. */

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** text around the number that cannot extend it: no digits, no X, no + */
const around = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\dXx+]/g, '字'));

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9), fc.constantFrom('', '+86', '86', '+86 ', '86-'), fc.boolean())
  .map(([second, rest, prefix, split]) => {
    const n = `1${second}${rest}`;
    return prefix + (split ? `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}` : n);
  });
const landline = fc
  .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 7, max: 8 }), fc.constantFrom('-', ' ', '', '()'))
  .chain(([area, local, sep]) =>
    fc.tuple(digits(area), digits(local)).map(([a, l]) => (sep === '()' ? `(0${a})${l}` : `0${a}${sep}${l}`)),
  );
const residentId = fc.tuple(digits(17), fc.constantFrom('0', '7', 'X', 'x')).map(([body, last]) => body + last);
const oldId = digits(15);

describe('redactText: the patterns', () => {
  test.each([
    ['a mobile number', mobile],
    ['a landline with its area code', landline],
    ['an 18-digit resident ID (last may be X)', residentId],
    ['a 15-digit old ID', oldId],
  ])('given %s anywhere in a text, then it does not survive and the mask shows where it was', (_, number) => {
    fc.assert(
      fc.property(around, number, around, (before, n, after) => {
        const out = redactText(`${before}${n}${after}`);
        expect(out).toBe(`${before}${REDACTED}${after}`);
      }),
      { numRuns: 300 },
    );
  });

  test('given amounts, dates, times, references and digests, then they stay as they are', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999_999 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (amount, date) => {
          const text = `金额 ${amount} 元，${(amount / 100).toFixed(2)} 元，${date.toISOString()}，${date.toISOString().slice(0, 10)}`;
          // ten digits or fewer that do not start with 0 are never a phone or an ID
          if (!/^0/.test(String(amount))) expect(redactText(text)).toBe(text);
        },
      ),
    );
    for (const text of [
      'NX20260310-0042',
      'b'.repeat(64),
      '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '1381234567812345678123456781234567812345678123456781234567812345',
      '合同金额 1,380,000.00 元',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  test('given names, then every occurrence is masked, the longest first; a one-character name only as a whole value', () => {
    expect(redactText('付给张三丰，张三丰签收', ['张三', '张三丰'])).toBe(`付给${REDACTED}，${REDACTED}签收`);
    expect(redactText('张', ['张'])).toBe(REDACTED);
    expect(redactText('张家湾村道', ['张'])).toBe('张家湾村道');
  });
});

describe('redactMatterView', () => {
  const payeeFields = [
    { name: 'amount', type: 'amount' as const, required: true, label: { zh: '金额', en: 'Amount' } },
    {
      name: 'payee',
      type: 'string' as const,
      required: true,
      label: { zh: '收款人', en: 'Payee' },
      party: 'payee' as const,
      personal: { field: 'payeeKind', equals: 'individual' },
    },
    {
      name: 'payeeKind',
      type: 'enum' as const,
      required: true,
      values: ['individual', 'organisation'],
      label: { zh: '类型', en: 'Kind' },
    },
    { name: 'purpose', type: 'text' as const, required: true, label: { zh: '用途', en: 'Purpose' } },
  ];
  const graph: ProcedureGraph = buildGraph(
    {
      start: { type: 'startEvent' },
      apply: { type: 'userTask', step: { kind: 'submit', roles: ['accountant'], fields: payeeFields } },
      check: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'apply'],
      ['f2', 'apply', 'check'],
      ['f3', 'check', 'done'],
    ],
  );
  const accountant: Actor = { userId: 'he-accountant', role: 'accountant' };
  const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor' };
  const T0 = Date.parse('2026-03-02T01:00:00Z');

  function run(payee: string, payeeKind: string, committed = true) {
    let state = startMatter(
      graph,
      {
        matterId: 'm-1',
        village: 'v-1',
        title: `付${payee}劳务费`,
        initiator: accountant,
        ...(committed ? { rules: { recordSeed: 'a-secret-seed' } } : {}),
      },
      T0,
    );
    const data = {
      amount: 1800,
      payee,
      payeeKind,
      purpose: `${payee}修水渠，联系电话 13912345678，身份证 51062319800101123X`,
    };
    state = applyEvent(graph, state, {
      type: 'act',
      at: T0 + 1,
      actor: accountant,
      step: 'apply',
      action: 'submit',
      data,
    });
    return applyEvent(graph, state, {
      type: 'act',
      at: T0 + 2,
      actor: supervisor,
      step: 'check',
      action: 'object',
      data: {},
      comment: `${payee}的电话 028-86123456 打不通`,
    });
  }

  test('given an individual payee, then the name, phones and ID go everywhere; amounts, steps and officials stay', () => {
    const full = viewOf(graph, run('张三', 'individual'));
    const pub = redactMatterView(full, graph);
    const json = JSON.stringify(pub);

    expect(personalValues(full, graph)).toEqual(['张三']);
    for (const secret of ['张三', '13912345678', '51062319800101123X', '86123456']) expect(json).not.toContain(secret);
    expect(pub.title).toBe(`付${REDACTED}劳务费`);
    // in the record a value holding personal data is hidden whole: what is shown is what is proven
    expect(pub.record[1]?.data).toMatchObject({
      amount: 1800,
      payeeKind: 'individual',
      payee: REDACTED,
      purpose: REDACTED,
    });
    expect(pub.record.map((e) => [e.userId, e.action, e.decision])).toEqual(
      full.record.map((e) => [e.userId, e.action, e.decision]),
    );
    expect(pub.record.map((e) => e.redacted ?? false)).toEqual([true, true, true, false]);
    expect(pub.record.some((e) => e.redacted && e.salt !== undefined)).toBe(false);
    const head = verifyChain(full.record).head;
    expect(verifyChain(pub.record)).toMatchObject({ ok: true, redacted: [1, 2, 3], head });
    expect(pub.completedSteps).toEqual(full.completedSteps);
    expect(pub.amount).toBe(1800);
  });

  test('given a split-payment warning and an objection naming the individual payee, then the name goes there too', () => {
    const full = viewOf(graph, run('张三', 'individual'));
    const withMore = {
      ...full,
      warnings: [
        {
          kind: 'split-payment' as const,
          payee: '张三',
          tier: 2000,
          total: 3600,
          windowDays: 30,
          matters: ['m-0', 'm-1'],
          at: '2026-03-02T01:00:00.000Z',
        },
      ],
      objections: [
        {
          id: 'objection-1',
          raisedBy: 'zhao-supervisor',
          reason: '张三 一个月内领了两次',
          step: null,
          at: '2026-03-02T01:00:00.000Z',
          status: 'answered' as const,
          answer: '张三两次干的是不同的活，电话 13912345678 可核实',
        },
      ],
    };

    const pub = redactMatterView(withMore, graph);

    expect(JSON.stringify(pub)).not.toContain('张三');
    expect(pub.warnings[0]).toMatchObject({ payee: REDACTED, tier: 2000, total: 3600, matters: ['m-0', 'm-1'] });
    expect(pub.objections[0]).toMatchObject({
      raisedBy: 'zhao-supervisor',
      reason: `${REDACTED} 一个月内领了两次`,
      answer: `${REDACTED}两次干的是不同的活，电话 ${REDACTED} 可核实`,
    });
  });

  test('given an organisation as payee, then its name stays, the phone and ID still go', () => {
    const full = viewOf(graph, run('罗江区建材经营部', 'organisation'));
    const json = JSON.stringify(redactMatterView(full, graph));

    expect(json).toContain('罗江区建材经营部');
    expect(json).not.toContain('13912345678');
    expect(json).not.toContain('51062319800101123X');
  });

  test('the public copy of a payment cannot be altered: 1,800 made 18,000 breaks the chain at that entry', () => {
    const pub = redactMatterView(viewOf(graph, run('张三', 'individual')), graph);
    const forged = JSON.parse(JSON.stringify(pub.record)) as Record<string, Record<string, unknown>>[];
    if (forged[1]?.data) forged[1].data.amount = 18000;

    expect(verifyChain(forged)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  test('a record from before commitments is masked as before, and its public copy says it cannot be proven', () => {
    const full = viewOf(graph, run('张三', 'individual', false));
    const pub = redactMatterView(full, graph);

    expect(JSON.stringify(pub)).not.toContain('张三');
    expect(verifyChain(full.record)).toMatchObject({ ok: true });
    expect(verifyChain(pub.record)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  test('given a view with nothing personal, then it is returned unchanged and the record verifies in full', () => {
    const state = startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator: accountant }, T0);
    const full = viewOf(graph, state);
    const pub = redactMatterView(full, graph);

    expect(pub).toEqual(full);
    expect(verifyChain(pub.record)).toMatchObject({ ok: true, redacted: [] });
  });
});
