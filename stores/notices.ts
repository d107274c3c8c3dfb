import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile, link } from 'node:fs/promises';
import path from 'node:path';
import { MonthSchema, type MonthlyNotice, type NoticeStorePort } from '../common/monthly-notice';

const VILLAGE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Monthly notices as JSON files, `<dir>/<village>/<YYYY-MM>.json`, under DATA_DIR. Chosen over
 * workflow results because Temporal deletes closed workflows after the namespace's retention,
 * while a notice must stay on the board for good. A notice is written once: the file is written
 * aside, then hard-linked into place, which fails if a notice for that month already exists, so
 * two publishers racing (a retry, a backfill) leave exactly one.
 */
export function createNoticeStore(dir: string): NoticeStorePort {
  const file = (village: string, month: string) => {
    if (!VILLAGE.test(village)) throw new Error(`bad village id ${JSON.stringify(village)}`);
    MonthSchema.parse(month);
    return path.join(dir, village, `${month}.json`);
  };
  const read = async (target: string): Promise<MonthlyNotice | undefined> => {
    try {
      return JSON.parse(await readFile(target, 'utf8')) as MonthlyNotice;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  return {
    get: (village, month) => read(file(village, month)),
    async months(village) {
      if (!VILLAGE.test(village)) return [];
      try {
        const names = await readdir(path.join(dir, village));
        return names
          .filter((n) => /^\d{4}-\d{2}\.json$/.test(n))
          .map((n) => n.slice(0, 7))
          .sort()
          .reverse();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    async putIfAbsent(notice) {
      const target = file(notice.village, notice.month);
      const existing = await read(target);
      if (existing) return { created: false, notice: existing };
      await mkdir(path.dirname(target), { recursive: true });
      const aside = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(aside, `${JSON.stringify(notice, null, 2)}\n`, { flag: 'wx' });
      try {
        await link(aside, target);
        return { created: true, notice };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const winner = await read(target);
        if (!winner) throw err;
        return { created: false, notice: winner };
      } finally {
        await rm(aside, { force: true });
      }
    },
  };
}
