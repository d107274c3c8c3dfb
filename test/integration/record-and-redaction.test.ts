import request from 'supertest';
import type { MatterView } from '../../common/matter';
import { verifyChain } from '../../common/record-chain';
import { REDACTED, redactMatterView } from '../../common/redact';
import { HASH, MatterHarness, meetingRecord as meeting, people } from '../helpers/matter-harness';
import { bearer } from '../helpers/people';

/**
 * People and the record, on the real dev server through the HTTP API: a payee may not review the
 * payment (回避); every matter's record is a hash chain; the public view of a matter of each of the
 * four procedures keeps amounts, titles and steps and loses phones, ID numbers and the names of
 * individual payees.
 */

const { secretary, director, committee, accountant, supervisor, chair, town } = people;
const h = new MatterHarness('record-redaction');
beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

const ok = h.ok.bind(h);
const act = h.act.bind(h);
const view = h.view.bind(h);
const waitFor = h.waitFor.bind(h);
const isActive = (step: string) => (v: MatterView) => v.activeSteps.some((s) => s.id === step);

/** Personal data sprinkled over the matters below: none of it may reach the public. */
const PHONE = '13981234567';
const LANDLINE = '0838-6123456';
const ID = '51062319800101123X';
const OLD_ID = '510623800101123';
const SECRETS = [PHONE, '6123456', ID, OLD_ID];

/** The full view, as a member of the village reads it. */
async function fullView(id: string): Promise<MatterView> {
  const res = await request(h.app)
    .get(`/api/matters/${id}`)
    .set('Authorization', await bearer(secretary.userId));
  expect([res.status, res.body.access]).toEqual([200, 'full']);
  return res.body as MatterView;
}

async function publicView(id: string): Promise<{ full: MatterView; pub: MatterView }> {
  const full = await fullView(id);
  const pinned = await h.catalog.get(full.procedure.id, full.procedure.version);
  if (!pinned) throw new Error(`version ${full.procedure.version} of ${full.procedure.id} is not in the catalog`);
  return { full, pub: redactMatterView(full, pinned.graph) };
}

function expectNoSecrets(pub: MatterView, secrets: string[]): void {
  const json = JSON.stringify(pub);
  for (const secret of secrets) expect(json).not.toContain(secret);
  expect(json).toContain(REDACTED);
}

function expectKept(pub: MatterView, full: MatterView): void {
  expect(pub.procedure).toEqual(full.procedure);
  expect(pub.status).toBe(full.status);
  expect(pub.amount).toBe(full.amount);
  expect(pub.completedSteps).toEqual(full.completedSteps);
  expect(pub.activeSteps.map((s) => s.id)).toEqual(full.activeSteps.map((s) => s.id));
  expect(pub.record.map((e) => [e.seq, e.userId, e.role, e.step, e.action, e.decision])).toEqual(
    full.record.map((e) => [e.seq, e.userId, e.role, e.step, e.action, e.decision]),
  );
  expect(verifyChain(pub.record).ok).toBe(true);
  expect(verifyChain(full.record)).toMatchObject({ ok: true, entries: full.record.length, redacted: [] });
}

describe('recusal of the payee through the workflow', () => {
  test('given a payment to a supervisor, when that supervisor reviews it, then 403 RECUSED and nothing is recorded; the chair may', async () => {
    const id = await h.start({
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '误工补贴',
      actor: accountant,
    });
    const application = {
      amount: 800,
      payee: supervisor.userId,
      payeeKind: 'individual',
      purpose: '协助清点集体资产误工补贴',
      invoiceCount: 1,
    };
    await ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    const before = await fullView(id);
    expect(before.activeSteps.find((s) => s.id === 'supervisor-review')?.recused).toEqual([
      accountant.userId,
      supervisor.userId,
    ]);

    const refused = await act(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });

    expect([refused.status, refused.body.error.code]).toEqual([403, 'RECUSED']);
    expect(refused.body.error.message).toContain('payee');
    expect((await fullView(id)).record.length).toBe(before.record.length);
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: chair });
    expect((await view(id)).activeSteps.map((s) => s.id)).toEqual(['director-sign']);
  });
});

describe('the record of a real matter is a hash chain', () => {
  test('given a matter with several steps, then every entry links to the one before and the chain verifies', async () => {
    const id = await h.start({
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '办公用品',
      actor: accountant,
    });
    const application = {
      amount: 300,
      payee: '罗江区文具店',
      payeeKind: 'organisation',
      purpose: '办公用品',
      invoiceCount: 1,
    };
    await ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });

    const v = await fullView(id);

    expect(v.record.length).toBe(3);
    expect(v.record[0]?.prev).toBe('0'.repeat(64));
    for (let i = 1; i < v.record.length; i++) expect(v.record[i]?.prev).toBe(v.record[i - 1]?.hash);
    expect(verifyChain(v.record)).toMatchObject({ ok: true, entries: 3, head: v.record[2]?.hash });
  });
});

describe('the public view of a matter of each procedure', () => {
  test('major decision: phones and ID numbers in the proposal, a meeting and an objection are masked', async () => {
    const id = await h.start({
      procedureId: 'major-decision',
      village: 'xinglong',
      title: '三组村道硬化',
      actor: secretary,
    });
    const proposal = {
      title: '三组村道硬化',
      description: `三组村道硬化约1.2公里。联系人电话 ${PHONE}，座机 ${LANDLINE}；占地农户身份证 ${ID}、${OLD_ID}`,
      category: 'infrastructure',
      estimatedAmount: 380000,
    };
    await ok(id, { step: 'propose', action: 'submit', data: proposal, actor: secretary });
    await ok(id, { step: 'deliberate', action: 'record', data: meeting('two-committees', 7, 6, 5), actor: director });
    await ok(id, { step: 'deliberate', action: 'confirm', comment: `会议记录人电话 ${PHONE}`, actor: supervisor });
    await ok(id, {
      step: null,
      action: 'raise-objection',
      comment: `群众反映（${LANDLINE}）占地补偿不清`,
      actor: chair,
    });

    const { full, pub } = await publicView(id);

    expectNoSecrets(pub, SECRETS);
    expectKept(pub, full);
    expect(pub.title).toBe('三组村道硬化');
    expect(pub.record[1]?.data).toMatchObject({
      title: '三组村道硬化',
      estimatedAmount: 380000,
      category: 'infrastructure',
    });
    expect(pub.objections.map((o) => o.reason)).toEqual([`群众反映（${REDACTED}）占地补偿不清`]);
  });

  test('fund approval: an individual payee’s name goes everywhere (title, data, reasons), an organisation’s stays', async () => {
    const payee = '李四娃';
    const id = await h.start({
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: `支付${payee}劳务费`,
      actor: accountant,
    });
    const application = {
      amount: 1500,
      payee,
      payeeKind: 'individual',
      purpose: `${payee}清理沟渠劳务费，电话 ${PHONE}，身份证 ${ID}`,
      invoiceCount: 1,
      invoicesHash: HASH,
    };
    await ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    await ok(id, { step: 'supervisor-review', action: 'object', comment: `${payee}的签收单缺失`, actor: supervisor });
    await ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    await ok(id, { step: 'director-sign', action: 'approve', actor: director });
    await ok(id, { step: 'secretary-sign', action: 'approve', actor: secretary });
    await ok(id, { step: 'town-review', action: 'approve', actor: town });
    const paid = { transferReference: 'NX20260310-0042', paidOn: '2026-03-10' };
    await ok(id, { step: 'payment', action: 'submit', data: paid, actor: accountant });

    const { full, pub } = await publicView(id);

    expect(full.status).toBe('ended');
    expectNoSecrets(pub, [...SECRETS, payee]);
    expectKept(pub, full);
    expect(pub.title).toBe(`支付${REDACTED}劳务费`);
    expect(pub.amount).toBe(1500);
    expect(pub.record.find((e) => e.step === 'apply')?.data).toMatchObject({
      amount: 1500,
      payee: REDACTED,
      payeeKind: 'individual',
      invoiceCount: 1,
      invoicesHash: HASH,
    });
    expect(pub.record.find((e) => e.step === 'payment')?.data).toEqual(paid);

    const org = await h.start({
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '建材款',
      actor: accountant,
    });
    const toOrg = { ...application, payee: '罗江区建材经营部', payeeKind: 'organisation', purpose: '建材款' };
    await ok(org, { step: 'apply', action: 'submit', data: toOrg, actor: accountant });
    const orgView = await publicView(org);
    expect(JSON.stringify(orgView.pub)).toContain('罗江区建材经营部');
    expect(orgView.pub).toEqual(orgView.full);
  });

  test('project bidding: a contractor stays, the phones and ID numbers in the meeting and records go', async () => {
    const id = await h.start({
      procedureId: 'project-bidding',
      village: 'xinglong',
      title: '村委会办公室维修',
      actor: director,
    });
    const project = { project: '村委会办公室维修', kind: 'works', budget: 8000, description: `现场联系人 ${PHONE}` };
    await ok(id, { step: 'register', action: 'submit', data: project, actor: director });
    await h.holdMeeting(id, 'direct-award', meeting('two-committees', 7, 6, 5, { contractor: '兴隆建筑' }));
    const contract = { contractor: '兴隆建筑', contractAmount: 7800, signedOn: '2026-04-20' };
    await ok(id, {
      step: 'contract',
      action: 'submit',
      data: contract,
      comment: `承包方负责人身份证 ${ID}`,
      actor: director,
    });
    const acceptance = { acceptedOn: '2026-09-30', conclusion: `合格。质量问题请拨 ${LANDLINE}`, finalAmount: 7800 };
    await ok(id, { step: 'acceptance', action: 'submit', data: acceptance, actor: director });

    const { full, pub } = await publicView(id);

    expectNoSecrets(
      pub,
      SECRETS.filter((s) => s !== OLD_ID),
    );
    expectKept(pub, full);
    expect(JSON.stringify(pub)).toContain('兴隆建筑');
    expect(pub.record.find((e) => e.step === 'contract')?.data).toEqual(contract);
    expect(pub.meetings).toEqual(full.meetings);
  });

  test('asset disposal: the plan, auction and contract keep their prices; phones and ID numbers go', async () => {
    const plan = {
      asset: '村委会旧办公楼一楼门面',
      kind: 'lease',
      bookValue: 30000,
      term: `5年（看房请联系 ${PHONE}）`,
      reservePrice: 12000,
      isLand: false,
    };
    const id = await h.start({
      procedureId: 'asset-disposal',
      village: 'xinglong',
      title: plan.asset,
      actor: director,
    });
    await ok(id, { step: 'propose-plan', action: 'submit', data: plan, actor: director });
    await ok(id, {
      step: 'supervisor-review',
      action: 'approve',
      comment: `已核对承租意向人身份证 ${ID}`,
      actor: supervisor,
    });
    await h.holdMeeting(id, 'resolve', meeting('representatives', 30, 25, 20));
    await waitFor(id, 'the village auction', isActive('village-auction'));
    const bid = { bestBid: 15000, bidders: 3, winner: '罗江某农业合作社', heldOn: '2026-04-01' };
    await ok(id, {
      step: 'village-auction',
      action: 'submit',
      data: bid,
      comment: `竞买人电话 ${LANDLINE}`,
      actor: committee,
    });
    await ok(id, { step: 'auction-witness', action: 'approve', actor: supervisor });

    const { full, pub } = await publicView(id);

    expectNoSecrets(
      pub,
      SECRETS.filter((s) => s !== OLD_ID),
    );
    expectKept(pub, full);
    expect(pub.record.find((e) => e.step === 'propose-plan')?.data).toMatchObject({
      asset: '村委会旧办公楼一楼门面',
      bookValue: 30000,
      reservePrice: 12000,
      // in the record a value with personal data is hidden whole, proven by its digest
      term: REDACTED,
    });
    expect(pub.record.find((e) => e.step === 'village-auction')?.data).toEqual(bid);
    expect(pub.notices).toEqual(full.notices);
  });
});

describe('the record API', () => {
  async function paidMatter(payee: string, payeeKind: string): Promise<string> {
    const id = await h.start({
      procedureId: 'fund-approval',
      village: 'xinglong',
      title: '清理沟渠',
      actor: accountant,
    });
    const application = { amount: 600, payee, payeeKind, purpose: `清理沟渠，联系电话 ${PHONE}`, invoiceCount: 1 };
    await ok(id, { step: 'apply', action: 'submit', data: application, actor: accountant });
    await ok(id, { step: 'supervisor-review', action: 'approve', actor: supervisor });
    await ok(id, { step: 'director-sign', action: 'approve', actor: director });
    return id;
  }

  test('given a real matter, when a member exports its record, then it verifies live and as a file; one altered entry is named', async () => {
    const id = await paidMatter('罗江区劳务合作社', 'organisation');

    const exported = await request(h.app)
      .get(`/api/matters/${id}/record`)
      .set('Authorization', await bearer(director.userId));

    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/json/);
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="${id}-record.json"`);
    const file = exported.body as { entries: Record<string, unknown>[]; head: string };
    expect(exported.body).toMatchObject({
      matterId: id,
      procedure: { id: 'fund-approval' },
      village: 'xinglong',
      access: 'full',
      head: file.entries.at(-1)?.hash,
    });
    expect(file.entries.map((e) => e.action)).toEqual(['start', 'submit', 'approve', 'approve']);
    expect(JSON.stringify(file)).toContain(PHONE);

    const live = await request(h.app).get(`/api/matters/${id}/record/verify`);
    expect([live.status, live.body]).toEqual([200, { ok: true, length: 4, head: file.head }]);
    const asFile = await request(h.app).post('/api/records/verify').send(file);
    expect([asFile.status, asFile.body]).toEqual([
      200,
      { matterId: id, ok: true, length: 4, head: file.head, redacted: [] },
    ]);

    // someone changes the amount in the downloaded file
    const altered = structuredClone(file);
    (altered.entries[1]?.data as Record<string, unknown>).amount = 60;
    const tampered = await request(h.app).post('/api/records/verify').send(altered);
    expect(tampered.status).toBe(200);
    expect(tampered.body).toMatchObject({ ok: false, brokenAt: 2, length: 4 });
    expect(tampered.body.reason).toMatch(/altered/);

    // or drops the supervisor's review
    const cut = { ...file, entries: file.entries.filter((e) => e.seq !== 3) };
    expect((await request(h.app).post('/api/records/verify').send(cut)).body).toMatchObject({ ok: false, brokenAt: 4 });
    // or cuts the last entry off: the head no longer matches
    const short = { ...file, entries: file.entries.slice(0, -1) };
    expect((await request(h.app).post('/api/records/verify').send(short)).body).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
  });

  test('given an anonymous reader, then the export is redacted, its masked entries are listed, and the rest still verifies', async () => {
    const payee = '王小二';
    const id = await paidMatter(payee, 'individual');

    const exported = await request(h.app).get(`/api/matters/${id}/record`);

    expect(exported.status).toBe(200);
    expect(exported.body.access).toBe('public');
    const json = JSON.stringify(exported.body);
    expect(json).not.toContain(payee);
    expect(json).not.toContain(PHONE);
    expect(exported.body.entries[1]).toMatchObject({ redacted: true, data: { amount: 600, payee: REDACTED } });
    const checked = await request(h.app).post('/api/records/verify').send(exported.body);
    expect(checked.body).toMatchObject({ ok: true, length: 4, redacted: [2] });
    const live = await request(h.app).get(`/api/matters/${id}/record/verify`);
    expect(live.body.head).toBe(exported.body.head);

    const altered = structuredClone(exported.body);
    altered.entries[2].userId = 'someone-else';
    expect((await request(h.app).post('/api/records/verify').send(altered)).body).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
    // the redacted payment itself: its amount is proven too
    const raised = structuredClone(exported.body);
    raised.entries[1].data.amount = 6000;
    expect((await request(h.app).post('/api/records/verify').send(raised)).body).toMatchObject({
      ok: false,
      brokenAt: 2,
    });
    // a member's full copy proves the same head
    const full = await request(h.app)
      .get(`/api/matters/${id}/record`)
      .set('Authorization', await bearer(people.auditor.userId));
    expect(full.body.access).toBe('full');
    expect((await request(h.app).post('/api/records/verify').send(full.body)).body).toMatchObject({
      ok: true,
      head: exported.body.head,
      redacted: [],
    });
  });

  test('given no such matter or a body that is not a record, then 404 and 400 in the one error shape', async () => {
    const missing = await request(h.app).get('/api/matters/matter-nope/record');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const notRecord = await request(h.app).post('/api/records/verify').send({ entries: 'no' });
    expect([notRecord.status, notRecord.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(notRecord.body.error.details[0].field).toBe('body.entries');
  });
});
