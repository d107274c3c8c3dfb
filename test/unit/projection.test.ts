import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SUMMARY_VERSION, type MatterSummary } from '../../common/matter-summary';
import type { Role } from '../../common/graph';
import { CodedError } from '../../common/errors';
import { openProjection, type MatterProjection } from '../../stores/read-model';
import type { ProjectedMatter } from '../../stores/read-model/projection';

/**
 * The matter projection (stores/read-model/projection.ts): what a list selects, in which order, and
 * that pages add up to the whole list, whatever the rows.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function matter(
  id: string,
  over: Partial<MatterSummary> & { startedAtMs?: number; waitingOn?: Role[]; links?: string[]; closedAt?: number } = {},
): ProjectedMatter {
  const { startedAtMs, waitingOn, links, closedAt, ...summary } = over;
  return {
    summary: {
      v: SUMMARY_VERSION,
      matterId: id,
      procedure: { id: 'fund-approval', version: 'v1', name: { zh: '资金审批', en: 'Fund approval' } },
      village: 'v1',
      title: `事项 ${id}`,
      initiator: '会计',
      startedAt: new Date(startedAtMs ?? T0).toISOString(),
      status: 'running',
      activeSteps: [],
      objections: [],
      notices: [],
      ...summary,
    },
    waitingOn: waitingOn ?? [],
    links: links ?? [],
    ...(closedAt !== undefined ? { closedAt } : {}),
  };
}

let dir: string;
let projection: MatterProjection;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-projection-'));
  projection = openProjection(path.join(dir, 'read-model.sqlite'));
});
afterEach(() => {
  projection.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the matter projection', () => {
  test('given rows, then a task list selects by village, open status and the roles waited on', () => {
    projection.put(matter('a', { waitingOn: ['supervisor'] }));
    projection.put(matter('b', { waitingOn: ['accountant'] }));
    projection.put(matter('c', { village: 'v2', waitingOn: ['supervisor'] }));
    projection.put(matter('d', { status: 'ended', outcome: 'completed', waitingOn: ['supervisor'], closedAt: T0 }));
    projection.put(matter('e', { status: 'suspended', waitingOn: ['town-official'] }));
    const ids = (q: Parameters<MatterProjection['all']>[0]) => projection.all(q).map((r) => r.id);
    expect(ids({ villages: ['v1'], status: 'open', waitingOn: ['supervisor'] })).toEqual(['a']);
    expect(ids({ villages: ['v1', 'v2'], status: 'open', waitingOn: ['supervisor', 'town-official'] }).sort()).toEqual([
      'a',
      'c',
      'e',
    ]);
    // an ended matter waits on no one, whatever it was written with
    expect(ids({ waitingOn: ['supervisor'] }).sort()).toEqual(['a', 'c']);
    expect(ids({ status: 'ended', outcome: 'completed' })).toEqual(['d']);
  });

  test('given a matter written again, then its row and who it waits on are replaced, not added', () => {
    projection.put(matter('a', { waitingOn: ['accountant'] }));
    projection.put(matter('a', { waitingOn: ['supervisor'], title: '新标题' }));
    expect(projection.count()).toBe(1);
    expect(projection.all({ waitingOn: ['accountant'] })).toEqual([]);
    expect(projection.get('a')?.title).toBe('新标题');
    expect(projection.get('a')?.summary?.title).toBe('新标题');
  });

  test('given a row the matter wrote itself, then one adopted from elsewhere does not replace it', () => {
    projection.put(matter('a', { status: 'suspended' }));
    const adopted = projection.adopt({
      id: 'a',
      village: 'v1',
      procedure: 'fund-approval',
      status: 'running',
      activeSteps: [],
      links: [],
      startedAt: T0,
    });
    expect(adopted).toBe(false);
    expect(projection.get('a')?.status).toBe('suspended');
  });

  test('given a matter of older code, then it is listed for anyone who may act, without a summary', () => {
    projection.adopt({
      id: 'old',
      village: 'v1',
      procedure: 'major-decision',
      status: 'running',
      title: '旧事项',
      activeSteps: ['propose'],
      links: [],
      startedAt: T0,
    });
    const [row] = projection.all({ villages: ['v1'], status: 'open', waitingOn: ['town-official'] });
    expect(row).toMatchObject({ id: 'old', title: '旧事项', activeSteps: ['propose'] });
    expect(row?.summary).toBeUndefined();
  });

  test('given links, then the matters linking to one are found, and a link removed is gone', () => {
    projection.put(matter('pay1', { links: ['decision'] }));
    projection.put(matter('pay2', { links: ['decision', 'other'] }));
    expect(projection.ids({ linksTo: 'decision' })).toEqual(['pay1', 'pay2']);
    projection.put(matter('pay2', { links: ['other'] }));
    expect(projection.ids({ linksTo: 'decision' })).toEqual(['pay1']);
  });

  test('given a period, then matters alive in it are those started before its end and not ended before its start', () => {
    const period = { from: T0 + 10 * DAY, to: T0 + 20 * DAY };
    projection.put(matter('before', { status: 'ended', closedAt: T0 + 5 * DAY }));
    projection.put(matter('spans', { status: 'ended', closedAt: T0 + 12 * DAY }));
    projection.put(matter('open', {}));
    projection.put(matter('after', { startedAtMs: T0 + 25 * DAY }));
    expect(projection.ids({ alive: period })).toEqual(['open', 'spans']);
  });

  test('given a cursor of another list or a made-up one, then it is refused naming query.cursor', () => {
    for (let i = 0; i < 3; i++) projection.put(matter(`m${i}`));
    const first = projection.page({ villages: ['v1'] }, 1);
    expect(first.nextCursor).toBeDefined();
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof CodedError ? JSON.stringify(err.details) : String(err);
      }
      return 'accepted';
    };
    expect(refused(() => projection.page({ villages: ['v2'] }, 1, first.nextCursor))).toContain('query.cursor');
    expect(refused(() => projection.page({ villages: ['v1'] }, 1, 'bm90LWEtY3Vyc29y.abc'))).toContain('query.cursor');
  });

  test('given any rows and any page size, then pages add up to the whole list, in list order, each row once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            startDay: fc.integer({ min: 0, max: 5 }),
            ended: fc.boolean(),
            closeDay: fc.integer({ min: 0, max: 5 }),
            village: fc.constantFrom('v1', 'v2'),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 7 }),
        (rows, limit) => {
          const p = openProjection(':memory:');
          try {
            rows.forEach((r, i) =>
              p.put(
                matter(`m${String(i).padStart(2, '0')}`, {
                  village: r.village,
                  startedAtMs: T0 + r.startDay * DAY,
                  ...(r.ended ? { status: 'ended' as const, closedAt: T0 + r.closeDay * DAY } : {}),
                }),
              ),
            );
            const whole = p.all({ villages: ['v1'] }).map((r) => r.id);
            const paged: string[] = [];
            let cursor: string | undefined;
            do {
              const page = p.page({ villages: ['v1'] }, limit, cursor);
              expect(page.items.length).toBeLessThanOrEqual(limit);
              paged.push(...page.items.map((r) => r.id));
              cursor = page.nextCursor;
            } while (cursor);
            expect(paged).toEqual(whole);
            expect(whole).toHaveLength(rows.filter((r) => r.village === 'v1').length);
            // running first, newest first; then ended, latest ended first
            const rank = (id: string) => {
              const r = rows[Number(id.slice(1))]!;
              return r.ended ? [1, -(r.closeDay * DAY)] : [0, -(r.startDay * DAY)];
            };
            for (let i = 1; i < whole.length; i++) {
              const [a, b] = [rank(whole[i - 1]!), rank(whole[i]!)];
              expect(a[0]! < b[0]! || (a[0] === b[0] && a[1]! <= b[1]!)).toBe(true);
            }
          } finally {
            p.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
