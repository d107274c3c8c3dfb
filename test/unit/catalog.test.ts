import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcedureGraphSchema } from '../../common/graph';
import { createCatalog, type Catalog } from '../../procedures/catalog';
import { createProcedureVersionStore } from '../../stores/procedure-versions';
import * as compiler from '../../procedures/compiler';
import { CompileError } from '../../procedures/compiler';
import { loadPolicyFile, type PolicyFile } from '../../procedures/policy';

const ROOT = path.resolve(__dirname, '..', '..');
const ALL_FEATURES = readFileSync(path.join(ROOT, 'test', 'fixtures', 'bpmn', 'good', 'all-features.bpmn'), 'utf8');
const LUOJIANG = loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json'));
const DAY = '2024-05-01';

/** The district policy plus what all-features reads; from 2025 the disclosure window is longer. */
function policyFile(): PolicyFile {
  const district = LUOJIANG.versions[0];
  if (!district) throw new Error('luojiang.json has no version');
  const fixture = {
    'fixture.threshold': 10000,
    'fixture.window': { amount: 3, unit: 'days' },
    'fixture.deadline': { amount: 4, unit: 'workingDays' },
    'fixture.escalation': { amount: 10, unit: 'workingDays' },
  };
  return {
    ...LUOJIANG,
    versions: [
      { effectiveFrom: district.effectiveFrom, values: { ...district.values, ...fixture } },
      {
        effectiveFrom: '2025-01-01',
        values: { ...district.values, ...fixture, 'fixture.window': { amount: 5, unit: 'days' } },
      },
    ],
  };
}

let dir: string;
let proceduresDir: string;
let storeDir: string;
let catalog: Catalog;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-catalog-test-'));
  proceduresDir = path.join(dir, 'procedures');
  storeDir = path.join(dir, 'store');
  mkdirSync(proceduresDir);
  writeFileSync(path.join(proceduresDir, 'all-features.bpmn'), ALL_FEATURES);
  writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policyFile()));
  catalog = createCatalog({
    proceduresDir,
    policyFile: path.join(dir, 'policy.json'),
    versions: createProcedureVersionStore(storeDir),
    today: () => DAY,
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('catalog: current version', () => {
  test('given a procedure file, when its current version is asked for, then it is compiled and stored', async () => {
    const current = await catalog.current('all-features', DAY);

    expect(current?.graph.id).toBe('all-features');
    expect(current?.bpmn).toBe(ALL_FEATURES);
    const version = current?.graph.version ?? '';
    const stored = path.join(storeDir, 'all-features', `${version}.json`);
    expect(ProcedureGraphSchema.parse(JSON.parse(readFileSync(stored, 'utf8')))).toEqual(current?.graph);
    expect(readFileSync(path.join(storeDir, 'all-features', `${version}.bpmn`), 'utf8')).toBe(ALL_FEATURES);
  });

  test('given the same file and policy twice, then one version, stored once', async () => {
    const first = await catalog.current('all-features', DAY);
    const second = await catalog.current('all-features', '2024-12-31');

    expect(second?.graph.version).toBe(first?.graph.version);
    expect(readdirSync(path.join(storeDir, 'all-features')).sort()).toEqual(
      [`${first?.graph.version}.bpmn`, `${first?.graph.version}.json`].sort(),
    );
  });

  test('given 50 starts of one version and a list, then it is compiled once; a new policy or file compiles once more', async () => {
    const compile = jest.spyOn(compiler, 'compileProcedure');
    try {
      const starts = await Promise.all(Array.from({ length: 50 }, () => catalog.current('all-features', DAY)));
      await catalog.list();
      expect(new Set(starts.map((s) => s?.graph.version)).size).toBe(1);
      expect(compile).toHaveBeenCalledTimes(1);

      await catalog.current('all-features', '2025-01-01');
      await catalog.current('all-features', '2025-06-01');
      expect(compile).toHaveBeenCalledTimes(2);

      writeFileSync(path.join(proceduresDir, 'all-features.bpmn'), ALL_FEATURES.replace('全部功能', '全部功能（二）'));
      await catalog.current('all-features', '2025-06-01');
      await catalog.current('all-features', '2025-06-01');
      expect(compile).toHaveBeenCalledTimes(3);
    } finally {
      compile.mockRestore();
    }
  });

  test('given a date after a policy change it uses, then a new version with the new value', async () => {
    const before = await catalog.current('all-features', '2024-12-31');
    const after = await catalog.current('all-features', '2025-01-01');

    expect(after?.graph.version).not.toBe(before?.graph.version);
    const window = (g: typeof after) =>
      g?.graph.nodes.disclose?.type === 'userTask' ? g.graph.nodes.disclose.step.window : undefined;
    expect(window(before)).toEqual({ amount: 3, unit: 'days' });
    expect(window(after)).toEqual({ amount: 5, unit: 'days' });
  });

  test('given an unknown or unsafe procedure id, then nothing', async () => {
    expect(await catalog.current('no-such-procedure', DAY)).toBeUndefined();
    expect(await catalog.current('../procedures/all-features', DAY)).toBeUndefined();
  });

  test('given a file whose process id is not its name, then a CompileError saying so', async () => {
    copyFileSync(path.join(proceduresDir, 'all-features.bpmn'), path.join(proceduresDir, 'renamed.bpmn'));

    await expect(catalog.current('renamed', DAY)).rejects.toThrow(CompileError);
    await expect(catalog.current('renamed', DAY)).rejects.toThrow(
      'all-features (bpmn:process): the process id must match the file name (renamed.bpmn)',
    );
  });
});

describe('catalog: old versions stay servable', () => {
  test('given the file changed after a matter started, then the old version is still served as it was', async () => {
    const old = await catalog.current('all-features', DAY);
    const edited = ALL_FEATURES.replace('name="全部功能"', 'name="全部功能（第二版）"');
    writeFileSync(path.join(proceduresDir, 'all-features.bpmn'), edited);

    const now = await catalog.current('all-features', DAY);
    const served = await catalog.get('all-features', old?.graph.version ?? '');

    expect(now?.graph.version).not.toBe(old?.graph.version);
    expect(now?.graph.name.zh).toBe('全部功能（第二版）');
    expect(served).toEqual({ bpmn: ALL_FEATURES, graph: old?.graph });
  });

  test('given the file removed, then its stored versions are still listed and served', async () => {
    const old = await catalog.current('all-features', DAY);
    rmSync(path.join(proceduresDir, 'all-features.bpmn'));

    const listed = await catalog.list();

    expect(listed).toEqual([{ id: 'all-features', name: old?.graph.name, versions: [old?.graph.version] }]);
    expect((await catalog.get('all-features', old?.graph.version ?? ''))?.bpmn).toBe(ALL_FEATURES);
  });

  test.each([
    ['an unknown version', 'all-features', '0123456789abcdef'],
    ['a version that is not a version', 'all-features', '../../etc/passwd'],
    ['an unsafe id', '../store', '0123456789abcdef'],
  ])('given %s, then get finds nothing', async (_label, id, version) => {
    await catalog.current('all-features', DAY);

    expect(await catalog.get(id, version)).toBeUndefined();
  });
});

describe('catalog: list', () => {
  test('given versions stored over time, then each procedure with its name, versions oldest first and current', async () => {
    const first = await catalog.current('all-features', DAY);
    const second = await catalog.current('all-features', '2025-02-01');
    const later = createCatalog({
      proceduresDir,
      policyFile: path.join(dir, 'policy.json'),
      versions: createProcedureVersionStore(storeDir),
      today: () => '2025-02-01',
    });

    const listed = await later.list();

    expect(listed).toEqual([
      {
        id: 'all-features',
        name: { zh: '全部功能', en: 'All features' },
        versions: [first?.graph.version, second?.graph.version],
        current: second?.graph.version,
      },
    ]);
  });

  test('given a file that does not compile, then it is listed with its problems and the others still are', async () => {
    writeFileSync(
      path.join(proceduresDir, 'broken.bpmn'),
      ALL_FEATURES.replaceAll('"all-features"', '"broken"').replace(' mp:outcome="escalated"', ''),
    );

    const listed = await catalog.list();

    expect(listed.map((p) => p.id)).toEqual(['all-features', 'broken']);
    expect(listed[0]?.current).toMatch(/^[0-9a-f]{16}$/);
    expect(listed[1]).toMatchObject({ id: 'broken', name: { zh: 'broken', en: 'broken' }, versions: [] });
    expect(listed[1]?.problems?.map((p) => [p.elementId, p.rule])).toEqual([['end-escalated', 'missing-outcome']]);
  });

  test('given the shipped procedures and the short test policy, then every one is listed with a current version', async () => {
    const shipped = createCatalog({
      proceduresDir: path.join(ROOT, 'procedures'),
      policyFile: path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json'),
      versions: createProcedureVersionStore(storeDir),
      today: () => DAY,
    });

    const listed = await shipped.list();

    expect(listed.map((p) => p.id)).toContain('major-decision');
    for (const procedure of listed) {
      expect(procedure.problems).toBeUndefined();
      expect(procedure.versions).toEqual([procedure.current]);
      expect(existsSync(path.join(storeDir, procedure.id, `${procedure.current}.bpmn`))).toBe(true);
    }
  });
});
