import type { RequestHandler } from 'express';
import { ErrorCode } from '../common/errors';
import { ApiError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * CSRF, besides SameSite=Strict: a state-changing request that a browser says comes from a page of
 * another site (Origin, else Referer) is refused 403 `FOREIGN_ORIGIN`, whatever its content type
 * (a `text/plain` form post needs no preflight). Compared with the host the request was sent to,
 * which behind a balancer is X-Forwarded-Host when TRUST_PROXY trusts it. A request with neither
 * header (curl, API clients, server-to-server) is not a browser's cross-site request and passes.
 */
export const sameOriginWrites: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const origin = req.get('Origin');
  const referer = req.get('Referer');
  const claimed = origin ?? referer;
  if (claimed === undefined) {
    next();
    return;
  }
  // `Origin: null` (sandboxed frames, file: pages) is foreign too
  const from = hostOf(claimed);
  const to = req.host?.toLowerCase();
  if (from !== undefined && to !== undefined && from === to) {
    next();
    return;
  }
  next(
    new ApiError(
      403,
      ErrorCode.ForeignOrigin,
      'Refused: this request comes from a page of another site / 已拒绝：请求来自其他网站的页面',
      [
        {
          field: origin !== undefined ? 'header.Origin' : 'header.Referer',
          message: `not this site: ${claimed.slice(0, 100)}`,
        },
      ],
    ),
  );
};

/**
 * What the API answers depends on who asks (a member sees a matter in full, the public redacted):
 * no browser or proxy may keep it for someone else.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The build writes no source maps; one built for debugging on a machine is not served either. */
export const noSourceMaps: RequestHandler = (req, _res, next) => {
  if (/\.map$/i.test(req.path)) {
    next(new ApiError(404, ErrorCode.NotFound, `No such resource / 未找到: ${req.method} ${req.path}`));
    return;
  }
  next();
};
