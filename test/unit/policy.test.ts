import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { judgeMeeting, MeetingRulesSchema, type MeetingCounts } from '../../common/meeting';
import { loadPolicyFile, PolicyError, policyValuesAt, type PolicyFile } from '../../procedures/policy';

const ROOT = path.resolve(__dirname, '..', '..');
const LUOJIANG = path.join(ROOT, 'procedures', 'policies', 'luojiang.json');
const SHORT = path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePolicy(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function policyError(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw new Error(`expected a PolicyError, got ${String(error)}`);
  }
  throw new Error('expected a PolicyError');
}

const days = (amount: number) => ({ amount, unit: 'days' });

/** District rules changed in mid-2023; one town sets a longer window from 2024. Versions deliberately unsorted. */
const POLICY: PolicyFile = {
  district: 'test-district',
  name: { zh: '测试区', en: 'Test district' },
  versions: [
    { effectiveFrom: '2023-07-01', values: { 'a.window': days(7), 'a.limit': 2000 } },
    { effectiveFrom: '2019-01-01', values: { 'a.window': days(5), 'a.limit': 1000, old: true } },
  ],
  towns: {
    jinshan: { versions: [{ effectiveFrom: '2024-01-01', values: { 'a.window': days(10) } }] },
  },
};

describe('policy: the version in force', () => {
  test.each([
    ['2019-01-01', { 'a.window': days(5), 'a.limit': 1000, old: true }],
    ['2023-06-30', { 'a.window': days(5), 'a.limit': 1000, old: true }],
    ['2023-07-01', { 'a.window': days(7), 'a.limit': 2000 }],
    ['2030-12-31', { 'a.window': days(7), 'a.limit': 2000 }],
  ])('given the district alone, on %s, then the latest version that took effect by then', (date, expected) => {
    expect(policyValuesAt(POLICY, date)).toEqual(expected);
  });

  test('given a date before any version, then an error saying nothing is in force', () => {
    const error = policyError(() => policyValuesAt(POLICY, '2018-12-31'));

    expect(error.message).toBe('no policy of district test-district is in force on 2018-12-31');
  });

  test('given a date that is not a date, then an error', () => {
    expect(policyError(() => policyValuesAt(POLICY, '2024-02-30')).message).toBe(
      'policy date "2024-02-30" must be a real date YYYY-MM-DD',
    );
  });
});

describe('policy: town overlay', () => {
  test('given a town rule in force, then it replaces the district value of that key only', () => {
    expect(policyValuesAt(POLICY, '2024-03-01', 'jinshan')).toEqual({ 'a.window': days(10), 'a.limit': 2000 });
  });

  test('given a date before the town rule, then the district values', () => {
    expect(policyValuesAt(POLICY, '2023-12-31', 'jinshan')).toEqual({ 'a.window': days(7), 'a.limit': 2000 });
  });

  test('given a town without rules of its own, then the district values', () => {
    expect(policyValuesAt(POLICY, '2024-03-01', 'other-town')).toEqual(policyValuesAt(POLICY, '2024-03-01'));
  });

  test('given a town key that would clash with a district key in FEEL, then an error', () => {
    const clashing: PolicyFile = {
      ...POLICY,
      towns: { jinshan: { versions: [{ effectiveFrom: '2024-01-01', values: { a: 1 } }] } },
    };

    expect(policyError(() => policyValuesAt(clashing, '2024-03-01', 'jinshan')).message).toBe(
      'policy of district test-district, town jinshan on 2024-03-01: a.window: clashes with key a: one key may not prefix another; a.limit: clashes with key a: one key may not prefix another',
    );
  });
});

describe('policy: loading files', () => {
  test('given malformed JSON, then a PolicyError naming the file', () => {
    const file = writePolicy('broken.json', '{ "district": ');

    const error = policyError(() => loadPolicyFile(file));

    expect(error.file).toBe(file);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('(document)');
    expect(error.issues[0]?.message).toMatch(/^malformed JSON: /);
    expect(error.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(document\\): malformed JSON`),
    );
  });

  test('given a missing file, then a PolicyError naming it', () => {
    const file = path.join(dir, 'absent.json');

    const error = policyError(() => loadPolicyFile(file));

    expect(error.file).toBe(file);
    expect(error.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read policy file`),
    );
  });

  const valid = (): PolicyFile => structuredClone(POLICY);
  test.each([
    [
      'a meeting rule with a zero numerator',
      (p: PolicyFile) => {
        p.versions[0]!.values.meetingRules = {
          villagers: {
            attendance: { compare: 'gt', num: 0, den: 2 },
            passing: { of: 'present', compare: 'gt', num: 1, den: 2 },
          },
          representatives: {
            attendance: { compare: 'gt', num: 1, den: 2 },
            passing: { of: 'present', compare: 'gt', num: 1, den: 2 },
          },
          'party-members': {
            attendance: { compare: 'gt', num: 1, den: 2 },
            passing: { of: 'present', compare: 'gt', num: 1, den: 2 },
          },
          'two-committees': {
            attendance: { compare: 'gt', num: 1, den: 2 },
            passing: { of: 'present', compare: 'gt', num: 1, den: 2 },
          },
        };
      },
      'versions.0.values.meetingRules.villagers.attendance.num',
    ],
    [
      'a duration in weeks',
      (p: PolicyFile) => {
        p.versions[1]!.values['a.window'] = { amount: 1, unit: 'weeks' };
      },
      'versions.1.values.a.window.unit',
    ],
    [
      'an impossible date',
      (p: PolicyFile) => {
        p.versions[0]!.effectiveFrom = '2023-02-30';
      },
      'versions.0.effectiveFrom',
    ],
    [
      'two versions on one day',
      (p: PolicyFile) => {
        p.versions[1]!.effectiveFrom = '2023-07-01';
      },
      'versions.1.effectiveFrom',
    ],
    [
      'a key that is not a name',
      (p: PolicyFile) => {
        p.versions[0]!.values['a window'] = 1;
      },
      'versions.0.values.a window',
    ],
    [
      'a key that prefixes another',
      (p: PolicyFile) => {
        p.versions[0]!.values.a = 1;
      },
      'versions.0.values.a.window',
    ],
    [
      'a town without versions',
      (p: PolicyFile) => {
        p.towns = { jinshan: { versions: [] } };
      },
      'towns.jinshan.versions',
    ],
    [
      'no English name',
      (p: PolicyFile) => {
        p.name = { zh: '测试区', en: '' };
      },
      'name.en',
    ],
  ])('given %s, then a PolicyError naming the file and the field', (_label, spoil, field) => {
    const policy = valid();
    spoil(policy);
    const file = writePolicy('spoilt.json', policy);

    const error = policyError(() => loadPolicyFile(file));

    expect(error.file).toBe(file);
    expect(error.issues.map((i) => i.path)).toContain(field);
    expect(error.message).toContain(`${file}: ${field}: `);
  });
});

describe('policy: the Luojiang district defaults', () => {
  const luojiang = loadPolicyFile(LUOJIANG);
  const values = policyValuesAt(luojiang, '2024-05-01');

  test('given the major decision, then the disclosure windows and step deadline of the district', () => {
    expect(values['majorDecision.resolutionDisclosure']).toEqual({ amount: 5, unit: 'workingDays' });
    expect(values['majorDecision.resultDisclosure']).toEqual({ amount: 7, unit: 'days' });
    expect(values['majorDecision.stepDeadline']).toEqual({ amount: 10, unit: 'workingDays' });
    expect(luojiang.versions[0]?.assumptions?.['majorDecision.stepDeadline']).toMatch(/^Assumption/);
  });

  test('given a day before the 2018 law took effect here, then nothing is in force', () => {
    expect(() => policyValuesAt(luojiang, '2018-12-31')).toThrow(PolicyError);
  });

  const rules = MeetingRulesSchema.parse(values.meetingRules);
  const counts = (members: number, present: number, inFavour: number, extra: Partial<MeetingCounts> = {}) => ({
    members,
    present,
    inFavour,
    against: present - inFavour,
    abstain: 0,
    ...extra,
  });
  test.each([
    ['villagers: half attend', 'inquorate', 'villagers', counts(100, 50, 50)],
    ['villagers: more than half attend, half agree', 'rejected', 'villagers', counts(100, 51, 25)],
    ['villagers: more than half attend and more than half of them agree', 'passed', 'villagers', counts(100, 51, 26)],
    [
      'villagers: few attend but two thirds of households are represented',
      'passed',
      'villagers',
      counts(100, 40, 21, { households: 30, householdsRepresented: 20 }),
    ],
    ['representatives: under two thirds attend', 'inquorate', 'representatives', counts(30, 19, 19)],
    ['representatives: two thirds attend, most agree', 'passed', 'representatives', counts(30, 20, 11)],
    ['party members: most present agree, but not most members', 'rejected', 'party-members', counts(30, 20, 15)],
    ['party members: more than half of all members agree', 'passed', 'party-members', counts(30, 20, 16)],
    ['two committees: half attend', 'inquorate', 'two-committees', counts(8, 4, 4)],
    ['two committees: more than half attend and agree', 'passed', 'two-committees', counts(7, 4, 3)],
  ] as const)('given %s, then the meeting is %s', (_label, result, body, meeting) => {
    expect(judgeMeeting(body, meeting, rules)).toBe(result);
  });

  test('given the short test policy, then it differs from the district only in calendar windows, made seconds', () => {
    const short = policyValuesAt(loadPolicyFile(SHORT), '2024-05-01');

    expect(short['majorDecision.resolutionDisclosure']).toEqual({ amount: 2, unit: 'seconds' });
    expect(short['majorDecision.resultDisclosure']).toEqual({ amount: 3, unit: 'seconds' });
    const shortened = Object.keys(short).filter((k) => JSON.stringify(short[k]) !== JSON.stringify(values[k]));
    for (const key of shortened) expect(short[key]).toMatchObject({ unit: 'seconds' });
    expect(Object.keys(short).sort()).toEqual(Object.keys(values).sort());
    // thresholds, counts and meeting rules are the district's own
    const durations = (v: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(v).filter(([, x]) => !(typeof x === 'object' && x !== null && 'unit' in x)));
    expect(durations(short)).toEqual(durations(values));
  });
});
