import { randomBytes } from 'node:crypto';
import type { Role } from '../../common/graph';
import { emptyDirectory, type Directory } from '../../common/directory';
import { edit } from './edit';

/**
 * The demo district `npm start` seeds on a fresh clone in development: one town, two villages,
 * one person per role. Passwords are random per seed; the caller prints them (development only).
 * Beside them, the practice town and village (演练镇 · 演练村): the district's policy with every
 * waiting period in minutes (procedures/policies/luojiang.json, town `yanlian-zhen`), so cadres can
 * learn a whole procedure in one sitting; it stays out of the monthly notices and the reports.
 */

const TOWN = { id: 'jinshan', name: { zh: '金山镇', en: 'Jinshan Town' } };
const VILLAGES = [
  { id: 'xinglong', name: { zh: '兴隆村', en: 'Xinglong Village' } },
  { id: 'dongfeng', name: { zh: '东风村', en: 'Dongfeng Village' } },
];
const PRACTICE_TOWN = { id: 'yanlian-zhen', name: { zh: '演练镇', en: 'Practice Town' } };
const PRACTICE = { id: 'yanlian', name: { zh: '演练村', en: 'Practice Village' } };

const VILLAGE_PEOPLE: {
  role: Role;
  surname: { xinglong: string; dongfeng: string; yanlian: string };
  title: string;
}[] = [
  { role: 'secretary', surname: { xinglong: '李', dongfeng: '杨', yanlian: '练' }, title: '书记' },
  { role: 'director', surname: { xinglong: '王', dongfeng: '黄', yanlian: '习' }, title: '主任' },
  { role: 'committee', surname: { xinglong: '陈', dongfeng: '吴', yanlian: '演' }, title: '委员' },
  { role: 'accountant', surname: { xinglong: '何', dongfeng: '郑', yanlian: '试' }, title: '报账员' },
  { role: 'supervisor', surname: { xinglong: '赵', dongfeng: '冯', yanlian: '督' }, title: '监委委员' },
  { role: 'supervisor-chair', surname: { xinglong: '钱', dongfeng: '蒋', yanlian: '察' }, title: '监委会主任' },
];

export interface DemoLogin {
  userId: string;
  name: string;
  role: Role;
  where: string;
  password: string;
}

export async function demoDirectory(): Promise<{ directory: Directory; logins: DemoLogin[] }> {
  let d = edit.addTown(emptyDirectory(), TOWN.id, TOWN.name);
  for (const v of VILLAGES) d = edit.addVillage(d, v.id, TOWN.id, v.name);
  d = edit.addTown(d, PRACTICE_TOWN.id, PRACTICE_TOWN.name);
  d = edit.addVillage(d, PRACTICE.id, PRACTICE_TOWN.id, PRACTICE.name, { practice: true });
  const logins: DemoLogin[] = [];
  const add = async (userId: string, name: string, role: Role, where: { village?: string; town?: string }) => {
    const password = randomBytes(9).toString('base64url');
    d = await edit.addUser(d, userId, name, password);
    d = edit.grant(d, userId, { role, ...where });
    logins.push({ userId, name, role, where: where.village ?? where.town ?? 'district', password });
  };
  for (const v of [...VILLAGES, PRACTICE]) {
    for (const p of VILLAGE_PEOPLE) {
      const surname = p.surname[v.id as 'xinglong' | 'dongfeng' | 'yanlian'];
      await add(`${v.id}-${p.role}`, `${surname}${p.title}`, p.role, { village: v.id });
    }
  }
  await add('jinshan-town', '孙镇干部', 'town-official', { town: TOWN.id });
  await add('yanlian-town', '演镇干部', 'town-official', { town: PRACTICE_TOWN.id });
  await add('district-auditor', '周审计', 'district-auditor', {});
  await add('district-admin', '吴管理员', 'district-admin', {});
  return { directory: d, logins };
}
