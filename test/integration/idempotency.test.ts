import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { TEST_SESSION, bearer } from '../helpers/people';
import { MatterHarness, meetingRecord, people } from '../helpers/matter-harness';
import { uniqueName, testProjection } from '../helpers/temporal';

/**
 * Idempotency-Key (IETF httpapi idempotency-key draft) over the real stack: a key is the caller's,
 * and stands for one request.
 */

const h = new MatterHarness('idempotency');
const { secretary, director } = people;

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

const proposal = {
  title: '村道硬化',
  description: '硬化三组村道',
  category: 'infrastructure',
  estimatedAmount: 180000,
};
const start = (over: Record<string, unknown> = {}) => ({
  procedureId: 'major-decision',
  village: 'xinglong',
  title: '村道硬化',
  actor: secretary,
  ...over,
});

describe('a key belongs to its caller and stands for one request', () => {
  test('a start resent with its key finds its matter; the same key with another procedure is 422, never the first matter', async () => {
    const key = uniqueName('start');
    const first = await h.post('/api/matters', start(), key);
    const again = await h.post('/api/matters', start(), key);
    const other = await h.post('/api/matters', start({ procedureId: 'fund-approval', title: '付款' }), key);

    expect([first.status, again.status]).toEqual([201, 201]);
    h.remember(first.body.id as string);
    expect(again.body).toEqual(first.body);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.body.error.details[0].field).toBe('header.Idempotency-Key');
    expect(JSON.stringify(other.body)).not.toContain(first.body.id as string);
  });

  test("another village's secretary reusing a xinglong key gets a matter of their own, never the xinglong matter", async () => {
    const outsider = { userId: uniqueName('ma-secretary'), role: 'secretary' } as const;
    const template = h.directory.directory.users.find((u) => u.id === secretary.userId);
    if (!template) throw new Error('no secretary in the test directory');
    h.directory.directory = {
      ...h.directory.directory,
      users: [
        ...h.directory.directory.users,
        { ...template, id: outsider.userId, name: '马书记', roles: [{ role: 'secretary', village: 'dongfeng' }] },
      ],
    };
    const key = uniqueName('shared');
    const xinglong = await h.post('/api/matters', start(), key);
    const dongfeng = await h.post('/api/matters', start({ village: 'dongfeng', actor: outsider }), key);
    const stolen = await h.post('/api/matters', start({ actor: outsider }), key);

    expect([xinglong.status, dongfeng.status]).toEqual([201, 201]);
    h.remember(xinglong.body.id as string);
    h.remember(dongfeng.body.id as string);
    expect(dongfeng.body.id).not.toBe(xinglong.body.id);
    expect((await h.view(dongfeng.body.id as string)).village).toBe('dongfeng');
    // the same request in xinglong from the outsider: refused by scope, not answered with the matter
    expect(stolen.status).toBe(403);
    expect(JSON.stringify(stolen.body)).not.toContain(xinglong.body.id as string);
  });

  test("an action with another user's key is that user's own action; the same key with another request is 422; a resend is applied once", async () => {
    const id = await h.start(start());
    const key = uniqueName('act');
    const proposed = await h.act(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary }, key);
    const record = {
      step: 'deliberate',
      action: 'record',
      data: meetingRecord('two-committees', 7, 6, 5),
      actor: director,
    };
    // the director sends the secretary's key: not the secretary's result, their own action
    const recorded = await h.act(id, record, key);
    const resent = await h.act(id, record, key);
    const changed = await h.act(id, { ...record, data: meetingRecord('two-committees', 7, 6, 2) }, key);

    expect([proposed.status, recorded.status, resent.status]).toEqual([200, 200, 200]);
    expect(recorded.body.seq).toBeGreaterThan(proposed.body.seq as number);
    expect(resent.body).toEqual(recorded.body);
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const v = await h.view(id);
    expect(v.meetings).toHaveLength(1);
    expect(v.meetings[0]?.counts.inFavour).toBe(5);
    expect(v.record.filter((r) => r.action === 'record')).toHaveLength(1);
  });
});

describe('an opinion key never gives away a resident', () => {
  let base: string;
  let server: http.Server;
  beforeAll(async () => {
    const app = createApp({
      directory: h.directory,
      session: TEST_SESSION,
      temporal: { client: h.temporal.client, namespace: h.temporal.namespace, taskQueue: h.taskQueue },
      projection: testProjection(h.taskQueue),
      catalog: h.catalog,
      logger: pino({ level: 'error' }),
      opinionDeadlines: () => ({
        acknowledge: { amount: 3, unit: 'workingDays' },
        answer: { amount: 15, unit: 'workingDays' },
      }),
      opinionLimits: { submissions: 1000 },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  interface Reply {
    status: number;
    body: { trackingCode?: string; opinionId?: string; error?: { code: string } };
  }

  /** POST from a given loopback address, as a resident's phone on another line would. */
  function postFrom(address: string, key: string, body: unknown): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = http.request(
        `${base}/api/opinions`,
        {
          method: 'POST',
          localAddress: address,
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
            'Content-Length': Buffer.byteLength(text),
          },
        },
        (res) => {
          let data = '';
          res.on('data', (chunk: Buffer) => (data += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Reply['body'] }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  const opinion = (text: string) => ({ village: 'xinglong', subject: '低保', text, contact: { phone: '13700000000' } });

  test("a key resent from another address never returns the first resident's tracking code or text", async () => {
    const key = uniqueName('op');
    const first = await postFrom('127.0.0.2', key, opinion('我的身份证 510623199001011234'));
    const resent = await postFrom('127.0.0.2', key, opinion('我的身份证 510623199001011234'));
    const elsewhere = await postFrom('127.0.0.3', key, opinion('我的身份证 510623199001011234'));
    const signedIn = await request(server)
      .post('/api/opinions')
      .set('Authorization', await bearer(director.userId))
      .set('Idempotency-Key', key)
      .send(opinion('我的身份证 510623199001011234'));

    expect([first.status, resent.status, elsewhere.status, signedIn.status]).toEqual([201, 201, 201, 201]);
    expect(resent.body.trackingCode).toBe(first.body.trackingCode);
    expect(elsewhere.body.trackingCode).not.toBe(first.body.trackingCode);
    expect(signedIn.body.trackingCode).not.toBe(first.body.trackingCode);
    const tracked = await request(server).get(`/api/opinions/track/${elsewhere.body.trackingCode as string}`);
    expect(tracked.body.opinionId).not.toBe(first.body.opinionId);
  });

  test('an opinion key resent with another text is 422 and carries no tracking code', async () => {
    const key = uniqueName('op');
    const first = await postFrom('127.0.0.4', key, opinion('村道积水'));
    const other = await postFrom('127.0.0.4', key, opinion('别的事'));

    expect(first.status).toBe(201);
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(JSON.stringify(other.body)).not.toContain(first.body.trackingCode as string);
  });
});

describe('an ended matter changes no more', () => {
  test('an action on an ended matter is 409 MATTER_ENDED, not 404; a resend of the action that ended it gets its result', async () => {
    const id = await h.start(start());
    await h.ok(id, { step: null, action: 'raise-objection', comment: '未经两委商议', actor: people.supervisor });
    const key = uniqueName('stop');
    const ruling = {
      step: null,
      action: 'rule-objection',
      data: { objectionId: 'objection-1', ruling: 'uphold', stop: true },
      comment: '程序违法，终止',
      actor: people.town,
    };
    const stopped = await h.act(id, ruling, key);
    expect(stopped.status).toBe(200);
    await h.waitFor(id, 'the matter to end', (v) => v.status === 'ended');

    const late = await h.act(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    const resent = await h.act(id, ruling, key);

    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('MATTER_ENDED');
    expect(late.body.error.message).toContain('stopped');
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual(stopped.body);
  });
});

describe('meetings through the API are judged against the register', () => {
  test('an impossible or future date, or a body smaller than the register, is 422 naming the field', async () => {
    const id = await h.start(start());
    await h.ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    const record = (over: Record<string, unknown>) =>
      h.act(id, {
        step: 'deliberate',
        action: 'record',
        data: { ...meetingRecord('two-committees', 7, 4, 3), ...over },
        actor: director,
      });

    const badDate = await record({ date: '2026-13-45' });
    const future = await record({ date: '2099-01-01' });
    const shrunk = await record({ members: 6 });

    expect([badDate.status, future.status, shrunk.status]).toEqual([422, 422, 422]);
    expect(badDate.body.error.details[0].field).toBe('data.date');
    expect(future.body.error.details[0].field).toBe('data.date');
    expect(shrunk.body.error.details[0].field).toBe('data.members');
    expect(
      (
        await h.act(id, {
          step: 'deliberate',
          action: 'record',
          data: meetingRecord('two-committees', 7, 4, 3),
          actor: director,
        })
      ).status,
    ).toBe(200);
    expect((await h.view(id)).meetings[0]?.result).toBe('passed');
  });
});
