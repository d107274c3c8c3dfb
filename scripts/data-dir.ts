import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** Creates DATA_DIR if needed and proves it is a writable directory, before any server touches it. */
export function prepareDataDir(dir: string): string {
  const absolute = path.resolve(dir);
  let isDirectory = false;
  try {
    isDirectory = statSync(absolute).isDirectory();
    if (!isDirectory) throw new DataDirError(`DATA_DIR=${dir} is not a directory / 不是目录`);
  } catch (err) {
    if (err instanceof DataDirError) throw err;
  }
  if (!isDirectory) {
    try {
      mkdirSync(absolute, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new DataDirError(`DATA_DIR=${dir} cannot be created (${code}) / 无法创建数据目录`);
    }
  }
  try {
    accessSync(absolute, constants.W_OK);
  } catch {
    throw new DataDirError(`DATA_DIR=${dir} is not writable / 数据目录不可写`);
  }
  return absolute;
}
