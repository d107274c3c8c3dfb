import type { MatterView } from '../../common/matter';
import { daysLeft, disclosedContent, namesOf, stepContents } from '../../ui/src/logic/content';
import { testCatalog } from '../helpers/catalog';

type Entry = MatterView['record'][number];

const entry = (seq: number, over: Partial<Entry>): Entry => ({
  seq,
  at: `2026-03-0${seq}T02:00:00.000Z`,
  userId: 'xinglong-accountant',
  name: '何报账员',
  role: 'accountant',
  step: 'apply',
  action: 'submit',
  prev: '',
  hash: '',
  ...over,
});

const { catalog, cleanup } = testCatalog();
afterAll(cleanup);

async function buildGraph(id: string) {
  const found = await catalog.current(id, '2026-03-01');
  if (!found) throw new Error(`no procedure ${id}`);
  return found.graph;
}

describe('UI: what each step decided', () => {
  test('given an application sent back and sent again, then the latest content shows with field labels', async () => {
    const graph = await buildGraph('fund-approval');
    const record: Entry[] = [
      entry(1, { action: 'start', data: { title: 'x' } }),
      entry(2, { data: { amount: 100, payee: '张三', payeeKind: 'individual', purpose: '旧', invoiceCount: 1 } }),
      entry(3, {
        userId: 'xinglong-supervisor',
        name: '赵监委委员',
        role: 'supervisor',
        step: 'supervisor-review',
        action: 'object',
        reason: 'no',
      }),
      entry(4, {
        data: { amount: 1800.5, payee: '张三', payeeKind: 'individual', purpose: '更换路灯', invoiceCount: 2 },
      }),
    ];
    const contents = stepContents({ record }, graph);
    expect(contents.map((c) => c.step)).toEqual(['apply']);
    const apply = contents[0]!;
    expect(apply.by).toBe('何报账员');
    expect(apply.items.find((i) => i.name === 'purpose')).toMatchObject({ value: '更换路灯', label: { zh: '用途' } });
    expect(apply.items.find((i) => i.name === 'amount')).toMatchObject({ type: 'amount', value: 1800.5 });
    expect(apply.items.find((i) => i.name === 'payeeKind')).toMatchObject({ type: 'enum' });
    expect(namesOf({ record }).get('xinglong-supervisor')).toBe('赵监委委员');
  });

  test('given a meeting record, then body, counts and minutes are content too', async () => {
    const graph = await buildGraph('major-decision');
    const record: Entry[] = [
      entry(1, {
        step: 'deliberate',
        action: 'record',
        role: 'secretary',
        data: {
          body: 'two-committees',
          date: '2026-03-01',
          members: 7,
          present: 6,
          inFavour: 5,
          against: 1,
          abstain: 0,
          minutesHash: 'a'.repeat(64),
        },
      }),
    ];
    const [meeting] = stepContents({ record }, graph);
    expect(meeting?.items.map((i) => i.name)).toEqual([
      'body',
      'date',
      'members',
      'present',
      'inFavour',
      'against',
      'abstain',
      'minutesHash',
    ]);
    expect(meeting?.items[0]).toMatchObject({ type: 'meeting-body', value: 'two-committees' });
  });

  test('a notice discloses what was filled in before it went up; days left round up and stop at 0', () => {
    const contents = [
      { step: 'a', at: '2026-03-01T00:00:00Z' },
      { step: 'b', at: '2026-03-05T00:00:00Z' },
    ] as Parameters<typeof disclosedContent>[0];
    expect(disclosedContent(contents, '2026-03-02T00:00:00Z').map((c) => c.step)).toEqual(['a']);
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(daysLeft('2026-03-03T12:00:00Z', now)).toBe(3);
    expect(daysLeft('2026-02-01T00:00:00Z', now)).toBe(0);
    expect(daysLeft(undefined, now)).toBeUndefined();
  });
});
