/** Hash routes: the server serves one index.html, and a link can be shared as it is. */
export type Route =
  | { page: 'home' }
  | { page: 'village'; id: string }
  | { page: 'town'; id: string }
  | { page: 'procedures' }
  | { page: 'procedure'; id: string }
  | { page: 'matter'; id: string }
  | { page: 'login'; next?: string }
  | { page: 'tasks' }
  | { page: 'start'; village?: string; procedure?: string }
  | { page: 'opinion'; village?: string; matter?: string }
  | { page: 'track'; code?: string }
  | { page: 'not-found' };

function decode(part: string): string | undefined {
  try {
    const value = decodeURIComponent(part);
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?', 2);
  const query = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter((p) => p !== '');
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found' };
  const id = second === undefined ? undefined : decode(second);
  if (first === undefined) return { page: 'home' };
  if (first === 'villages' && id) return { page: 'village', id };
  if (first === 'towns' && id) return { page: 'town', id };
  if (first === 'procedures' && second === undefined) return { page: 'procedures' };
  if (first === 'procedures' && id) return { page: 'procedure', id };
  if (first === 'matters' && id) return { page: 'matter', id };
  if (first === 'login' && second === undefined) {
    const next = query.get('next');
    return next && next.startsWith('#/') ? { page: 'login', next } : { page: 'login' };
  }
  if (first === 'tasks' && second === undefined) return { page: 'tasks' };
  if (first === 'start' && second === undefined) {
    const village = query.get('village');
    const procedure = query.get('procedure');
    return { page: 'start', ...(village ? { village } : {}), ...(procedure ? { procedure } : {}) };
  }
  if (first === 'opinion' && second === undefined) {
    const village = query.get('village');
    const matter = query.get('matter');
    return { page: 'opinion', ...(village ? { village } : {}), ...(matter ? { matter } : {}) };
  }
  if (first === 'track') return id ? { page: 'track', code: id } : { page: 'track' };
  return { page: 'not-found' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'village':
      return `#/villages/${encodeURIComponent(route.id)}`;
    case 'town':
      return `#/towns/${encodeURIComponent(route.id)}`;
    case 'procedures':
      return '#/procedures';
    case 'procedure':
      return `#/procedures/${encodeURIComponent(route.id)}`;
    case 'matter':
      return `#/matters/${encodeURIComponent(route.id)}`;
    case 'login':
      return route.next ? `#/login?next=${encodeURIComponent(route.next)}` : '#/login';
    case 'tasks':
      return '#/tasks';
    case 'start': {
      const q = new URLSearchParams();
      if (route.village) q.set('village', route.village);
      if (route.procedure) q.set('procedure', route.procedure);
      const s = q.toString();
      return s ? `#/start?${s}` : '#/start';
    }
    case 'opinion': {
      const q = new URLSearchParams();
      if (route.village) q.set('village', route.village);
      if (route.matter) q.set('matter', route.matter);
      const s = q.toString();
      return s ? `#/opinion?${s}` : '#/opinion';
    }
    case 'track':
      return route.code ? `#/track/${encodeURIComponent(route.code)}` : '#/track';
    case 'not-found':
      return '#/';
  }
}
