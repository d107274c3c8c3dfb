import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { DirectoryError, parseDirectory, type Directory, type DirectoryPort } from '../common/directory';

/** The directory of people as one JSON file (DIRECTORY_FILE, by default `$DATA_DIR/directory.json`). */
export function loadDirectory(file: string): Directory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
    throw new DirectoryError(`${file}: cannot be read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DirectoryError(`${file}: not valid JSON`);
  }
  return parseDirectory(file, json);
}

/** Validates before writing and writes through a temporary file: a bad change never reaches the disk. */
export function saveDirectory(file: string, directory: Directory): void {
  const checked = parseDirectory(file, directory);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * Reads the file again whenever it changes on disk, so a role granted or revoked with
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
