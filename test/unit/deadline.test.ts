import { defaultMaxListeners } from 'node:events';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import request from 'supertest';
import { temporalDeadline } from '../../api/deadline';

/**
 * The request deadline on a client whose server accepts connections and never answers (a hung
 * Temporal): every call a request makes ends by the deadline, however many it makes, and none
 * leaves a listener behind (a board read makes one call per matter without a summary).
 */
describe('the request deadline of Temporal calls', () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    connection = Connection.lazy({ address: `127.0.0.1:${port}` });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  test('given a request that makes 30 calls that never answer, then all end by its deadline and no signal gathers a listener per call', async () => {
    // Node warns once a target has more than defaultMaxListeners (10) listeners of one event.
    const added = jest.spyOn(EventTarget.prototype, 'addEventListener');
    const settled: PromiseSettledResult<unknown>[] = [];
    const app = express();
    app.use(temporalDeadline(client, 600));
    app.get('/many', async (_req, res) => {
      settled.push(
        ...(await Promise.allSettled(Array.from({ length: 30 }, () => client.workflowService.getSystemInfo({})))),
      );
      if (!res.headersSent) res.json({ settled: settled.length });
    });

    const start = Date.now();
    const res = await request(app).get('/many');
    const took = Date.now() - start;
    const abortListeners = new Map<unknown, number>();
    added.mock.calls.forEach(([type], i) => {
      const target = added.mock.contexts[i];
      if (type === 'abort') abortListeners.set(target, (abortListeners.get(target) ?? 0) + 1);
    });
    added.mockRestore();

    expect(Math.max(0, ...abortListeners.values())).toBeLessThanOrEqual(defaultMaxListeners);
    // the route saw every call fail and answered for itself, within the deadline and its grace
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(5000);
    expect(settled).toHaveLength(30);
    const codes = settled.map((s) => (s.status === 'rejected' ? (s.reason as { code?: number }).code : 'answered'));
    // 4: DEADLINE_EXCEEDED
    expect(new Set(codes)).toEqual(new Set([4]));
  });
});
