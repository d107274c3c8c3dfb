import fc from 'fast-check';
import { canonicalJson } from '../../common/canonical-json';
import { applyEvent, startMatter, type Actor, type MatterState } from '../../common/engine';
import { viewOf } from '../../common/matter-view';
import { GENESIS, chainAll, chainEntry, hideLeaves, sha256Hex, verifyChain } from '../../common/record-chain';
import { REDACTED } from '../../common/redact';
import { buildGraph } from '../helpers/graph-builder';

/** The record of a matter is a hash chain: any change to any entry breaks it at that entry. */

const entryArb = fc.record({
  at: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  userId: fc.string({ minLength: 1, maxLength: 12 }),
  role: fc.constantFrom('secretary', 'supervisor', 'system'),
  step: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: null }),
  action: fc.constantFrom('start', 'submit', 'approve', 'object', 'record', 'confirm', 'end'),
  data: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
  reason: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
});

const chainArb = fc
  .array(entryArb, { minLength: 1, maxLength: 12 })
  .map((entries) => chainAll(entries.map((e, i) => ({ seq: i + 1, ...e }))));

describe('record chain', () => {
  test('sha256 is the standard one (FIPS 180-2 test vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('given a chain built entry by entry, then it verifies and the first entry follows the genesis', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const verdict = verifyChain(JSON.parse(JSON.stringify(chain)) as unknown[]);
        expect(verdict).toEqual({ ok: true, entries: chain.length, head: chain.at(-1)?.hash, redacted: [] });
        expect(chain[0]?.prev).toBe(GENESIS);
      }),
    );
  });

  test('the hash covers the content and prev, not the key order', () => {
    const a = chainEntry({ seq: 1, action: 'start', data: { x: 1, y: [1, 2] } }, GENESIS);
    const b = chainEntry({ data: { y: [1, 2], x: 1 }, action: 'start', seq: 1 }, GENESIS);
    expect(a.hash).toBe(b.hash);
    expect(chainEntry({ seq: 1, action: 'start' }, 'f'.repeat(64)).hash).not.toBe(
      chainEntry({ seq: 1, action: 'start' }, GENESIS).hash,
    );
  });

  test('given any chain, when any single field of any entry is changed, then verification breaks at that entry', () => {
    fc.assert(
      fc.property(
        chainArb.chain((chain) =>
          fc.record({
            chain: fc.constant(chain),
            index: fc.nat({ max: chain.length - 1 }),
            // an existing field (content or link) or a new one
            field: fc.oneof(
              fc.constantFrom('seq', 'at', 'userId', 'role', 'step', 'action', 'data', 'reason', 'prev', 'hash'),
              fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== 'redacted' && k !== '__proto__'),
            ),
            value: fc.jsonValue({ maxDepth: 2 }),
          }),
        ),
        ({ chain, index, field, value }) => {
          const entries = JSON.parse(JSON.stringify(chain)) as Record<string, unknown>[];
          const entry = entries[index] as Record<string, unknown>;
          fc.pre(canonicalJson(entry[field]) !== canonicalJson(value) && value !== undefined);
          entry[field] = value;

          const verdict = verifyChain(entries);

          expect(verdict.ok).toBe(false);
          // the entry is named by its seq, unless the seq itself is what was changed
          const named = field === 'seq' && typeof value === 'number' && Number.isInteger(value) ? value : index + 1;
          expect(verdict.brokenAt).toBe(named);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('given an entry removed or two swapped, then verification breaks where the chain was cut', () => {
    fc.assert(
      fc.property(
        chainArb.filter((c) => c.length >= 2),
        fc.nat(),
        (chain, n) => {
          const at = n % (chain.length - 1);
          const removed = chain.filter((_, i) => i !== at);
          expect(verifyChain(removed)).toMatchObject({ ok: false, brokenAt: at + 2 });
          const swapped = [...chain];
          [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
          expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: at + 2 });
        },
      ),
    );
  });

  test('given malformed input, then a verdict, never a throw', () => {
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: GENESIS, redacted: [] });
    expect(verifyChain([null])).toMatchObject({ ok: false, brokenAt: 1 });
    expect(verifyChain([{ seq: 1, action: 'start' }])).toMatchObject({ ok: false, brokenAt: 1 });
    expect(verifyChain([{ seq: 1, prev: GENESIS, hash: 'x' }])).toMatchObject({ ok: false, brokenAt: 1 });
  });

  test('a plain entry marked redacted proves nothing: a forger who edits an entry and adds the mark does not pass', () => {
    const chain = chainAll([
      { seq: 1, action: 'start' },
      { seq: 2, action: 'submit', data: { amount: 1800, payee: '张三' } },
      { seq: 3, action: 'approve' },
    ]);
    const forged = chain.map((e) =>
      e.seq === 2 ? { ...e, data: { amount: 18000, payee: REDACTED }, redacted: true } : e,
    );

    expect(verifyChain(forged)).toMatchObject({ ok: false, brokenAt: 2 });
    expect(verifyChain(forged).reason).toContain('cannot be proven');
  });
});

describe('redaction keeps the record verifiable: each hidden value is committed inside the hash', () => {
  const salt = (n: number) => sha256Hex(`seed-${n}`);
  const committed = () => {
    let prev = GENESIS;
    return [
      { seq: 1, action: 'start', data: { title: '付款给张三' } },
      { seq: 2, action: 'submit', data: { amount: 1800, payee: '张三', phone: '13812345678', purpose: '修路' } },
      { seq: 3, action: 'approve', reason: '同意' },
    ].map((e) => {
      const linked = chainEntry(e, prev, salt(e.seq));
      prev = linked.hash;
      return linked as typeof linked & { salt: string };
    });
  };
  const personal = (_path: (string | number)[], value: unknown) =>
    typeof value === 'string' && (value.includes('张三') || /1\d{10}/.test(value));
  const publicCopy = () => committed().map((e) => hideLeaves(e, personal)) as Record<string, unknown>[];

  test("the public copy hides each personal value whole and proves the same head as a member's full copy", () => {
    const full = verifyChain(committed());
    const shown = publicCopy();
    const open = verifyChain(shown);

    expect(full).toMatchObject({ ok: true, entries: 3, redacted: [] });
    expect(open).toMatchObject({ ok: true, entries: 3, head: full.head, redacted: [1, 2] });
    const text = JSON.stringify(shown);
    expect(text).not.toContain('张三');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('修路');
    expect(shown[1]?.salt).toBeUndefined();
    expect(shown[2]).toEqual(committed()[2]);
  });

  test('changing a shown value of a redacted entry (a payment of 1,800 made 18,000) breaks the public copy', () => {
    const shown = publicCopy();
    (shown[1]?.data as Record<string, unknown>).amount = 18000;
    expect(verifyChain(shown)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  test('a hidden value cannot be swapped, shown, or left without proof', () => {
    const swapped = publicCopy();
    const proof = swapped[1]?.proof as { digests: Record<string, string>; salts: Record<string, string> };
    proof.digests['["data","payee"]'] = sha256Hex('李四');
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 2 });

    const revealedWrong = publicCopy();
    (revealedWrong[1]?.data as Record<string, unknown>).payee = '李四';
    expect(verifyChain(revealedWrong)).toMatchObject({ ok: false, brokenAt: 2 });

    const unproven = publicCopy();
    const p = unproven[1]?.proof as { salts: Record<string, string> };
    delete p.salts['["data","purpose"]'];
    expect(verifyChain(unproven)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  test('a committed entry stripped of its salt, or of its proof, does not verify', () => {
    const stripped = committed().map(({ salt: _s, ...rest }) => rest);
    expect(verifyChain(stripped)).toMatchObject({ ok: false, brokenAt: 1 });
    const noProof = publicCopy().map(({ proof: _p, ...rest }) => rest);
    expect(verifyChain(noProof)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  test('given any committed chain and any leaf changed in its full copy, then it breaks at that entry', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.jsonValue({ maxDepth: 1 }), (plain, n, value) => {
        let prev = GENESIS;
        const chain = plain.map(({ prev: _p, hash: _h, ...e }, i) => {
          const linked = chainEntry(e, prev, salt(i));
          prev = linked.hash;
          return linked;
        });
        expect(verifyChain(chain).ok).toBe(true);
        const index = n % chain.length;
        const entry = JSON.parse(JSON.stringify(chain[index])) as Record<string, unknown>;
        fc.pre(canonicalJson(entry.action) !== canonicalJson(value) && value !== undefined);
        entry.action = value;
        const altered = [...chain.slice(0, index), entry, ...chain.slice(index + 1)];
        expect(verifyChain(altered)).toMatchObject({ ok: false, brokenAt: index + 1 });
      }),
      { numRuns: 50 },
    );
  });
});

describe('record chain in the engine', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      check: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'check'],
      ['f2', 'check', 'done'],
    ],
  );
  const secretary: Actor = { userId: 'li-secretary', role: 'secretary' };
  const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor' };
  const T0 = Date.parse('2026-03-02T01:00:00Z');
  const approve = { type: 'act', at: T0 + 1, actor: supervisor, step: 'check', action: 'approve', data: {} } as const;

  test('given a matter that runs to its end, then every entry of its record is linked and the chain verifies', () => {
    const started = startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator: secretary }, T0);
    const ended = applyEvent(graph, started, approve);

    expect(ended.record.map((e) => e.action)).toEqual(['start', 'approve', 'end']);
    expect(ended.record.every((e) => typeof e.hash === 'string' && typeof e.prev === 'string')).toBe(true);
    expect(verifyChain(ended.record)).toMatchObject({ ok: true, entries: 3 });
    expect(verifyChain(viewOf(graph, ended).record)).toMatchObject({ ok: true, entries: 3 });
  });

  test('given a state carried from code that kept no chain, then the view links it, and so does the next entry', () => {
    const started = startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator: secretary }, T0);
    const older: MatterState = { ...started, record: started.record.map(({ prev: _p, hash: _h, ...rest }) => rest) };

    expect(verifyChain(viewOf(graph, older).record)).toMatchObject({ ok: true, entries: 1 });
    const ended = applyEvent(graph, older, approve);
    expect(verifyChain(ended.record)).toMatchObject({ ok: true, entries: 3 });
    expect(ended.record[0]?.hash).toBe(started.record[0]?.hash);
  });
});
