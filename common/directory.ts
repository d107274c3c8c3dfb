import { z } from 'zod';
import { LabelSchema, RoleSchema, type Role } from './graph';

/**
 * The directory of people: towns, villages, users and their roles, one JSON file (DIRECTORY_FILE).
 * Roles are scoped: village roles to a village, the town official to a town, district roles to all.
 */

export const VILLAGE_ROLES = [
  'secretary',
  'director',
  'committee',
  'accountant',
  'supervisor',
  'supervisor-chair',
] as const;
export const TOWN_ROLES = ['town-official'] as const;
export const DISTRICT_ROLES = ['district-auditor', 'district-admin'] as const;

/** 村民委员会组织法 Art. 32: members of the villagers' committee may not sit on the supervisory committee. */
const VILLAGERS_COMMITTEE: Role[] = ['director', 'committee'];
const SUPERVISORY: Role[] = ['supervisor', 'supervisor-chair'];

/** The stored form of a password (api/directory/passwords.ts): scheme, parameters, salt, key. */
export const PASSWORD_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and hyphens');

export const GrantSchema = z.object({
  role: RoleSchema,
  village: Id.optional(),
  town: Id.optional(),
});
export type Grant = z.infer<typeof GrantSchema>;

export const UserSchema = z.object({
  id: Id,
  name: z.string().trim().min(1).max(50),
  phone: z
    .string()
    .regex(/^1\d{10}$/, 'phone must be an 11-digit mainland mobile number')
    .optional(),
  passwordHash: z.string().regex(PASSWORD_HASH, 'passwordHash must be an scrypt hash, never a password'),
  roles: z.array(GrantSchema),
});
export type User = z.infer<typeof UserSchema>;

export const DirectorySchema = z
  .object({
    towns: z.array(z.object({ id: Id, name: LabelSchema })),
    villages: z.array(
      z.object({
        id: Id,
        town: Id,
        name: LabelSchema,
        /** 演练村: for learning the procedures; kept out of the monthly notices and the reports */
        practice: z.literal(true).optional(),
      }),
    ),
    users: z.array(UserSchema),
  })
  .superRefine((d, ctx) => {
    const unique = (ids: string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id))
          ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `${path} id ${id} appears twice` });
        seen.add(id);
      });
    };
    unique(
      d.towns.map((t) => t.id),
      'towns',
    );
    unique(
      d.villages.map((v) => v.id),
      'villages',
    );
    unique(
      d.users.map((u) => u.id),
      'users',
    );
    const towns = new Set(d.towns.map((t) => t.id));
    const villages = new Set(d.villages.map((v) => v.id));
    d.villages.forEach((v, i) => {
      if (!towns.has(v.town))
        ctx.addIssue({ code: 'custom', path: ['villages', i, 'town'], message: `unknown town ${v.town}` });
    });
    d.users.forEach((u, i) => {
      u.roles.forEach((g, j) => {
        const path = ['users', i, 'roles', j];
        const village = (VILLAGE_ROLES as readonly string[]).includes(g.role);
        const town = (TOWN_ROLES as readonly string[]).includes(g.role);
        if (village && (!g.village || !villages.has(g.village) || g.town)) {
          ctx.addIssue({ code: 'custom', path, message: `${g.role} needs a known village (and no town)` });
        } else if (town && (!g.town || !towns.has(g.town) || g.village)) {
          ctx.addIssue({ code: 'custom', path, message: `${g.role} needs a known town (and no village)` });
        } else if (!village && !town && (g.village || g.town)) {
          ctx.addIssue({ code: 'custom', path, message: `${g.role} is a district role: no village or town` });
        }
      });
      for (const v of villages) {
        const held = u.roles.filter((g) => g.village === v).map((g) => g.role);
        if (held.some((r) => VILLAGERS_COMMITTEE.includes(r)) && held.some((r) => SUPERVISORY.includes(r))) {
          ctx.addIssue({
            code: 'custom',
            path: ['users', i, 'roles'],
            message: `${u.id} may not sit on both the villagers' committee and the supervisory committee of ${v}`,
          });
        }
      }
    });
  });
export type Directory = z.infer<typeof DirectorySchema>;

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** The directory if `value` keeps every rule of DirectorySchema, else a DirectoryError naming `source` and the rules. */
export function parseDirectory(source: string, value: unknown): Directory {
  const parsed = DirectorySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new DirectoryError(`${source}: ${problems.join('; ')}`);
}

export function emptyDirectory(): Directory {
  return { towns: [], villages: [], users: [] };
}

/** Where the API reads the directory from: the file under DATA_DIR (stores/directory.ts), a value in tests. */
export interface DirectoryPort {
  current(): Directory;
}

export function memoryDirectory(directory: Directory): DirectoryPort {
  return { current: () => directory };
}
