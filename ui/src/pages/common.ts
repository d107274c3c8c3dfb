import { ApiFailure, getJson } from '../api';
import { h } from '../dom';
import { t, type Lang } from '../i18n';
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

export function errorBox(lang: Lang, err: unknown): HTMLElement {
  const message = err instanceof Error ? err.message : String(err);
  return h('p', { class: 'error-box', role: 'alert' }, `${t(lang, 'loadFailed')}: ${message}`);
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
