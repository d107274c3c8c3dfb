import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Label } from '../../common/graph';
import { hashPassword } from './passwords';
import { DirectorySchema, GrantSchema, type Directory, type Grant } from './schema';

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

function validated(file: string, value: unknown): Directory {
  const parsed = DirectorySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new DirectoryError(`${file}: ${problems.join('; ')}`);
}

export function emptyDirectory(): Directory {
  return { towns: [], villages: [], users: [] };
}

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
  return validated(file, json);
}

/** Validates before writing and writes through a temporary file: a bad change never reaches the disk. */
export function saveDirectory(file: string, directory: Directory): void {
  const checked = validated(file, directory);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Each change returns a new, validated directory (the rules of DirectorySchema hold after every step). */
export const edit = {
  addTown(d: Directory, id: string, name: Label): Directory {
    return validated('directory', { ...d, towns: [...d.towns, { id, name }] });
  },
  addVillage(d: Directory, id: string, town: string, name: Label): Directory {
    return validated('directory', { ...d, villages: [...d.villages, { id, town, name }] });
  },
  async addUser(d: Directory, id: string, name: string, password: string, phone?: string): Promise<Directory> {
    if (password.length < 8) throw new DirectoryError('password must be at least 8 characters');
    const user = { id, name, passwordHash: await hashPassword(password), roles: [], ...(phone ? { phone } : {}) };
    return validated('directory', { ...d, users: [...d.users, user] });
  },
  grant(d: Directory, userId: string, grant: Grant): Directory {
    const g = GrantSchema.parse(grant);
    if (!d.users.some((u) => u.id === userId)) throw new DirectoryError(`no user ${userId}`);
    return validated('directory', {
      ...d,
      users: d.users.map((u) => (u.id === userId ? { ...u, roles: [...u.roles, g] } : u)),
    });
  },
  revoke(d: Directory, userId: string, grant: Grant): Directory {
    const user = d.users.find((u) => u.id === userId);
    if (!user) throw new DirectoryError(`no user ${userId}`);
    const same = (g: Grant) => g.role === grant.role && g.village === grant.village && g.town === grant.town;
    if (!user.roles.some(same)) throw new DirectoryError(`${userId} does not hold that role`);
    return validated('directory', {
      ...d,
      users: d.users.map((u) => (u.id === userId ? { ...u, roles: u.roles.filter((g) => !same(g)) } : u)),
    });
  },
  async resetPassword(d: Directory, userId: string, password: string): Promise<Directory> {
    if (!d.users.some((u) => u.id === userId)) throw new DirectoryError(`no user ${userId}`);
    if (password.length < 8) throw new DirectoryError('password must be at least 8 characters');
    const passwordHash = await hashPassword(password);
    return validated('directory', { ...d, users: d.users.map((u) => (u.id === userId ? { ...u, passwordHash } : u)) });
  },
};
