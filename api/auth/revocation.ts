import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Sessions ended by logging out, until they would have expired anyway. Sessions are signed tokens
 * (no session table), so logging out writes the token's id (`jti`) here and every request checks it.
 */
export interface RevocationPort {
  revoke(jti: string, expiresAt: Date): void;
  isRevoked(jti: string): boolean;
}

const JTI = /^[0-9a-f-]{36}$/;

/**
 * One file per ended session in `dir` (under DATA_DIR): every API process that shares DATA_DIR
 * (two behind a balancer, or one restarted) sees a logout at once, with no server to run; a check
 * is one stat. Files of sessions past their expiry are removed as new ones are written.
 * Kept in a file, not in memory: a logout must hold after a restart and on the other process.
 */
export function fileRevocations(dir: string, now: () => number = Date.now): RevocationPort {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let lastSweep = 0;
  const sweep = () => {
    if (now() - lastSweep < 60_000) return;
    lastSweep = now();
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      try {
        if (Number(readFileSync(file, 'utf8')) < now()) rmSync(file, { force: true });
      } catch {
        // removed by another process meanwhile
      }
    }
  };
  return {
    revoke(jti, expiresAt) {
      if (!JTI.test(jti)) return;
      writeFileSync(path.join(dir, jti), String(expiresAt.getTime()), { mode: 0o600 });
      sweep();
    },
    isRevoked(jti) {
      if (!JTI.test(jti)) return false;
      try {
        statSync(path.join(dir, jti));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** For one process without DATA_DIR (tests): forgotten at expiry. */
export function memoryRevocations(now: () => number = Date.now): RevocationPort {
  const ended = new Map<string, number>();
  return {
    revoke(jti, expiresAt) {
      for (const [id, until] of ended) if (until < now()) ended.delete(id);
      ended.set(jti, expiresAt.getTime());
    },
    isRevoked(jti) {
      const until = ended.get(jti);
      return until !== undefined && until >= now();
    },
  };
}
