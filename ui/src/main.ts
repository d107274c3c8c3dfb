import { ApiFailure, getJson, postJson, prefetch } from './api';
import type { PageContext } from './context';
import { h, replaceChildren } from './dom';
import { pickLang, t, type Lang } from './i18n';
import { href, parseRoute } from './logic/route';
import { matterPage } from './pages/matter/page';
import { loginPage, startPage, tasksPage } from './pages/member';
import { opinionPage, trackPage } from './pages/opinion';
import { errorBox } from './pages/common';
import { homePage, procedurePage, proceduresPage, villagePage } from './pages/public';
import { townPage } from './pages/town';
import type { Me } from './types';

const LANG_KEY = 'xwql.lang';
const TEXT_KEY = 'xwql.largeText';

let lang: Lang = pickLang(localStorage.getItem(LANG_KEY), navigator.languages);
let largeText = localStorage.getItem(TEXT_KEY) === '1';
let me: Me | undefined;
let page: AbortController | undefined;

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;

async function loadMe(): Promise<void> {
  try {
    me = await getJson<Me>('/api/me');
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
    me = undefined;
  }
}

function renderChrome(): void {
  document.documentElement.lang = lang;
  document.documentElement.classList.toggle('large-text', largeText);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n;
    if (key === 'title' || key === 'subtitle' || key === 'footer' || key === 'skipToContent')
      el.textContent = t(lang, key);
  }
  const link = (hash: string, text: string) => h('a', { href: hash }, text);
  replaceChildren(
    nav,
    h(
      'ul',
      null,
      h('li', null, link(href({ page: 'home' }), t(lang, 'navHome'))),
      h('li', null, link(href({ page: 'procedures' }), t(lang, 'navCatalog'))),
      me ? h('li', null, link(href({ page: 'tasks' }), t(lang, 'navTasks'))) : null,
      me
        ? h(
            'li',
            null,
            h('span', { class: 'who' }, t(lang, 'signedInAs', { name: me.name })),
            ' ',
            h('button', { type: 'button', id: 'logout', onclick: () => void logout() }, t(lang, 'navLogout')),
          )
        : h('li', null, link(href({ page: 'login' }), t(lang, 'navLogin'))),
      h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            id: 'large-text',
            'aria-pressed': largeText ? 'true' : 'false',
            onclick: () => {
              largeText = !largeText;
              localStorage.setItem(TEXT_KEY, largeText ? '1' : '0');
              renderChrome();
            },
          },
          t(lang, 'largeText'),
        ),
      ),
      h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            id: 'lang',
            lang: lang === 'zh-CN' ? 'en' : 'zh-CN',
            onclick: () => {
              lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
              localStorage.setItem(LANG_KEY, lang);
              void route();
            },
          },
          t(lang, 'switchLang'),
        ),
      ),
    ),
  );
}

async function logout(): Promise<void> {
  await postJson('/api/auth/logout', {}).catch(() => undefined);
  me = undefined;
  location.hash = href({ page: 'home' });
  await route();
}

async function route(): Promise<void> {
  page?.abort();
  const controller = new AbortController();
  page = controller;
  const { signal } = controller;
  renderChrome();
  const ctx: PageContext = {
    lang,
    me,
    signal,
    every(ms, fn) {
      const tick = (): void => {
        if (signal.aborted) return;
        const timer = setTimeout(() => {
          // a hidden tab (a phone in a pocket) does not poll; it catches up when shown again
          if (document.hidden) return tick();
          fn()
            .catch(() => undefined)
            .finally(tick);
        }, ms);
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      };
      tick();
    },
    go(hash) {
      if (location.hash === hash) void route();
      else location.hash = hash;
    },
    async reloadMe() {
      await loadMe();
      ctx.me = me;
    },
    setTitle(text) {
      document.title = `${text} · ${t(lang, 'title')}`;
    },
  };
  replaceChildren(main, h('p', { class: 'loading' }, t(lang, 'loading')));
  const r = parseRoute(location.hash);
  try {
    switch (r.page) {
      case 'home':
        return await homePage(ctx, main);
      case 'village':
        return await villagePage(ctx, main, r.id);
      case 'town':
        return await townPage(ctx, main, r.id);
      case 'procedures':
        return await proceduresPage(ctx, main);
      case 'procedure':
        return await procedurePage(ctx, main, r.id);
      case 'matter':
        return await matterPage(ctx, main, r.id);
      case 'login':
        return await loginPage(ctx, main, r.next);
      case 'tasks':
        return await tasksPage(ctx, main);
      case 'start':
        return await startPage(ctx, main, r);
      case 'opinion':
        return await opinionPage(ctx, main, r);
      case 'track':
        return await trackPage(ctx, main, r.code);
      case 'not-found':
        replaceChildren(main, h('p', { class: 'error-box' }, t(lang, 'notFound')));
    }
  } catch (err) {
    if (!signal.aborted) replaceChildren(main, errorBox(lang, err));
  } finally {
    if (!signal.aborted) main.dataset.page = r.page;
  }
}

// The skip link must not become a route.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => {
  void route().then(() => main.focus({ preventScroll: true }));
});
// First load: ask for the matter while finding out who is signed in, not after.
const first = parseRoute(location.hash);
if (first.page === 'matter') {
  const base = `/api/matters/${encodeURIComponent(first.id)}`;
  prefetch(base);
  prefetch(`${base}/bpmn`, '*/*');
}
void loadMe().finally(() => void route());
