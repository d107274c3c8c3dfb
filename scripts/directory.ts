import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { edit } from '../api/directory/edit';
import { DirectoryError, emptyDirectory, type Directory } from '../common/directory';
import { loadDirectory, saveDirectory } from '../stores/directory';
import { RoleSchema } from '../common/graph';

/**
 * `npm run directory -- <command>`: manage the directory file (DIRECTORY_FILE, default
 * $DATA_DIR/directory.json). Every change is validated before it is written.
 */

const USAGE = `usage: npm run directory -- <command> [options]
  list
  add-town      --id ID --zh 名称 --en Name
  add-village   --id ID --town TOWN --zh 名称 --en Name
  add-user      --id ID --name 姓名 --password PASSWORD [--phone 1xxxxxxxxxx]
  grant         --user ID --role ROLE [--village ID | --town ID]
  revoke        --user ID --role ROLE [--village ID | --town ID]
  reset-password --user ID --password PASSWORD`;

function need(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new DirectoryError(`--${name} is required\n${USAGE}`);
  return value;
}

export async function runDirectoryCommand(file: string, argv: string[], print: (line: string) => void): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: Object.fromEntries(
      ['id', 'zh', 'en', 'town', 'village', 'name', 'password', 'phone', 'user', 'role'].map((o) => [
        o,
        { type: 'string' },
      ]),
    ),
    strict: true,
  });
  const v = values as Record<string, string | undefined>;
  const directory: Directory = existsSync(file) ? loadDirectory(file) : emptyDirectory();
  const grant = () => {
    const role = RoleSchema.safeParse(need(v, 'role'));
    if (!role.success) throw new DirectoryError(`--role must be one of ${RoleSchema.options.join(', ')}`);
    return { role: role.data, ...(v.village ? { village: v.village } : {}), ...(v.town ? { town: v.town } : {}) };
  };
  let next: Directory;
  switch (command) {
    case 'list':
      for (const t of directory.towns) print(`town     ${t.id}  ${t.name.zh} / ${t.name.en}`);
      for (const vil of directory.villages)
        print(`village  ${vil.id}  ${vil.name.zh} / ${vil.name.en}  (town ${vil.town})`);
      for (const u of directory.users) {
        const roles = u.roles.map((g) => `${g.role}${g.village ? `@${g.village}` : g.town ? `@${g.town}` : ''}`);
        print(`user     ${u.id}  ${u.name}  ${roles.join(' ') || '(no roles)'}`);
      }
      return;
    case 'add-town':
      next = edit.addTown(directory, need(v, 'id'), { zh: need(v, 'zh'), en: need(v, 'en') });
      break;
    case 'add-village':
      next = edit.addVillage(directory, need(v, 'id'), need(v, 'town'), { zh: need(v, 'zh'), en: need(v, 'en') });
      break;
    case 'add-user':
      next = await edit.addUser(directory, need(v, 'id'), need(v, 'name'), need(v, 'password'), v.phone);
      break;
    case 'grant':
      next = edit.grant(directory, need(v, 'user'), grant());
      break;
    case 'revoke':
      next = edit.revoke(directory, need(v, 'user'), grant());
      break;
    case 'reset-password':
      next = await edit.resetPassword(directory, need(v, 'user'), need(v, 'password'));
      break;
    default:
      throw new DirectoryError(USAGE);
  }
  saveDirectory(file, next);
  print(`${command}: saved ${file}`);
}

if (require.main === module) {
  const file = path.resolve(
    process.env.DIRECTORY_FILE ?? path.join(process.env.DATA_DIR ?? './data', 'directory.json'),
  );
  runDirectoryCommand(file, process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).catch(
    (err: unknown) => {
      const message =
        err instanceof DirectoryError || (err instanceof Error && err.name === 'TypeError') ? err.message : String(err);
      process.stderr.write(`${message}\n`);
      process.exit(1);
    },
  );
}
