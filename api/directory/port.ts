import { statSync } from 'node:fs';
import type { Directory } from './schema';
import { loadDirectory } from './store';

/** Where the API reads the directory from: the file in production, a value in tests. */
export interface DirectoryPort {
  current(): Directory;
}

/**
 * Reads DIRECTORY_FILE again whenever it changes on disk, so a role granted or revoked with
 * `npm run directory` takes effect on the next request without restarting the API. A file that
 * turns invalid keeps the last good directory (and the CLI never writes an invalid one).
 */
export function fileDirectory(file: string): DirectoryPort {
  let loaded = loadDirectory(file);
  let stamp = statSync(file).mtimeMs;
  return {
    current() {
      try {
        const now = statSync(file).mtimeMs;
        if (now !== stamp) {
          loaded = loadDirectory(file);
          stamp = now;
        }
      } catch {
        // keep serving the last good directory
      }
      return loaded;
    },
  };
}

export function memoryDirectory(directory: Directory): DirectoryPort {
  return { current: () => directory };
}
