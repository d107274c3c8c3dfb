import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';

/**
 * The record of a matter is a hash chain: each entry carries `prev`, the hash of the entry before
 * it (the first one: 64 zeros), and `hash`. Change, drop or reorder one entry and every later link
 * breaks.
 *
 * Two ways an entry's `hash` is made:
 * - committed (entries that carry a `salt`, written since the record-commitments patch): every leaf
 *   of the content (a path to a string, number, boolean, null, or empty object/array) is committed
 *   with its own salt, `digest = sha256([leafSalt, path, value])`, `leafSalt = sha256(salt, path)`,
 *   and `hash = sha256({v: 2, leaves: {path: digest}, prev})`. The public copy hides a personal value
 *   by giving its digest instead of the value, and the salts of the leaves it shows, never the
 *   entry's salt: anyone recomputes the same hash, nobody learns the hidden value (its salt is
 *   unknown, so even an 11-digit phone number cannot be guessed against the digest), and changing
 *   any shown value breaks the hash.
 * - plain (entries written before): sha256 over the canonical JSON of the content with `prev`.
 *   Their public copies cannot hide anything verifiably, so a masked plain entry is not proven.
 *
 * Pure and deterministic (@noble/hashes, no Node built-ins): the workflow hashes each entry as it
 * appends it, and the API and a resident with a downloaded record check it with the same code.
 */

export const GENESIS = '0'.repeat(64);

export interface ChainLinks {
  prev: string;
  hash: string;
}

/** Fields of an exported entry that are not its content. */
const NOT_CONTENT = new Set(['prev', 'hash', 'redacted', 'salt', 'proof']);

/** The public copy of a committed entry that hides values: shown leaves' salts, hidden leaves' digests. */
export interface LeafProof {
  salts: Record<string, string>;
  digests: Record<string, string>;
}

function contentOf(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !NOT_CONTENT.has(key)));
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The hash an entry must carry after `prev`. */
export function entryHash(entry: object, prev: string): string {
  return sha256Hex(canonicalJson({ ...contentOf(entry as Record<string, unknown>), prev }));
}

/** What a public copy shows in place of a hidden leaf. */
export const HIDDEN = '[已隐去 / redacted]';

/** A leaf's path as a map key: the JSON of its keys (so no key can fake another path). */
function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/** The leaves of a value: path key → leaf value (empty objects and arrays are leaves too). */
export function leavesOf(value: unknown, path: (string | number)[] = [], out = new Map<string, unknown>()) {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => leavesOf(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) leavesOf(v, [...path, k], out);
  } else out.set(pathKey(path), value);
  return out;
}

/** The salt of one leaf: derived from the entry's salt, so shown leaves' salts reveal no other. */
export function leafSalt(salt: string, path: string): string {
  return sha256Hex(`${salt}\u0000${path}`);
}

export function leafDigest(salt: string, path: string, value: unknown): string {
  return sha256Hex(canonicalJson([salt, path, value]));
}

function committedHash(digests: Record<string, string>, prev: string): string {
  return sha256Hex(canonicalJson({ v: 2, leaves: digests, prev }));
}

/** The hash of a committed entry (its content and salt) after `prev`. */
export function committedEntryHash(entry: object, salt: string, prev: string): string {
  const digests: Record<string, string> = {};
  for (const [path, value] of leavesOf(contentOf(entry as Record<string, unknown>)))
    digests[path] = leafDigest(leafSalt(salt, path), path, value);
  return committedHash(digests, prev);
}

/** The salt of entry `seq` of a matter whose record is committed with `seed` (kept in the workflow). */
export function entrySalt(seed: string, seq: number): string {
  return sha256Hex(`${seed}\u0000${seq}`);
}

/**
 * The entry with its links, following the entry whose hash is `prev`; with a salt, committed leaf
 * by leaf (see above), else plain.
 */
export function chainEntry<T extends object>(entry: T, prev: string, salt?: string): T & ChainLinks {
  const content = contentOf(entry as Record<string, unknown>) as T;
  if (salt !== undefined) return { ...content, salt, prev, hash: committedEntryHash(content, salt, prev) };
  return { ...content, prev, hash: entryHash(content, prev) };
}

/**
 * The public copy of a committed entry: each leaf `hide` picks is shown as HIDDEN and proven by its
 * digest; the others are shown with their salts. Nothing hidden → the entry as it is.
 */
export function hideLeaves<T extends object>(
  entry: T & ChainLinks & { salt: string },
  hide: (path: (string | number)[], value: unknown) => boolean,
): (T & ChainLinks & { redacted?: true; proof?: LeafProof }) | (Record<string, unknown> & ChainLinks) {
  const content = contentOf(entry as Record<string, unknown>);
  const proof: LeafProof = { salts: {}, digests: {} };
  let shown: unknown = JSON.parse(JSON.stringify(content));
  let hidden = 0;
  for (const [path, value] of leavesOf(content)) {
    const keys = JSON.parse(path) as (string | number)[];
    const salt = leafSalt(entry.salt, path);
    if (hide(keys, value)) {
      proof.digests[path] = leafDigest(salt, path, value);
      shown = setAt(shown, keys, HIDDEN);
      hidden += 1;
    } else proof.salts[path] = salt;
  }
  if (hidden === 0) return entry;
  return { ...(shown as Record<string, unknown>), prev: entry.prev, hash: entry.hash, redacted: true, proof };
}

function setAt(target: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = target as Record<string | number, unknown>;
  container[head] = setAt(container[head], rest, value);
  return container;
}

/** The hash of the last entry: what the next entry's `prev` must be. */
export function headOf(entries: readonly Partial<ChainLinks>[]): string {
  return entries.at(-1)?.hash ?? GENESIS;
}

/**
 * Links every entry that has none yet, in order. Records written before the chain existed (a
 * state carried across continue-as-new by older code) get their hashes the first time they are
 * touched; entries that already carry links keep them, so a broken link stays visible.
 */
export function chainAll<T extends object>(entries: readonly (T & Partial<ChainLinks>)[]): (T & ChainLinks)[] {
  const out: (T & ChainLinks)[] = [];
  let prev = GENESIS;
  for (const entry of entries) {
    const linked =
      typeof entry.hash === 'string' && typeof entry.prev === 'string'
        ? (entry as T & ChainLinks)
        : chainEntry(entry, prev);
    out.push(linked);
    prev = linked.hash;
  }
  return out;
}

/** True when some entry has no links yet (cheap: entries are linked in order, so the last tells). */
export function needsChaining(entries: readonly Partial<ChainLinks>[]): boolean {
  const last = entries.at(-1);
  return last !== undefined && (typeof last.hash !== 'string' || typeof last.prev !== 'string');
}

export interface ChainVerdict {
  ok: boolean;
  /** number of entries checked */
  entries: number;
  /** hash of the last entry (GENESIS for an empty record) */
  head: string;
  /** entries that hide personal data from the public: proven by the digests of the hidden values */
  redacted: number[];
  /** the `seq` of the first entry that does not verify (its position from 1 when it has no seq) */
  brokenAt?: number;
  reason?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function nameOf(entry: unknown, index: number): number {
  const seq = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : index + 1;
}

/** The hash a public copy of a committed entry proves, or why it proves none. */
function provenHash(e: Record<string, unknown>, prev: string): string | { reason: string } {
  const proof = e.proof as Partial<LeafProof> | undefined;
  const salts = proof?.salts;
  const digests = proof?.digests;
  const isMap = (m: unknown): m is Record<string, string> =>
    typeof m === 'object' && m !== null && Object.values(m).every((v) => typeof v === 'string' && HEX64.test(v));
  if (!isMap(salts) || !isMap(digests))
    return { reason: 'the proof of the hidden values is malformed / 隐去内容的证明格式不对' };
  const all: Record<string, string> = {};
  const leaves = leavesOf(contentOf(e));
  for (const [path, value] of leaves) {
    if (Object.hasOwn(digests, path)) {
      if (value !== HIDDEN) return { reason: `a value proven hidden is shown (${path}) / 已隐去的内容却被显示` };
      all[path] = digests[path] as string;
    } else if (Object.hasOwn(salts, path)) {
      all[path] = leafDigest(salts[path] as string, path, value);
    } else return { reason: `a value has no proof (${path}) / 有内容缺少证明` };
  }
  if (Object.keys(salts).length + Object.keys(digests).length !== leaves.size)
    return { reason: 'the proof names values the entry does not hold / 证明与内容不符' };
  return committedHash(all, prev);
}

const ALTERED = 'the content does not match its hash: the entry was altered / 内容与哈希不符：该条记录被改动过';

/**
 * Recomputes the chain. A committed entry is checked leaf by leaf: in a member's full copy with its
 * salt, in the public copy with the shown leaves' salts and the hidden leaves' digests, so both give
 * the same head. A plain (pre-commitment) entry masked for the public cannot be proven: not ok.
 */
export function verifyChain(entries: readonly unknown[]): ChainVerdict {
  let prev = GENESIS;
  const redacted: number[] = [];
  const broken = (index: number, reason: string): ChainVerdict => ({
    ok: false,
    entries: entries.length,
    head: prev,
    redacted,
    brokenAt: nameOf(entries[index], index),
    reason,
  });
  for (const [index, entry] of entries.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return broken(index, 'entry is not an object / 记录条目格式不对');
    }
    const e = entry as Record<string, unknown>;
    if (typeof e.hash !== 'string' || !HEX64.test(e.hash) || typeof e.prev !== 'string') {
      return broken(index, 'entry has no hash or prev / 记录条目缺少哈希');
    }
    if (e.prev !== prev) {
      return broken(
        index,
        index === 0
          ? 'the first entry does not start the chain / 第一条记录的前序哈希不对'
          : 'prev is not the hash of the entry before: an entry was changed, removed or reordered / 前序哈希对不上：有记录被改动、删除或调换',
      );
    }
    if (e.proof !== undefined) {
      const proven = provenHash(e, prev);
      if (typeof proven !== 'string') return broken(index, proven.reason);
      if (proven !== e.hash) return broken(index, ALTERED);
      redacted.push(nameOf(entry, index));
    } else if (typeof e.salt === 'string') {
      if (committedEntryHash(e, e.salt, prev) !== e.hash) return broken(index, ALTERED);
    } else if (e.redacted === true) {
      return broken(
        index,
        'this entry was recorded before values were committed one by one: its public copy hides data that cannot be proven; a member of the village can verify the full copy / 该条记录早于逐项承诺，公开版隐去的内容无法证明，可请本村成员核验完整版',
      );
    } else if (entryHash(e, prev) !== e.hash) {
      return broken(index, ALTERED);
    }
    prev = e.hash;
  }
  return { ok: true, entries: entries.length, head: prev, redacted };
}
