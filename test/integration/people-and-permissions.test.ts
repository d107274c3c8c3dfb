import request from 'supertest';
import { signSession } from '../../api/auth/session';
import { hashPassword } from '../../api/directory/passwords';
import { MatterHarness, meetingRecord, people } from '../helpers/matter-harness';
import { bearer, TEST_PASSWORD, TEST_SESSION } from '../helpers/people';
import { uniqueName } from '../helpers/temporal';

/** Sign-in, sessions, the village scope of the API and the task list, over the real stack. */

const h = new MatterHarness('people');
beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

const { secretary, director, supervisor, town } = people;
const proposal = {
  title: '修建村道',
  description: '硬化村道 2 公里',
  category: 'infrastructure',
  estimatedAmount: 180000,
};

function login(userId: string, password: string) {
  return request(h.app).post('/api/auth/login').send({ userId, password });
}

describe('log-in', () => {
  test('given the right password, then a session cookie (HttpOnly, SameSite=Strict) and a Bearer token both work for /api/me', async () => {
    const res = await login(secretary.userId, TEST_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/xwql_session=[^;]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const byCookie = await request(h.app)
      .get('/api/me')
      .set('Cookie', cookie.split(';')[0] ?? '');
    const byBearer = await request(h.app)
      .get('/api/me')
      .set('Authorization', `Bearer ${res.body.token as string}`);
    expect([byCookie.status, byCookie.body.id]).toEqual([200, secretary.userId]);
    expect([byBearer.status, byBearer.body.id]).toEqual([200, secretary.userId]);
    expect((byBearer.body.villages as { id: string }[]).map((v) => v.id)).toContain('xinglong');
    expect(JSON.stringify(byBearer.body)).not.toContain('passwordHash');
  });

  test('given a wrong password or an unknown user, then the same 401 that does not tell which', async () => {
    const wrong = await login(director.userId, 'not the password');
    const unknown = await login('nobody-here', 'not the password');
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'BAD_CREDENTIALS']);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'BAD_CREDENTIALS']);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  test('given an expired token, then 401 says the session expired', async () => {
    const { token } = await signSession(TEST_SESSION, secretary.userId, new Date(Date.now() - 2 * 3600_000));
    const res = await request(h.app).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(res.body.error.message).toMatch(/expired/);
  });

  test('given a tampered token or one signed with another key, then 401', async () => {
    const { token } = await signSession(TEST_SESSION, supervisor.userId);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: town.userId })).toString('base64url');
    const otherKey = await signSession(
      { ...TEST_SESSION, secret: new TextEncoder().encode('x'.repeat(40)) },
      town.userId,
    );

    for (const bad of [`${header}.${forged}.${signature}`, otherKey.token, 'not-a-jwt']) {
      const res = await request(h.app).get('/api/me').set('Authorization', `Bearer ${bad}`);
      expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  test('given repeated failures for one user, then 429 — even with the right password — while another user still signs in', async () => {
    const target = people.chair.userId;
    const statuses: number[] = [];
    for (let i = 0; i < TEST_SESSION.loginAttempts; i++) statuses.push((await login(target, `wrong-${i}`)).status);
    const blocked = await login(target, TEST_PASSWORD);
    const other = await login(people.committee.userId, TEST_PASSWORD);

    expect(statuses).toEqual(Array(TEST_SESSION.loginAttempts).fill(401));
    expect([blocked.status, blocked.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(other.status).toBe(200);
  });

  test('given a log-out, then the cookie is cleared', async () => {
    const res = await request(h.app).post('/api/auth/logout');
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/xwql_session=;/);
  });

  test('given a malformed log-in body, then 400 naming the field', async () => {
    const res = await request(h.app).post('/api/auth/login').send({ userId: 'x' });
    expect([res.status, res.body.error.details[0].field]).toEqual([400, 'body.password']);
  });
});

describe('scope', () => {
  test('given nobody signed in, then starting or acting is 401 and nothing starts', async () => {
    const start = await request(h.app)
      .post('/api/matters')
      .send({ procedureId: 'major-decision', village: 'xinglong', title: '匿名' });
    expect([start.status, start.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  test('given a member of another village or an official of another town, then 403 OUT_OF_SCOPE, nothing recorded', async () => {
    const d = h.directory.directory;
    const hash = await hashPassword('irrelevant-password');
    h.directory.directory = {
      ...d,
      towns: [...d.towns, { id: 'baiyun', name: { zh: '白云镇', en: 'Baiyun' } }],
      villages: [...d.villages, { id: 'qingshan', town: 'baiyun', name: { zh: '青山村', en: 'Qingshan' } }],
      users: [
        ...d.users,
        {
          id: 'qs-secretary',
          name: '青山书记',
          passwordHash: hash,
          roles: [{ role: 'secretary', village: 'qingshan' }],
        },
        { id: 'by-town', name: '白云镇干部', passwordHash: hash, roles: [{ role: 'town-official', town: 'baiyun' }] },
      ],
    };
    const id = await h.start({ procedureId: 'major-decision', village: 'xinglong', title: '范围', actor: secretary });

    const outsider = await h.act(id, {
      step: 'propose',
      action: 'submit',
      data: proposal,
      actor: { userId: 'qs-secretary' },
    });
    const otherTown = await h.act(id, {
      step: null,
      action: 'rule-objection',
      data: { objectionId: 'o-1', ruling: 'dismiss' },
      actor: { userId: 'by-town' },
    });
    const startElsewhere = await h.post('/api/matters', {
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '越权',
      actor: { userId: 'qs-secretary' },
    });
    const notHeld = await h.act(id, {
      step: 'propose',
      action: 'submit',
      data: proposal,
      actor: { userId: secretary.userId, role: 'town-official' },
    });

    expect([outsider.status, outsider.body.error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect([otherTown.status, otherTown.body.error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect([startElsewhere.status, startElsewhere.body.error.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const bySupervisor = await h.post('/api/matters', {
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '监委会不能发起',
      actor: supervisor,
    });
    expect([bySupervisor.status, bySupervisor.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect([notHeld.status, notHeld.body.error.code]).toEqual([403, 'ROLE_NOT_HELD']);
    expect((await h.view(id)).record).toHaveLength(1);
  });

  test('given a matter, then the public reads it as public, members of the village and its town in full', async () => {
    const id = await h.start({ procedureId: 'major-decision', village: 'xinglong', title: '读取', actor: secretary });
    const read = async (userId?: string) => {
      const req = request(h.app).get(`/api/matters/${id}`);
      return (await (userId ? req.set('Authorization', await bearer(userId)) : req)).body.access as string;
    };
    // the record names the person as the directory knows them, not only their id
    expect((await h.view(id)).record[0]).toMatchObject({ userId: secretary.userId, name: 'secretary li-secretary' });
    expect(await read()).toBe('public');
    expect(await read(supervisor.userId)).toBe('full');
    expect(await read(town.userId)).toBe('full');
    expect(await read(people.auditor.userId)).toBe('full');
  });
});

describe('tasks', () => {
  test('given a matter moving, then /api/me/tasks shows each step to the people who may act on it, and not to the recused', async () => {
    // A village of its own: the task list asks every running matter of the user's villages.
    const village = uniqueName('tasks');
    await h.directory.addVillage(village);
    const id = await h.start({ procedureId: 'major-decision', village, title: '待办', actor: secretary });
    const tasksOf = async (userId: string) => {
      const res = await request(h.app)
        .get('/api/me/tasks')
        .set('Authorization', await bearer(userId));
      expect(res.status).toBe(200);
      return (res.body.tasks as { matterId: string; step: { id: string; phase: string }; role: string }[])
        .filter((t) => t.matterId === id)
        .map((t) => `${t.step.id}:${t.step.phase}:${t.role}`);
    };
    // The task list reads the visibility store, which follows the workflow a moment later.
    const settled = async (userId: string, expected: string[]) => {
      const deadline = Date.now() + 15_000;
      let got = await tasksOf(userId);
      while (JSON.stringify(got) !== JSON.stringify(expected) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        got = await tasksOf(userId);
      }
      return got;
    };
    expect(await settled(secretary.userId, ['propose:open:secretary'])).toEqual(['propose:open:secretary']);
    expect(await tasksOf(supervisor.userId)).toEqual([]);

    await h.ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await h.ok(id, {
      step: 'deliberate',
      action: 'record',
      data: meetingRecord('two-committees', 7, 6, 5),
      actor: director,
    });
    expect(await settled(supervisor.userId, ['deliberate:awaiting-witness:supervisor'])).toEqual([
      'deliberate:awaiting-witness:supervisor',
    ]);
    expect(await tasksOf(director.userId)).toEqual([]);

    const anonymous = await request(h.app).get('/api/me/tasks');
    expect(anonymous.status).toBe(401);
  });

  test('given the handler who applied also sits on the supervisory committee, then the review is not their task (回避), but another supervisor’s', async () => {
    const { accountant } = people;
    const village = uniqueName('recusal');
    await h.directory.addVillage(village);
    const id = await h.start({
      procedureId: 'fund-approval',
      village,
      title: '回避待办',
      actor: accountant,
    });
    const application = {
      amount: 900,
      payee: '罗江区建材经营部',
      payeeKind: 'organisation',
      purpose: '办公室维修材料费',
      invoiceCount: 1,
      invoicesHash: 'b'.repeat(64),
    };
    await h.ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    const stepsOf = async (userId: string) => {
      const res = await request(h.app)
        .get('/api/me/tasks')
        .set('Authorization', await bearer(userId));
      return (res.body.tasks as { matterId: string; step: { id: string } }[])
        .filter((t) => t.matterId === id)
        .map((t) => t.step.id);
    };
    const deadline = Date.now() + 15_000;
    while ((await stepsOf(supervisor.userId)).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await stepsOf(supervisor.userId)).toEqual(['supervisor-review']);
    expect(await stepsOf(accountant.userId)).toEqual([]);
  });
});

describe('objections as tasks', () => {
  test('given a supervisor objects, then the committee is asked to answer; once answered, the supervisors to accept and the town to rule', async () => {
    const village = uniqueName('objection');
    await h.directory.addVillage(village);
    const id = await h.start({ procedureId: 'major-decision', village, title: '异议待办', actor: secretary });
    await h.ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await h.ok(id, { step: null, action: 'raise-objection', comment: '未公开预算明细', actor: supervisor });
    const tasksOf = async (userId: string, expected: string[]) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await request(h.app)
          .get('/api/me/tasks')
          .set('Authorization', await bearer(userId));
        const got = (res.body.tasks as { matterId: string; step: { id: string; phase: string }; actions: string[] }[])
          .filter((t) => t.matterId === id)
          .map((t) => `${t.step.id}:${t.step.phase}:${t.actions.join('+')}`);
        if (JSON.stringify(got) === JSON.stringify(expected) || Date.now() > deadline) return got;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    expect(await tasksOf(people.committee.userId, ['objection-1:open:answer-objection'])).toEqual([
      'objection-1:open:answer-objection',
    ]);
    // suspended: no step is anybody's task; nothing waits on the supervisors yet; the town may rule
    // at once (the engine's objectionActions: an unanswered objection must not hold a matter for ever)
    expect(await tasksOf(director.userId, ['objection-1:open:answer-objection'])).toEqual([
      'objection-1:open:answer-objection',
    ]);
    expect(await tasksOf(supervisor.userId, [])).toEqual([]);
    expect(await tasksOf(town.userId, ['objection-1:open:rule-objection'])).toEqual([
      'objection-1:open:rule-objection',
    ]);

    await h.ok(id, {
      step: null,
      action: 'answer-objection',
      data: { objectionId: 'objection-1', answer: '明细已补充公开' },
      actor: people.committee,
    });
    expect(await tasksOf(supervisor.userId, ['objection-1:answered:accept-answer'])).toEqual([
      'objection-1:answered:accept-answer',
    ]);
    expect(await tasksOf(town.userId, ['objection-1:answered:rule-objection'])).toEqual([
      'objection-1:answered:rule-objection',
    ]);
    expect(await tasksOf(people.committee.userId, [])).toEqual([]);
  });
});

describe('the public list', () => {
  test('given matters of a village, then anyone lists them by village and status, titles masked of phone numbers', async () => {
    const village = uniqueName('list');
    await h.directory.addVillage(village);
    const first = await h.start({
      procedureId: 'major-decision',
      village,
      title: '修路 联系 13812345678',
      actor: secretary,
    });
    const second = await h.start({ procedureId: 'fund-approval', village, title: '买水泥', actor: people.accountant });
    const list = async (query: string, expected: number) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await request(h.app).get(`/api/matters?${query}`);
        expect(res.status).toBe(200);
        const matters = res.body.matters as { id: string; title: string; status: string; procedure: { id: string } }[];
        if (matters.length === expected || Date.now() > deadline) return matters;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    const all = await list(`village=${village}`, 2);
    expect(all.map((m) => m.id).sort()).toEqual([first, second].sort());
    expect(all.find((m) => m.id === first)?.title).toBe('修路 联系 [已隐去 / redacted]');
    expect((await list(`village=${village}&procedure=fund-approval`, 1)).map((m) => m.id)).toEqual([second]);
    expect(await list(`village=${village}&status=ended`, 0)).toEqual([]);
    const bad = await request(h.app).get('/api/matters?status=paused');
    expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'query.status']);
  });
});
