import type { Label } from '../../common/graph';
import { DirectoryError, GrantSchema, parseDirectory, type Directory, type Grant } from '../../common/directory';
import { hashPassword } from './passwords';

/** Each change returns a new, validated directory (the rules of DirectorySchema hold after every step). */
export const edit = {
  addTown(d: Directory, id: string, name: Label): Directory {
    return parseDirectory('directory', { ...d, towns: [...d.towns, { id, name }] });
  },
  addVillage(d: Directory, id: string, town: string, name: Label, options: { practice?: boolean } = {}): Directory {
    const village = { id, town, name, ...(options.practice ? { practice: true as const } : {}) };
    return parseDirectory('directory', { ...d, villages: [...d.villages, village] });
  },
  async addUser(d: Directory, id: string, name: string, password: string, phone?: string): Promise<Directory> {
    if (password.length < 8) throw new DirectoryError('password must be at least 8 characters');
    const user = { id, name, passwordHash: await hashPassword(password), roles: [], ...(phone ? { phone } : {}) };
    return parseDirectory('directory', { ...d, users: [...d.users, user] });
  },
  grant(d: Directory, userId: string, grant: Grant): Directory {
    const g = GrantSchema.parse(grant);
    if (!d.users.some((u) => u.id === userId)) throw new DirectoryError(`no user ${userId}`);
    return parseDirectory('directory', {
      ...d,
      users: d.users.map((u) => (u.id === userId ? { ...u, roles: [...u.roles, g] } : u)),
    });
  },
  revoke(d: Directory, userId: string, grant: Grant): Directory {
    const user = d.users.find((u) => u.id === userId);
    if (!user) throw new DirectoryError(`no user ${userId}`);
    const same = (g: Grant) => g.role === grant.role && g.village === grant.village && g.town === grant.town;
    if (!user.roles.some(same)) throw new DirectoryError(`${userId} does not hold that role`);
    return parseDirectory('directory', {
      ...d,
      users: d.users.map((u) => (u.id === userId ? { ...u, roles: u.roles.filter((g) => !same(g)) } : u)),
    });
  },
  async resetPassword(d: Directory, userId: string, password: string): Promise<Directory> {
    if (!d.users.some((u) => u.id === userId)) throw new DirectoryError(`no user ${userId}`);
    if (password.length < 8) throw new DirectoryError('password must be at least 8 characters');
    const passwordHash = await hashPassword(password);
    return parseDirectory('directory', {
      ...d,
      users: d.users.map((u) => (u.id === userId ? { ...u, passwordHash } : u)),
    });
  },
};
