import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyPassword } from '../../api/directory/passwords';
import { DirectoryError } from '../../common/directory';
import { loadDirectory } from '../../stores/directory';
import { runDirectoryCommand } from '../../scripts/directory';

describe('directory of people (file + CLI)', () => {
  let dir: string;
  let file: string;
  const out: string[] = [];
  const run = (...argv: string[]) => runDirectoryCommand(file, argv, (line) => out.push(line));

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-dir-'));
    file = path.join(dir, 'directory.json');
    out.length = 0;
    await run('add-town', '--id', 'jinshan', '--zh', '金山镇', '--en', 'Jinshan');
    await run('add-village', '--id', 'xinglong', '--town', 'jinshan', '--zh', '兴隆村', '--en', 'Xinglong');
    await run('add-user', '--id', 'wang', '--name', '王主任', '--password', 'correct horse');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('given a new user, then the password is stored as an scrypt hash that verifies, never in clear', async () => {
    const text = readFileSync(file, 'utf8');
    const user = loadDirectory(file).users[0];

    expect(text).not.toContain('correct horse');
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    await expect(verifyPassword('correct horse', user?.passwordHash ?? '')).resolves.toBe(true);
    await expect(verifyPassword('wrong horse!', user?.passwordHash ?? '')).resolves.toBe(false);
  });

  test('given grants, then list shows each role with its scope, and revoke removes one', async () => {
    await run('grant', '--user', 'wang', '--role', 'director', '--village', 'xinglong');
    await run('grant', '--user', 'wang', '--role', 'accountant', '--village', 'xinglong');
    await run('revoke', '--user', 'wang', '--role', 'accountant', '--village', 'xinglong');
    out.length = 0;
    await run('list');

    expect(out).toContain('user     wang  王主任  director@xinglong');
  });

  test('given a villagers committee member, then a supervisory role in the same village is refused and nothing is written', async () => {
    await run('grant', '--user', 'wang', '--role', 'director', '--village', 'xinglong');
    const before = readFileSync(file, 'utf8');

    await expect(run('grant', '--user', 'wang', '--role', 'supervisor', '--village', 'xinglong')).rejects.toThrow(
      /may not sit on both the villagers' committee and the supervisory committee of xinglong/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test.each([
    [['grant', '--user', 'wang', '--role', 'director'], /director needs a known village/],
    [['grant', '--user', 'wang', '--role', 'town-official', '--village', 'xinglong'], /needs a known town/],
    [['grant', '--user', 'wang', '--role', 'district-auditor', '--town', 'jinshan'], /district role/],
    [['grant', '--user', 'nobody', '--role', 'director', '--village', 'xinglong'], /no user nobody/],
    [['grant', '--user', 'wang', '--role', 'mayor'], /--role must be one of/],
    [['add-village', '--id', 'x', '--town', 'nowhere', '--zh', '某村', '--en', 'X'], /unknown town nowhere/],
    [['add-user', '--id', 'li', '--name', '李', '--password', 'short'], /at least 8 characters/],
  ])('given %j, then a clear refusal', async (argv, message) => {
    await expect(run(...argv)).rejects.toThrow(message);
  });

  test('given a malformed file, then loading names the file and the field', () => {
    writeFileSync(
      file,
      JSON.stringify({ towns: [], villages: [], users: [{ id: 'x', name: 'x', passwordHash: 'plain', roles: [] }] }),
    );

    expect(() => loadDirectory(file)).toThrow(DirectoryError);
    expect(() => loadDirectory(file)).toThrow(
      /directory\.json: users\.0\.passwordHash: passwordHash must be an scrypt hash/,
    );
  });
});
