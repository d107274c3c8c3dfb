import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AttachmentMetaSchema,
  Sha256Schema,
  type AttachmentMeta,
  type AttachmentStorePort,
  type AttachmentType,
  type AttachmentUse,
} from '../common/attachments';

/**
 * Attachments as files under DATA_DIR: `<dir>/<first 2 hex>/<sha256>` holds the bytes and
 * `<sha256>.json` the type and where the file was uploaded. The hash is computed here from the
 * bytes received, never taken from the client. Bytes are written aside and hard-linked into place,
 * so a file is either absent or whole, and two uploads of the same file race harmlessly.
 * Production keeps the same layout on a volume shared by the API processes (docker-compose);
 * an object store (S3-compatible, keyed by the same hash) is a drop-in adapter of this port.
 */
export function createFileAttachmentStore(dir: string): AttachmentStorePort {
  const where = (hash: string) => {
    Sha256Schema.parse(hash);
    const folder = path.join(dir, hash.slice(0, 2));
    return { folder, bytes: path.join(folder, hash), meta: path.join(folder, `${hash}.json`) };
  };
  const aside = (target: string) => `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const readMeta = async (file: string): Promise<AttachmentMeta | undefined> => {
    try {
      return AttachmentMetaSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  // one writer of a file's metadata at a time in this process (uses are read, extended, replaced)
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
    queues.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };

  return {
    async put(bytes: Uint8Array, type: AttachmentType, use: AttachmentUse) {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const file = where(hash);
      await mkdir(file.folder, { recursive: true });
      const tmp = aside(file.bytes);
      await writeFile(tmp, bytes, { flag: 'wx' });
      try {
        await link(tmp, file.bytes);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        await unlink(tmp);
      }
      return serial(hash, async () => {
        const before = await readMeta(file.meta);
        const same = (u: AttachmentUse) => u.village === use.village && u.matter === use.matter;
        const meta: AttachmentMeta = {
          hash,
          type: before?.type ?? type,
          size: bytes.byteLength,
          uses: before?.uses.some(same) ? before.uses : [...(before?.uses ?? []), use],
        };
        const tmpMeta = aside(file.meta);
        await writeFile(tmpMeta, `${JSON.stringify(meta, null, 2)}\n`);
        await rename(tmpMeta, file.meta);
        return meta;
      });
    },
    meta: (hash) => (Sha256Schema.safeParse(hash).success ? readMeta(where(hash).meta) : Promise.resolve(undefined)),
    async read(hash) {
      if (!Sha256Schema.safeParse(hash).success) return undefined;
      try {
        return new Uint8Array(await readFile(where(hash).bytes));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
