import { getJson, getText } from '../api';
import type { PageContext } from '../context';
import { Diagram } from '../diagram';
import { h, replaceChildren } from '../dom';
import { formatTime, formatYuan, kindLabel, label, listOf, roleLabel, t, wordLabel, type Lang } from '../i18n';
import { daysLeft } from '../logic/content';
import { href } from '../logic/route';
import { describeReadiness } from '../status';
import { answeredOpinions, trackBox } from './opinion';
import type { CatalogEntry, MatterSummary, ProcedureGraph } from '../types';
import {
  durationLabel,
  empty,
  errorBox,
  practiceBanner,
  loadCatalog,
  loadGraph,
  loadVillages,
  section,
  stepName,
} from './common';

/** GET /api/notices: the monthly notices (三务公开) and the notices of running matters (一事一公开). */
interface Board {
  monthly: { month: string; url: string; printUrl: string }[];
  disclosures: {
    matterId: string;
    title: string;
    procedure: { id: string };
    step: string;
    publishedAt: string;
    endsAt?: string;
    open: boolean;
  }[];
}

/** How far back the board shows results (三务公开 is monthly; a quarter keeps the last months visible). */
const RESULTS_DAYS = 92;

export async function homePage(ctx: PageContext, main: HTMLElement): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'subtitle'));
  const status = h(
    'p',
    { id: 'status', role: 'status', 'aria-live': 'polite', 'data-level': 'pending' },
    t(lang, 'checking'),
  );
  const villagesBox = h('div', null, h('p', null, t(lang, 'loading')));
  replaceChildren(
    main,
    h('p', { class: 'intro' }, t(lang, 'intro')),
    section('track', t(lang, 'trackOpinion'), trackBox(ctx)),
    section('villages', t(lang, 'villagesHeading'), villagesBox),
    section(
      'catalog-link',
      t(lang, 'catalogHeading'),
      h('p', null, t(lang, 'catalogIntro')),
      h('p', null, h('a', { href: href({ page: 'procedures' }) }, t(lang, 'allProcedures'))),
    ),
    section('system', t(lang, 'statusHeading'), status),
  );
  void fetch('/readyz', { headers: { accept: 'application/json' } })
    .then((res) => res.json())
    .catch(() => undefined)
    .then((body: unknown) => {
      const view = describeReadiness(body);
      status.dataset.level = view.level;
      status.textContent = t(lang, view.message);
    });
  try {
    const { towns, villages } = await loadVillages();
    if (villages.length === 0) {
      replaceChildren(villagesBox, empty(t(lang, 'villagesEmpty')));
      return;
    }
    const byTown = new Map<string, typeof villages>();
    for (const v of villages) byTown.set(v.town, [...(byTown.get(v.town) ?? []), v]);
    replaceChildren(
      villagesBox,
      [...byTown].map(([town, list]) =>
        h(
          'div',
          { class: 'town' },
          h(
            'h3',
            null,
            h(
              'a',
              { href: href({ page: 'town', id: town }) },
              label(lang, towns.find((tw) => tw.id === town)?.name, town),
            ),
          ),
          h(
            'ul',
            { class: 'village-list' },
            list.map((v) =>
              h(
                'li',
                null,
                h('a', { href: href({ page: 'village', id: v.id }) }, label(lang, v.name, v.id)),
                v.practice ? h('span', { class: 'practice-tag' }, t(lang, 'practiceTag')) : null,
              ),
            ),
          ),
        ),
      ),
    );
  } catch (err) {
    replaceChildren(villagesBox, errorBox(lang, err));
  }
}

async function currentGraphs(catalog: CatalogEntry[]): Promise<Map<string, ProcedureGraph>> {
  const graphs = new Map<string, ProcedureGraph>();
  await Promise.all(
    catalog.map(async (p) => {
      if (!p.current) return;
      const graph = await loadGraph(p.id, p.current).catch(() => undefined);
      if (graph) graphs.set(p.id, graph);
    }),
  );
  return graphs;
}

function catalogList(lang: Lang, catalog: CatalogEntry[]): HTMLElement {
  return h(
    'ul',
    { class: 'catalog' },
    catalog.map((p) =>
      h(
        'li',
        { 'data-procedure': p.id },
        h('a', { href: href({ page: 'procedure', id: p.id }) }, label(lang, p.name, p.id)),
      ),
    ),
  );
}

export async function villagePage(ctx: PageContext, main: HTMLElement, id: string): Promise<void> {
  const { lang } = ctx;
  const heading = h('h1', null, id);
  const runningBox = h('div', null, t(lang, 'loading'));
  const noticesBox = h('div', null, t(lang, 'loading'));
  const resultsBox = h('div', null, t(lang, 'loading'));
  const monthlyBox = h('div', null, t(lang, 'loading'));
  const catalogBox = h('div', null, t(lang, 'loading'));
  const opinionsBox = h('div', null, t(lang, 'loading'));
  replaceChildren(
    main,
    heading,
    h(
      'div',
      { class: 'board-tools' },
      h('a', { class: 'button', href: href({ page: 'opinion', village: id }) }, t(lang, 'opinionHeading')),
      trackBox(ctx),
    ),
    h(
      'div',
      { class: 'board' },
      section('running', t(lang, 'runningHeading'), runningBox),
      section('disclosures', t(lang, 'disclosuresHeading'), noticesBox),
      section('results', t(lang, 'resultsHeading'), resultsBox),
      section('monthly', t(lang, 'monthlyHeading'), monthlyBox),
      section('opinions', t(lang, 'answeredOpinions'), opinionsBox),
      section('catalog', t(lang, 'catalogHeading'), h('p', null, t(lang, 'catalogIntro')), catalogBox),
    ),
  );

  const villages = await loadVillages().catch(() => undefined);
  const village = villages?.villages.find((v) => v.id === id);
  const villageName = village ? label(lang, village.name, id) : id;
  heading.textContent = `${villageName} · ${t(lang, 'boardHeading')}`;
  if (village?.practice) heading.after(practiceBanner(lang));
  ctx.setTitle(heading.textContent);

  let catalog: CatalogEntry[] = [];
  try {
    catalog = await loadCatalog();
    replaceChildren(catalogBox, catalogList(lang, catalog));
  } catch (err) {
    replaceChildren(catalogBox, errorBox(lang, err));
  }
  const graphs = await currentGraphs(catalog);
  const procedureName = (pid: string): string =>
    label(lang, catalog.find((p) => p.id === pid)?.name ?? graphs.get(pid)?.name, pid);

  const draw = async (): Promise<void> => {
    let matters: MatterSummary[];
    try {
      matters = (await getJson<{ matters: MatterSummary[] }>(`/api/matters?village=${encodeURIComponent(id)}`)).matters;
    } catch (err) {
      replaceChildren(runningBox, errorBox(lang, err));
      return;
    }
    const running = matters.filter((m) => m.status !== 'ended');
    replaceChildren(
      runningBox,
      running.length === 0
        ? empty(t(lang, 'runningEmpty'))
        : h(
            'ul',
            { class: 'matter-list' },
            running.map((m) =>
              h(
                'li',
                { 'data-matter': m.id },
                h('a', { href: href({ page: 'matter', id: m.id }) }, m.title),
                h('br'),
                h('span', { class: 'small' }, procedureName(m.procedure.id)),
                ' · ',
                h('span', { class: `status status--${m.status}` }, wordLabel(lang, m.status)),
                h('br'),
                `${t(lang, 'whereItStands')}: `,
                listOf(
                  lang,
                  m.activeSteps.map((s) => stepName(lang, graphs.get(m.procedure.id), s)),
                ) || '—',
              ),
            ),
          ),
    );

    const cutoff = Date.now() - RESULTS_DAYS * 86_400_000;
    const ended = matters
      .filter((m) => m.status === 'ended' && Date.parse(m.closedAt ?? m.startedAt) >= cutoff)
      .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
    replaceChildren(
      resultsBox,
      ended.length === 0
        ? empty(t(lang, 'resultsEmpty'))
        : h(
            'ul',
            { class: 'matter-list' },
            ended.map((m) =>
              h(
                'li',
                { 'data-matter': m.id },
                h('a', { href: href({ page: 'matter', id: m.id }) }, m.title),
                ' · ',
                h('strong', null, wordLabel(lang, m.outcome ?? 'ended')),
                h('br'),
                h('span', { class: 'small' }, procedureName(m.procedure.id)),
                m.closedAt ? ` · ${t(lang, 'closedAt')} ${formatTime(lang, m.closedAt)}` : null,
                m.amount !== undefined ? ` · ${formatYuan(lang, m.amount)}` : null,
              ),
            ),
          ),
    );

    // 一事一公开 and 三务公开: the board's open notices (with their end) and the monthly notices, in one read
    let board: Board;
    try {
      board = await getJson<Board>(`/api/notices?village=${encodeURIComponent(id)}`);
    } catch (err) {
      replaceChildren(noticesBox, errorBox(lang, err));
      replaceChildren(monthlyBox, errorBox(lang, err));
      return;
    }
    const now = Date.now();
    const open = board.disclosures.filter((d) => d.open);
    replaceChildren(
      noticesBox,
      open.length === 0
        ? empty(t(lang, 'disclosuresEmpty'))
        : h(
            'ul',
            { class: 'notices' },
            open.map((d) => {
              const left = daysLeft(d.endsAt, now);
              return h(
                'li',
                { class: 'notice notice--open', 'data-matter': d.matterId, 'data-step': d.step },
                h('a', { href: href({ page: 'matter', id: d.matterId }) }, d.title),
                ' · ',
                stepName(lang, graphs.get(d.procedure.id), d.step),
                h('br'),
                `${t(lang, 'publishedAt')} ${formatTime(lang, d.publishedAt)}`,
                d.endsAt ? ` · ${t(lang, 'endsAt')} ${formatTime(lang, d.endsAt)}` : null,
                left !== undefined
                  ? h('strong', { class: 'days-left' }, ` · ${t(lang, 'daysLeft', { n: left })}`)
                  : null,
              );
            }),
          ),
    );
    replaceChildren(
      monthlyBox,
      board.monthly.length === 0
        ? empty(t(lang, 'monthlyEmpty'))
        : h(
            'ul',
            { class: 'matter-list' },
            board.monthly.map((m) =>
              h('li', { 'data-month': m.month }, h('a', { href: m.printUrl }, monthLabel(lang, m.month))),
            ),
          ),
    );
  };
  const drawOpinions = async (): Promise<void> => {
    try {
      replaceChildren(opinionsBox, await answeredOpinions(lang, id));
    } catch (err) {
      replaceChildren(opinionsBox, errorBox(lang, err));
    }
  };
  await Promise.all([draw(), drawOpinions()]);
  ctx.every(10_000, draw);
  ctx.every(30_000, drawOpinions);
}

/** "2026年10月", "2026-10" */
function monthLabel(lang: Lang, month: string): string {
  const [year, mm] = month.split('-');
  return lang === 'en' ? `${t(lang, 'monthlyNotice')} ${month}` : `${year}年${Number(mm)}月${t(lang, 'monthlyNotice')}`;
}

export async function proceduresPage(ctx: PageContext, main: HTMLElement): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'catalogHeading'));
  try {
    const catalog = await loadCatalog();
    replaceChildren(
      main,
      h('h1', null, t(lang, 'catalogHeading')),
      h('p', null, t(lang, 'catalogIntro')),
      catalogList(lang, catalog),
    );
  } catch (err) {
    replaceChildren(main, errorBox(lang, err));
  }
}

export async function procedurePage(ctx: PageContext, main: HTMLElement, id: string): Promise<void> {
  const { lang } = ctx;
  let entry: CatalogEntry;
  try {
    entry = await getJson<CatalogEntry>(`/api/procedures/${encodeURIComponent(id)}`);
  } catch (err) {
    replaceChildren(main, errorBox(lang, err));
    return;
  }
  const name = label(lang, entry.name, id);
  ctx.setTitle(name);
  const version = entry.current ?? entry.versions[entry.versions.length - 1];
  const diagramBox = h('div', {
    class: 'diagram diagram--catalog',
    role: 'img',
    'aria-label': name,
    'data-state': 'loading',
  });
  const basisBox = h('div');
  const stepsBox = h('div', null, t(lang, 'loading'));
  replaceChildren(
    main,
    h('h1', null, name),
    h('p', { class: 'small' }, `${t(lang, 'version')} ${version ?? '—'}`),
    ctx.me
      ? h('p', null, h('a', { class: 'button', href: href({ page: 'start', procedure: id }) }, t(lang, 'navStart')))
      : null,
    h('section', { class: 'diagram-panel', 'aria-label': name }, diagramBox),
    section('basis', t(lang, 'procedureBasis'), basisBox),
    section('steps', t(lang, 'procedureSteps'), stepsBox),
  );
  if (!version) return;
  const diagram = new Diagram(diagramBox);
  ctx.signal.addEventListener('abort', () => diagram.destroy());
  const [xml, graph] = await Promise.all([
    getText(`/api/procedures/${encodeURIComponent(id)}/versions/${version}/bpmn`),
    loadGraph(id, version).catch(() => undefined),
  ]);
  if (ctx.signal.aborted) return;
  await diagram.show(xml, lang);
  diagramBox.dataset.state = 'ready';
  const docs = diagram.documentation();
  replaceChildren(basisBox, docs.process ? h('p', null, docs.process) : empty('—'));
  if (!graph) {
    replaceChildren(stepsBox, empty('—'));
    return;
  }
  const steps = Object.values(graph.nodes).flatMap((n) => (n.type === 'userTask' ? [n] : []));
  replaceChildren(
    stepsBox,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'steps' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            [t(lang, 'step'), t(lang, 'kind'), t(lang, 'roles'), t(lang, 'timeLimit'), t(lang, 'procedureBasis')].map(
              (c) => h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          steps.map((n) =>
            h(
              'tr',
              { 'data-step': n.id },
              h('th', { scope: 'row' }, label(lang, n.name)),
              h('td', null, kindLabel(lang, n.step.kind)),
              h(
                'td',
                null,
                listOf(
                  lang,
                  n.step.roles.map((r) => roleLabel(lang, r)),
                ),
              ),
              h(
                'td',
                null,
                n.step.window
                  ? `${t(lang, 'window')} ${durationLabel(lang, n.step.window)}`
                  : durationLabel(lang, n.step.deadline),
              ),
              h('td', { class: 'doc' }, docs.elements[n.id] ?? ''),
            ),
          ),
        ),
      ),
    ),
  );
}
