import path from 'node:path';
import { demoDirectory } from '../../api/directory/demo';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';

const POLICY = path.resolve(__dirname, '..', '..', 'procedures', 'policies', 'luojiang.json');
const isDuration = (v: unknown): v is { amount: number; unit: string } =>
  typeof v === 'object' && v !== null && 'unit' in v && 'amount' in v;

describe('the practice village (演练村) of the demo district', () => {
  // built once: each of its two dozen people costs a real scrypt hash of a password
  let demo: Awaited<ReturnType<typeof demoDirectory>>;
  beforeAll(async () => {
    demo = await demoDirectory();
  });

  test('is in the demo directory, marked practice, in a town of its own, with a person in every village role', () => {
    const { directory, logins } = demo;
    const practice = directory.villages.filter((v) => v.practice);
    expect(practice.map((v) => v.name.zh)).toEqual(['演练村']);
    const village = practice[0]!;
    expect(directory.villages.filter((v) => v.town === village.town)).toHaveLength(1);
    expect(logins.filter((l) => l.where === village.id).map((l) => l.role)).toEqual([
      'secretary',
      'director',
      'committee',
      'accountant',
      'supervisor',
      'supervisor-chair',
    ]);
    expect(logins.some((l) => l.role === 'town-official' && l.where === village.town)).toBe(true);
  });

  test('its town follows the district policy with every waiting period in minutes, thresholds and quorums unchanged', () => {
    const { directory } = demo;
    const town = directory.villages.find((v) => v.practice)!.town;
    const policy = loadPolicyFile(POLICY);
    const district = policyValuesAt(policy, '2026-06-01');
    const practice = policyValuesAt(policy, '2026-06-01', town);
    for (const [key, value] of Object.entries(district)) {
      if (isDuration(value)) expect([key, practice[key]]).toEqual([key, { amount: value.amount, unit: 'minutes' }]);
      else expect([key, practice[key]]).toEqual([key, value]);
    }
  });
});
