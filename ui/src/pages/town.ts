import { getJson } from '../api';
import type { PageContext } from '../context';
import { h, replaceChildren } from '../dom';
import { formatTime, label, listOf, roleLabel, t, type Lang } from '../i18n';
import { href } from '../logic/route';
import type { MatterSummary, Village } from '../types';
import { empty, errorBox, loadVillages, section } from './common';

/** GET /api/reports/overdue (common/accountability.ts OverdueItem) */
interface Overdue {
  /** an objection's `id` is its matter's */
  kind: 'step' | 'objection' | 'opinion';
  village: string;
  id: string;
  title: string;
  stepName: { zh: string; en: string };
  overdueSince: string;
  roles: { role: string; people: { name: string }[] }[];
}

interface Escalated {
  opinionId: string;
  village: string;
  matterId?: string;
  subject: string;
  status: string;
  submittedAt: string;
  escalated: boolean;
}

interface Yearly {
  matters: { total: number };
  objections: { total: number };
  overdue: { total: number };
  opinions: { submitted: number; answered: number; escalated: number; onTimeRate: number | null };
}

/**
 * The town's page across its villages (镇): what is overdue and who holds it, matters suspended by an
 * objection, opinions passed to the town, and each village's yearly report. Practice villages stay out.
 */
export async function townPage(ctx: PageContext, main: HTMLElement, id: string): Promise<void> {
  const { lang } = ctx;
  const places = await loadVillages();
  const town = places.towns.find((tw) => tw.id === id);
  const name = label(lang, town?.name, id);
  ctx.setTitle(`${name} · ${t(lang, 'townHeading')}`);
  const villages = places.villages.filter((v) => v.town === id && !v.practice);
  const overdueBox = h('div', null, t(lang, 'loading'));
  const objectionsBox = h('div', null, t(lang, 'loading'));
  const opinionsBox = h('div', null, t(lang, 'loading'));
  const yearlyBox = h('div', null, t(lang, 'loading'));
  replaceChildren(
    main,
    h('h1', null, `${name} · ${t(lang, 'townHeading')}`),
    h('p', null, t(lang, 'townIntro')),
    h(
      'div',
      { class: 'board' },
      section('town-overdue', t(lang, 'townOverdue'), overdueBox),
      section('town-objections', t(lang, 'townObjections'), objectionsBox),
      section('town-opinions', t(lang, 'townEscalated'), opinionsBox),
      section('town-yearly', t(lang, 'townYearly'), yearlyBox),
    ),
  );
  if (villages.length === 0) {
    for (const box of [overdueBox, objectionsBox, opinionsBox, yearlyBox]) replaceChildren(box, empty('—'));
    return;
  }
  const villageName = (v: string) => label(lang, villages.find((x) => x.id === v)?.name, v);
  const q = (v: Village) => encodeURIComponent(v.id);
  const year = new Date().getFullYear();

  const fill = async <T>(box: HTMLElement, load: () => Promise<T>, draw: (value: T) => HTMLElement): Promise<void> => {
    try {
      replaceChildren(box, draw(await load()));
    } catch (err) {
      replaceChildren(box, errorBox(lang, err));
    }
  };
  await Promise.all([
    fill(
      overdueBox,
      async () =>
        (await Promise.all(villages.map((v) => getJson<{ items: Overdue[] }>(`/api/reports/overdue?village=${q(v)}`))))
          .flatMap((r) => r.items)
          .sort((a, b) => a.overdueSince.localeCompare(b.overdueSince)),
      (items) =>
        items.length === 0
          ? empty(t(lang, 'townNothingOverdue'))
          : h(
              'ul',
              { class: 'matter-list' },
              items.map((o) =>
                h(
                  'li',
                  { 'data-village': o.village, 'data-kind': o.kind },
                  o.kind !== 'opinion'
                    ? h('a', { href: href({ page: 'matter', id: o.id }) }, o.title)
                    : h('strong', null, o.title),
                  ` · ${label(lang, o.stepName)} · ${villageName(o.village)}`,
                  h('br'),
                  h('span', { class: 'overdue' }, `${t(lang, 'overdue')} ${formatTime(lang, o.overdueSince)}`),
                  ' · ',
                  listOf(
                    lang,
                    o.roles.map(
                      (r) =>
                        `${roleLabel(lang, r.role)}${
                          r.people.length
                            ? ` ${listOf(
                                lang,
                                r.people.map((p) => p.name),
                              )}`
                            : ''
                        }`,
                    ),
                  ),
                ),
              ),
            ),
    ),
    fill(
      objectionsBox,
      async () =>
        (
          await Promise.all(
            villages.map((v) => getJson<{ matters: MatterSummary[] }>(`/api/matters?village=${q(v)}&status=suspended`)),
          )
        ).flatMap((r) => r.matters),
      (matters) =>
        matters.length === 0
          ? empty(t(lang, 'townNoObjections'))
          : h(
              'ul',
              { class: 'matter-list' },
              matters.map((m) =>
                h(
                  'li',
                  { 'data-matter': m.id },
                  h('a', { href: href({ page: 'matter', id: m.id }) }, m.title),
                  ` · ${villageName(m.village)}`,
                ),
              ),
            ),
    ),
    fill(
      opinionsBox,
      async () =>
        (await Promise.all(villages.map((v) => getJson<{ opinions: Escalated[] }>(`/api/opinions?village=${q(v)}`))))
          .flatMap((r) => r.opinions)
          .filter((o) => o.escalated && o.status !== 'answered'),
      (opinions) =>
        opinions.length === 0
          ? empty(t(lang, 'townNoEscalated'))
          : h(
              'ul',
              { class: 'matter-list' },
              opinions.map((o) =>
                h(
                  'li',
                  { 'data-opinion': o.opinionId },
                  h('strong', null, o.subject),
                  ` · ${villageName(o.village)} · ${formatTime(lang, o.submittedAt)}`,
                ),
              ),
            ),
    ),
    fill(
      yearlyBox,
      () =>
        Promise.all(
          villages.map(async (v) => ({
            v,
            r: await getJson<Yearly>(`/api/reports/yearly?village=${q(v)}&year=${year}`),
          })),
        ),
      (rows) => yearlyTable(lang, year, rows),
    ),
  ]);
}

function yearlyTable(lang: Lang, year: number, rows: { v: Village; r: Yearly }[]): HTMLElement {
  const heads = [
    'village',
    'townMatters',
    'townObjectionsCount',
    'townOverdueCount',
    'townOpinionsCount',
    'townReport',
  ] as const;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'steps' },
      h('caption', null, String(year)),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          heads.map((k) => h('th', { scope: 'col' }, t(lang, k))),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map(({ v, r }) =>
          h(
            'tr',
            { 'data-village': v.id },
            h('th', { scope: 'row' }, h('a', { href: href({ page: 'village', id: v.id }) }, label(lang, v.name, v.id))),
            h('td', null, String(r.matters.total)),
            h('td', null, String(r.objections.total)),
            h('td', null, String(r.overdue.total)),
            h('td', null, `${r.opinions.answered} / ${r.opinions.submitted}`),
            h(
              'td',
              null,
              h(
                'a',
                { href: `/api/reports/yearly/print?village=${encodeURIComponent(v.id)}&year=${year}` },
                t(lang, 'townReportLink'),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
