import type { IncomingMessage } from 'node:http';

/** How deep a request's JSON may nest; no body of this API comes near it. */
export const MAX_JSON_DEPTH = 64;

/**
 * `verify` of express.json: refuses JSON nested deeper than `maxDepth` before it is parsed, so a
 * body of 40,000 brackets (small enough for the size limit) cannot exhaust the stack of whatever
 * walks it later (zod, JSON.stringify). One pass over the bytes, skipping strings; hand-written
 * because body-parser has no depth option and a parser library would parse everything twice.
 */
export function limitJsonDepth(maxDepth = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: unknown, buf: Buffer): void => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (c === 0x5c)
          i++; // backslash: skip the escaped byte
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x5b || c === 0x7b) {
        if (++depth > maxDepth) {
          throw Object.assign(new Error(`JSON nested deeper than ${maxDepth}`), { type: 'entity.too.deep' });
        }
      } else if (c === 0x5d || c === 0x7d) {
        depth--;
      }
    }
  };
}
