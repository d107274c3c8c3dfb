import { signSession, verifySession } from '../../api/auth/session';

const secret = new TextEncoder().encode('session-test-secret-session-test-secret-0');
const config = { secret, ttlSeconds: 60 };

describe('sessions (HS256 JWTs, the verifying key imported once per secret)', () => {
  test('given a session signed with the secret, then each verification finds its user', async () => {
    const { token } = await signSession(config, 'v001-secretary');
    for (let i = 0; i < 3; i++) {
      await expect(verifySession(secret, token)).resolves.toMatchObject({ ok: true, userId: 'v001-secretary' });
    }
  });

  test('given another secret, or a token changed in transit, then it is invalid', async () => {
    const { token } = await signSession(config, 'v001-secretary');
    const other = new TextEncoder().encode('another-secret-another-secret-another-sec');
    await expect(verifySession(other, token)).resolves.toEqual({ ok: false, reason: 'invalid' });
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    await expect(verifySession(secret, forged)).resolves.toEqual({ ok: false, reason: 'invalid' });
    // the secret verified before still verifies after another key was tried
    await expect(verifySession(secret, token)).resolves.toMatchObject({ ok: true });
  });

  test('given a session past its end, then it is expired', async () => {
    const { token } = await signSession(config, 'v001-secretary', new Date(Date.now() - 3_600_000));
    await expect(verifySession(secret, token)).resolves.toEqual({ ok: false, reason: 'expired' });
  });
});
