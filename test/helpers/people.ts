import type { Response, Test } from 'supertest';
import type { SessionConfig } from '../../api/auth/session';
import { signSession } from '../../api/auth/session';
import { hashPassword } from '../../api/directory/passwords';
import type { Directory, DirectoryPort, Grant } from '../../common/directory';
import type { Actor } from '../../common/engine';

/**
 * The people of the tests, their directory and their sessions. Scenario tests name an `actor`
 * in each request body; `signedAs` turns it into what the API takes now: a Bearer token for
 * that user and the role they act in.
 */

export const people = {
  secretary: { userId: 'li-secretary', role: 'secretary' },
  director: { userId: 'wang-director', role: 'director' },
  committee: { userId: 'chen-committee', role: 'committee' },
  accountant: { userId: 'he-accountant', role: 'accountant' },
  supervisor: { userId: 'zhao-supervisor', role: 'supervisor' },
  chair: { userId: 'qian-chair', role: 'supervisor-chair' },
  town: { userId: 'sun-town', role: 'town-official' },
  auditor: { userId: 'zhou-auditor', role: 'district-auditor' },
  admin: { userId: 'wu-admin', role: 'district-admin' },
} as const satisfies Record<string, Actor>;

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_TOWN = 'jinshan';
export const TEST_VILLAGES = ['xinglong', 'dongfeng', 'dongsheng'];

export const TEST_SESSION: SessionConfig = {
  secret: new TextEncoder().encode('test-secret-test-secret-test-secret-0123'),
  ttlSeconds: 3600,
  secureCookie: false,
  loginAttempts: 5,
  loginWindowMs: 60_000,
};

let passwordHash: Promise<string> | undefined;

/** One town, its villages, and every person of `people` in their role in each village. */
export async function testDirectory(villages: string[] = TEST_VILLAGES): Promise<Directory> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const villageRoles = ['secretary', 'director', 'committee', 'accountant', 'supervisor', 'supervisor-chair'] as const;
  const users = Object.values(people).map((p) => {
    const roles: Grant[] = (villageRoles as readonly string[]).includes(p.role)
      ? villages.map((v) => ({ role: p.role, village: v }))
      : p.role === 'town-official'
        ? [{ role: p.role, town: TEST_TOWN }]
        : [{ role: p.role }];
    // The handler who keeps the books also sits on the supervisory committee (allowed: not a
    // member of the villagers' committee), so recusal must catch them, not the role check.
    if (p.role === 'accountant') roles.push(...villages.map((v) => ({ role: 'supervisor' as const, village: v })));
    return { id: p.userId, name: `${p.role} ${p.userId}`, passwordHash: hash, roles };
  });
  return {
    towns: [{ id: TEST_TOWN, name: { zh: '金山镇', en: 'Jinshan' } }],
    villages: villages.map((id) => ({ id, town: TEST_TOWN, name: { zh: id, en: id } })),
    users,
  };
}

/** A directory the test may change while the app runs (e.g. add a village for one test). */
export class TestDirectory implements DirectoryPort {
  constructor(public directory: Directory) {}
  current(): Directory {
    return this.directory;
  }
  async addVillage(id: string): Promise<void> {
    const villages = [...this.directory.villages.map((v) => v.id), id];
    this.directory = await testDirectory(villages);
  }
}

export async function bearer(userId: string, config: SessionConfig = TEST_SESSION): Promise<string> {
  return `Bearer ${(await signSession(config, userId)).token}`;
}

/** Sends `body` as the user its `actor` names, in that role; a body without an actor goes anonymous. */
export async function signedAs(req: Test, body: Record<string, unknown>): Promise<Response> {
  const { actor, ...rest } = body;
  if (typeof actor !== 'object' || actor === null) return await req.send(body);
  const { userId, role } = actor as { userId: string; role?: string };
  return await req.set('Authorization', await bearer(userId)).send(role === undefined ? rest : { ...rest, role });
}
