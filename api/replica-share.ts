/**
 * Rate limits are counted in each API process's memory (express-rate-limit's MemoryStore, and
 * auth/login-limits.ts). With `API_REPLICAS` processes behind one balancer that deals requests round
 * robin, one by one (HAProxy's `balance roundrobin` in `npm run cluster`), each process sees about
 * 1/n of any one address's or user's requests; so each enforces 1/n of every limit, rounded up, and
 * together they hold the configured limit instead of n times it.
 *
 * Why not one shared count: the embedded default has no shared database, a store of our own under
 * DATA_DIR would be hand-written locking on the log-in path (a stuck lock or a full disk would then
 * refuse log-ins), and the libraries with shared stores (express-rate-limit's and
 * rate-limiter-flexible's Redis or PostgreSQL stores) need a database of the app's own. What the
 * share costs: the count is exact only as far as the balancer deals evenly; rounding up may allow
 * up to n - 1 more; with a process down the others enforce their shares only (stricter, not looser);
 * and each process's growing wait between log-in tries runs on its own, so a guesser gets at most n
 * tries per wait instead of one.
 */
export function replicaShare(limit: number, replicas = 1): number {
  return Math.max(1, Math.ceil(limit / Math.max(1, Math.floor(replicas))));
}
