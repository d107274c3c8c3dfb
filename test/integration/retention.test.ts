import { KEEP_CLOSED_DAYS, ensureRetention } from '../../scripts/retention';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal';

/**
 * The dev server keeps closed workflows 24 h by default; the monthly notice and the yearly report
 * read closed matters and opinions from weeks and months before, so start-up raises it.
 */

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(() => temporal.close());

const retentionDays = async () => {
  const ns = await temporal.connection.workflowService.describeNamespace({ namespace: temporal.namespace });
  return Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 86_400;
};

test('given the dev server as start-up leaves it, then closed workflows are kept for ten years, not 24 hours', async () => {
  expect(await retentionDays()).toBe(KEEP_CLOSED_DAYS);
});

test('given a shorter wish, then the retention is never lowered', async () => {
  expect(await ensureRetention(temporal.connection, temporal.namespace, 1)).toBe(KEEP_CLOSED_DAYS);
  expect(await retentionDays()).toBe(KEEP_CLOSED_DAYS);
});
