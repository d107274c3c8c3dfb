import { fieldsSchema } from '../../common/fields';
import type { Field } from '../../common/graph';

const label = (zh: string, en: string) => ({ zh, en });
const apply: Field[] = [
  { name: 'amount', label: label('金额', 'Amount'), type: 'amount', required: true },
  { name: 'payee', label: label('收款人', 'Payee'), type: 'string', required: true },
  {
    name: 'payeeKind',
    label: label('收款人类型', 'Payee kind'),
    type: 'enum',
    values: ['individual', 'organisation'],
    required: true,
  },
];

describe('step fields as a schema', () => {
  test('given one step’s fields checked again, then the schema built the first time is used, with the same verdicts', () => {
    const first = fieldsSchema(apply);
    expect(fieldsSchema(apply)).toBe(first);
    const good = { amount: 800.5, payee: '罗江区建材经营部', payeeKind: 'organisation' };
    expect(first.safeParse(good).success).toBe(true);
    expect(fieldsSchema(apply).safeParse({ ...good, amount: 0.001 }).success).toBe(false);
    expect(fieldsSchema(apply).safeParse({ ...good, extra: 1 }).success).toBe(false);
  });

  test('given another step’s fields, then their own schema', () => {
    const other: Field[] = [{ name: 'paidOn', label: label('支付日期', 'Paid on'), type: 'date', required: true }];
    expect(fieldsSchema(other)).not.toBe(fieldsSchema(apply));
    expect(fieldsSchema(other).safeParse({ paidOn: '2026-13-01' }).success).toBe(false);
    expect(fieldsSchema(other).safeParse({ paidOn: '2026-02-28' }).success).toBe(true);
  });
});
