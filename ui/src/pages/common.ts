import { ApiFailure, getJson } from '../api';
import { href } from '../logic/route';
import { h } from '../dom';
import { t, type Lang } from '../i18n';
import { codeMessage, localizeMessage } from '../logic/messages';
import type { CatalogEntry, ProcedureGraph, Town, Village } from '../types';

export function section(id: string, title: string, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h(
    'section',
    { class: 'panel', id, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title),
    children,
  );
}

/** An error in the reader's language: the code's sentence, then what each field got wrong. */
export function describeError(
  lang: Lang,
  err: unknown,
): { summary: string; details: { field?: string; message: string }[] } {
  if (err instanceof ApiFailure) {
    const summary = codeMessage(lang, err.code) ?? localizeMessage(lang, err.message);
    return {
      summary,
      details: err.details.map((d) => ({
        ...(d.field ? { field: d.field } : {}),
        message: localizeMessage(lang, d.message),
      })),
    };
  }
  return { summary: localizeMessage(lang, err instanceof Error ? err.message : String(err)), details: [] };
}

/** A failed read, in words, with a button that loads the page again. */
export function errorBox(lang: Lang, err: unknown): HTMLElement {
  const { summary, details } = describeError(lang, err);
  return h(
    'div',
    { class: 'error-box', role: 'alert', 'data-code': err instanceof ApiFailure ? err.code : 'ERROR' },
    h('p', null, `${t(lang, 'loadFailed')}${lang === 'en' ? ': ' : '：'}${summary}`),
    details.length > 0
      ? h(
          'ul',
          null,
          details.map((d) => h('li', null, d.message)),
        )
      : null,
    h(
      'button',
      { type: 'button', class: 'retry', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) },
      t(lang, 'retryLoad'),
    ),
  );
}

export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

const graphs = new Map<string, Promise<ProcedureGraph | undefined>>();

/** The compiled graph of a procedure version (fields, roles, time limits, meeting rules); cached, it never changes. */
export function loadGraph(id: string, version: string): Promise<ProcedureGraph | undefined> {
  const key = `${id}@${version}`;
  let found = graphs.get(key);
  if (!found) {
    found = getJson<{ graph: ProcedureGraph }>(
      `/api/procedures/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`,
    )
      .then((r) => r.graph)
      .catch((err: unknown) => {
        graphs.delete(key);
        if (err instanceof ApiFailure && err.status === 404) return undefined;
        throw err;
      });
    graphs.set(key, found);
  }
  return found;
}

export async function loadCatalog(): Promise<CatalogEntry[]> {
  return (await getJson<{ procedures: CatalogEntry[] }>('/api/procedures')).procedures;
}

let villages: Promise<{ towns: Town[]; villages: Village[] }> | undefined;

/** Towns and villages change rarely: read once per visit. */
export function loadVillages(): Promise<{ towns: Town[]; villages: Village[] }> {
  villages ??= getJson<{ towns?: Town[]; villages: Village[] }>('/api/villages').then(
    (r) => ({ towns: r.towns ?? [], villages: r.villages }),
    (err: unknown) => {
      villages = undefined;
      throw err;
    },
  );
  return villages;
}

/** "10 个工作日", "5 days" */
export function durationLabel(lang: Lang, d: { amount: number; unit: string } | undefined): string {
  if (!d) return t(lang, 'noLimit');
  const zh: Record<string, string> = {
    seconds: '秒',
    minutes: '分钟',
    hours: '小时',
    days: '天',
    workingDays: '个工作日',
  };
  const en: Record<string, string> = {
    seconds: 'seconds',
    minutes: 'minutes',
    hours: 'hours',
    days: 'days',
    workingDays: 'working days',
  };
  if (lang === 'zh-CN') return `${d.amount} ${zh[d.unit] ?? d.unit}`;
  const unit = en[d.unit] ?? d.unit;
  return `${d.amount} ${d.amount === 1 ? unit.replace(/s$/, '') : unit}`;
}

export function stepName(lang: Lang, graph: ProcedureGraph | undefined, id: string): string {
  const node = graph?.nodes[id];
  if (!node) return id;
  return lang === 'en' ? node.name.en : node.name.zh;
}

const matterTitles = new Map<string, Promise<string | undefined>>();

/** A link to a matter that reads as its title (fetched once per visit), never as its id. */
export function matterTitleLink(lang: Lang, id: string): HTMLElement {
  const link = h('a', { href: href({ page: 'matter', id }), 'data-matter': id }, t(lang, 'aMatter'));
  let title = matterTitles.get(id);
  if (!title) {
    title = getJson<{ title: string }>(`/api/matters/${encodeURIComponent(id)}`).then(
      (v) => v.title,
      () => undefined,
    );
    matterTitles.set(id, title);
  }
  void title.then((text) => {
    if (text) link.textContent = text;
  });
  return link;
}

/** Said on every page of a practice village (演练村), so nobody mistakes it for a real one. */
export function practiceBanner(lang: Lang): HTMLElement {
  return h('p', { class: 'practice-banner', role: 'note', 'data-practice': '' }, t(lang, 'practiceBanner'));
}
