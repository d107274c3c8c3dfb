import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';

/**
 * The record of a matter is a hash chain: each entry carries `prev`, the hash of the entry before
 * it (the first one: 64 zeros), and `hash` = sha256 over the canonical JSON of the entry's content
 * together with `prev`. Change, drop or reorder one entry and every later link breaks.
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
const NOT_CONTENT = new Set(['prev', 'hash', 'redacted']);

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

/** The entry with its links, following the entry whose hash is `prev`. */
export function chainEntry<T extends object>(entry: T, prev: string): T & ChainLinks {
  const content = contentOf(entry as Record<string, unknown>) as T;
  return { ...content, prev, hash: entryHash(content, prev) };
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
  /** entries whose content was redacted for the public: their links are checked, their content cannot be */
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

/**
 * Recomputes the chain. An entry marked `redacted: true` (the public export hides personal data
 * in it) is checked for its links only: its content hash needs the words that were hidden.
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
    if (e.redacted === true) {
      redacted.push(nameOf(entry, index));
    } else if (entryHash(e, prev) !== e.hash) {
      return broken(
        index,
        'the content does not match its hash: the entry was altered / 内容与哈希不符：该条记录被改动过',
      );
    }
    prev = e.hash;
  }
  return { ok: true, entries: entries.length, head: prev, redacted };
}
