/** fetch with the API's one error shape turned into an exception that names fields. */

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function failure(res: Response): Promise<ApiFailure> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const details = Array.isArray(error.details)
    ? error.details.filter(isRecord).map((d) => ({
        ...(typeof d.field === 'string' ? { field: d.field } : {}),
        message: typeof d.message === 'string' ? d.message : '',
      }))
    : [];
  return new ApiFailure(
    res.status,
    typeof error.code === 'string' ? error.code : 'HTTP_ERROR',
    typeof error.message === 'string' ? error.message : `${res.status} ${res.statusText}`,
    details,
  );
}

/** A request that got no answer (offline, server down) fails with the code NETWORK, like any other failure. */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiFailure(0, 'NETWORK', err instanceof Error ? err.message : String(err), []);
  }
}

const early = new Map<string, Promise<Response>>();

/**
 * Starts a GET before the page asks for it (on first load, while the shell finds out who is
 * signed in); the page's own getJson/getText then takes that response instead of asking again.
 */
export function prefetch(path: string, accept = 'application/json'): void {
  if (!early.has(path)) {
    const res = send(path, { headers: { accept } });
    res.catch(() => undefined);
    early.set(path, res);
  }
}

function take(path: string, accept: string): Promise<Response> {
  const found = early.get(path);
  early.delete(path);
  return found ?? send(path, { headers: { accept } });
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await take(path, 'application/json');
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function getText(path: string): Promise<string> {
  const res = await take(path, '*/*');
  if (!res.ok) throw await failure(res);
  return res.text();
}

export async function postJson<T>(path: string, body: unknown, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await send(path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A fresh key per form submission attempt; getRandomValues works on plain-http village LANs too. */
export function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sends a file as the request body (no multipart: one file, its type in the header). */
export async function postFile<T>(path: string, file: Blob): Promise<T> {
  const res = await send(path, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream', accept: 'application/json' },
    body: file,
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}
