import type { WorkflowInfo } from '@temporalio/workflow';
import { SUMMARY_VERSION, type ProjectedMatter } from '../../common/matter-summary';
import { openProjection, type MatterProjection } from '../../stores/read-model';
import { projectionSinks } from '../../worker/projection-sink';

/** The worker's sink (worker/projection-sink.ts): a row that cannot be written now is written later, the newest one. */

const row = (id: string, title: string): ProjectedMatter => ({
  summary: {
    v: SUMMARY_VERSION,
    matterId: id,
    procedure: { id: 'fund-approval', version: 'v1', name: { zh: '资金审批', en: 'Fund approval' } },
    village: 'v1',
    title,
    initiator: '会计',
    startedAt: '2026-03-01T00:00:00.000Z',
    status: 'running',
    activeSteps: [],
    objections: [],
    notices: [],
  },
  waitingOn: ['accountant'],
  links: [],
});

/** The real projection, refusing its next `failures` writes as a locked file would. */
function flaky(projection: MatterProjection, failures: number) {
  let left = failures;
  return {
    put: (r: ProjectedMatter) => {
      if (left > 0) {
        left -= 1;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      projection.put(r);
    },
  };
}

const info = {} as WorkflowInfo;
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

let projection: MatterProjection;
beforeEach(() => {
  projection = openProjection(':memory:');
});
afterEach(() => projection.close());

test('given a write refused twice, then the row lands on a later try, and each refusal is reported', async () => {
  const errors: string[] = [];
  const sinks = projectionSinks(flaky(projection, 2), (_err, id) => errors.push(id), 5);
  void sinks.projection.put.fn(info, row('m1', '第一版'));
  expect(projection.get('m1')).toBeUndefined();
  await until(() => projection.get('m1') !== undefined);
  expect(projection.get('m1')?.title).toBe('第一版');
  expect(errors).toEqual(['m1', 'm1']);
});

test('given a newer row of a matter while an older one waits, then only the newer is written', async () => {
  const sinks = projectionSinks(flaky(projection, 2), () => undefined, 5);
  void sinks.projection.put.fn(info, row('m1', '旧'));
  void sinks.projection.put.fn(info, row('m1', '新'));
  void sinks.projection.put.fn(info, row('m2', '另一件'));
  await until(() => projection.get('m1') !== undefined && projection.get('m2') !== undefined);
  expect(projection.get('m1')?.title).toBe('新');
  expect(projection.count()).toBe(2);
});

test('given no projection (a replay worker), then a row is taken and nothing is written', () => {
  const sinks = projectionSinks();
  expect(() => sinks.projection.put.fn(info, row('m1', '重放'))).not.toThrow();
  expect(sinks.projection.put.callDuringReplay).toBe(false);
});
