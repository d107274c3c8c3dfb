import { meets } from '../../common/meeting';

describe('ratios at the legal boundaries (the bodies themselves: policy.test.ts)', () => {
  test('ratios are exact: more than a half, at least two thirds', () => {
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 5, 10)).toBe(false);
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 6, 10)).toBe(true);
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 19, 29)).toBe(false); // 19/29 = 0.655…
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 20, 30)).toBe(true);
  });
});
