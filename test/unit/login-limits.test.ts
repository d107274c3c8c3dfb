import { LoginLimits } from '../../api/auth/login-limits';

/** The log-in limits on a clock the test moves. */

function limits(over: Partial<ConstructorParameters<typeof LoginLimits>[0]> = {}) {
  let now = 1_000_000;
  const l = new LoginLimits(
    { freeFailures: 3, maxWaitMs: 60_000, addressFailures: 10, windowMs: 15 * 60_000, ...over },
    () => now,
  );
  return { l, tick: (ms: number) => (now += ms) };
}

describe('log-in limits', () => {
  test('given failures for one user from one address, then free ones, then waits that double up to the cap', () => {
    const { l, tick } = limits({ addressFailures: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(l.check('chair', '10.0.0.1').ok).toBe(true);
      l.failed('chair', '10.0.0.1');
    }
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const refused = l.check('chair', '10.0.0.1');
      if (refused.ok) throw new Error('expected a wait');
      waits.push(refused.retryAfterMs);
      tick(refused.retryAfterMs);
      expect(l.check('chair', '10.0.0.1').ok).toBe(true);
      l.failed('chair', '10.0.0.1');
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  test('given a stranger failing at a user id from another address, then the user at their own address is not slowed at all', () => {
    const { l } = limits({ addressFailures: 1000 });
    for (let i = 0; i < 50; i++) l.failed('chair', '203.0.113.9');

    expect(l.check('chair', '203.0.113.9').ok).toBe(false);
    expect(l.check('chair', '198.51.100.7')).toEqual({ ok: true });
  });

  test('given a success, then the user id and address start afresh', () => {
    const { l } = limits();
    for (let i = 0; i < 4; i++) l.failed('chair', '10.0.0.1');
    l.succeeded('chair', '10.0.0.1');
    expect(l.check('chair', '10.0.0.1')).toEqual({ ok: true });
  });

  test('given one address failing over many user ids, then it is capped per window, other addresses are not, and the window ends it', () => {
    const { l, tick } = limits();
    for (let i = 0; i < 10; i++) l.failed(`user-${i}`, '10.0.0.1');

    const capped = l.check('someone-else', '10.0.0.1');
    expect(capped).toMatchObject({ ok: false, scope: 'address' });
    expect(l.check('someone-else', '10.0.0.2')).toEqual({ ok: true });
    tick(15 * 60_000);
    expect(l.check('someone-else', '10.0.0.1')).toEqual({ ok: true });
  });

  test('given quiet for the window, then old failures are forgotten', () => {
    const { l, tick } = limits();
    for (let i = 0; i < 5; i++) l.failed('chair', '10.0.0.1');
    tick(15 * 60_000);
    l.failed('chair', '10.0.0.1');
    expect(l.check('chair', '10.0.0.1')).toEqual({ ok: true });
  });
});
