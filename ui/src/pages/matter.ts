import type { Step } from '../../../common/graph';
import { getJson, getText, newKey, postJson } from '../api';
import type { PageContext } from '../context';
import { byline, contentList, contentSection, formatValue } from '../content-view';
import { Diagram } from '../diagram';
import { h, replaceChildren } from '../dom';
import { quorumList, renderForm } from '../form-view';
import {
  actionLabel,
  bodyLabel,
  formatTime,
  formatYuan,
  kindLabel,
  label,
  listOf,
  roleLabel,
  t,
  wordLabel,
  type Lang,
} from '../i18n';
import { daysLeft, disclosedContent, namesOf, stepContents, type StepContent } from '../logic/content';
import { countdown, durationText, stepBadge } from '../logic/countdown';
import { stepLines } from '../logic/step-list';
import { formFor, schemaProblems } from '../logic/form-schema';
import { markersFor } from '../logic/markers';
import { answeredOpinions } from './opinion';
import { noticeWindows } from '../logic/notices';
import { rulesOf } from '../logic/quorum';
import { href } from '../logic/route';
import type { MatterPageView, ProcedureGraph, Role, Task } from '../types';
import {
  describeError,
  empty,
  errorBox,
  practiceBanner,
  loadGraph,
  loadVillages,
  matterTitleLink,
  section,
  stepName,
} from './common';

const POLL_MS = 2000;

function statusText(lang: Lang, view: MatterPageView): string {
  if (view.status === 'ended')
    return `${t(lang, 'statusEnded')}${view.outcome ? ` · ${wordLabel(lang, view.outcome)}` : ''}`;
  return view.status === 'suspended' ? t(lang, 'statusSuspended') : t(lang, 'statusRunning');
}

/** The signature of what the action forms depend on: forms are rebuilt only when it changes. */
function actionKey(view: MatterPageView, tasks: Task[]): string {
  return JSON.stringify([
    view.status,
    view.activeSteps.map((s) => [s.id, s.phase, s.actions]),
    view.objections.map((o) => [o.id, o.status]),
    tasks.map((task) => [task.step.id, task.actions, task.role]),
  ]);
}

export async function matterPage(ctx: PageContext, main: HTMLElement, id: string): Promise<void> {
  const { lang } = ctx;
  // the flowchart is fetched alongside the state, not after it
  const bpmn = getText(`/api/matters/${encodeURIComponent(id)}/bpmn`);
  bpmn.catch(() => undefined);
  let view: MatterPageView;
  try {
    view = await getJson<MatterPageView>(`/api/matters/${encodeURIComponent(id)}`);
  } catch (err) {
    replaceChildren(main, errorBox(lang, err));
    return;
  }
  if (ctx.signal.aborted) return;
  performance.mark('matter-state');
  const tasksLoaded = ctx.me
    ? getJson<{ tasks: Task[] }>('/api/me/tasks').then(
        (all) => all.tasks.filter((task) => task.matterId === id),
        () => [] as Task[],
      )
    : Promise.resolve([] as Task[]);
  // the graph (names, fields, rules) and the drawing load side by side
  const graphLoaded = loadGraphQuietly(view);
  const placesLoaded = loadVillages().catch(() => undefined);

  const title = h('h1', { class: 'matter-title', id: 'matter-title' });
  const meta = h('p', { class: 'matter-meta' });
  const access = h('p', { class: 'access-note' });
  const opinionLink = h(
    'p',
    { class: 'opinion-link' },
    h('a', { href: href({ page: 'opinion', village: view.village, matter: view.matterId }) }, t(lang, 'writeOpinion')),
  );
  const diagramBox = h('div', {
    class: 'diagram',
    id: 'diagram',
    role: 'img',
    'aria-label': t(lang, 'diagramLabel'),
    'data-state': 'loading',
  });
  // announced when the matter moves on while someone reads the page
  const activeBox = h('div', { id: 'active-steps', 'aria-live': 'polite' });
  // the chart in words: done, now (with the days left), next
  const stepListBox = h('nav', { class: 'step-list', id: 'step-list', 'aria-label': t(lang, 'stepListLabel') });
  const actionsBox = h('div', { id: 'actions' });
  // slots that hold a whole panel or nothing: `display: contents`, so an empty one takes no grid cell
  const objectionsBox = h('div', { class: 'slot' });
  const warningsBox = h('div', { class: 'slot' });
  const contentBox = h('div');
  const meetingsBox = h('div');
  const noticesBox = h('div');
  const linksBox = h('div');
  const opinionsBox = h('div', null, t(lang, 'loading'));
  const timelineBox = h('div');

  const diagram = new Diagram(diagramBox);
  ctx.signal.addEventListener('abort', () => diagram.destroy());
  const toolbar = h(
    'div',
    { class: 'diagram-toolbar' },
    h('button', { type: 'button', onclick: () => diagram.zoomBy(1.25), 'aria-label': t(lang, 'zoomIn') }, '+'),
    h('button', { type: 'button', onclick: () => diagram.zoomBy(0.8), 'aria-label': t(lang, 'zoomOut') }, '−'),
    h('button', { type: 'button', onclick: () => diagram.fit() }, t(lang, 'zoomFit')),
    h(
      'ul',
      { class: 'legend', 'aria-label': t(lang, 'diagramLabel') },
      h('li', { class: 'legend__active' }, t(lang, 'legendActive')),
      h('li', { class: 'legend__done' }, t(lang, 'legendDone')),
      h('li', { class: 'legend__flow' }, t(lang, 'legendFlow')),
    ),
  );

  replaceChildren(
    main,
    h(
      'article',
      { class: 'matter', 'aria-labelledby': 'matter-title' },
      h('header', { class: 'matter-header' }, title, meta, access, opinionLink),
      h(
        'div',
        { class: 'matter-layout' },
        h(
          'section',
          { class: 'diagram-panel', 'aria-label': t(lang, 'diagramLabel') },
          toolbar,
          h('div', { class: 'chart-and-steps' }, diagramBox, stepListBox),
        ),
        h(
          'div',
          { class: 'matter-side' },
          section('active', t(lang, 'activeHeading'), activeBox, actionsBox),
          objectionsBox,
          warningsBox,
          section('content', t(lang, 'contentHeading'), contentBox),
          section('meetings', t(lang, 'meetingsHeading'), meetingsBox),
          section('notices', t(lang, 'noticesHeading'), noticesBox),
          section('links', t(lang, 'linksHeading'), linksBox),
          section('opinions', t(lang, 'answeredOpinions'), opinionsBox),
          section('timeline', t(lang, 'timelineHeading'), recordTools(lang, id), timelineBox),
        ),
      ),
    ),
  );

  let lastJson = '';
  let lastActionKey = '';
  let tasks: Task[] = await tasksLoaded;

  const drawState = (): void => {
    diagram.setMarkers(markersFor(view, graph));
    diagram.focusOn(view.activeSteps.map((s) => s.id));
    const now = Date.now();
    diagram.setBadges(
      view.activeSteps.flatMap((s) => {
        const badge = stepBadge(lang, s, view.status, now);
        return badge ? [{ id: s.id, ...badge }] : [];
      }),
    );
  };

  const renderSide = (): void => {
    ctx.setTitle(view.title);
    title.textContent = view.title;
    replaceChildren(
      meta,
      label(lang, view.procedure.name),
      ' · ',
      villageLink,
      ' · ',
      h('span', { class: `status status--${view.status}`, 'data-status': view.status }, statusText(lang, view)),
      ' · ',
      `${t(lang, 'startedAt')} ${formatTime(lang, view.startedAt)}`,
      view.amount !== undefined ? ` · ${formatYuan(lang, view.amount)}` : null,
    );
    access.textContent = view.access === 'public' ? t(lang, 'publicView') : '';
    access.hidden = view.access !== 'public';

    replaceChildren(activeBox, activeList(lang, view, graph));
    replaceChildren(stepListBox, stepListView(lang, view, graph));
    replaceChildren(objectionsBox, objectionsSection(lang, view, graph, namesOf(view)));
    replaceChildren(warningsBox, warningsSection(lang, view));
    const contents = stepContents(view, graph);
    const names = namesOf(view);
    replaceChildren(contentBox, contentSection(lang, contents));
    replaceChildren(meetingsBox, meetingList(lang, view, graph, rules, names));
    replaceChildren(noticesBox, noticeList(lang, view, graph, contents));
    replaceChildren(linksBox, linkList(lang, view));
    replaceChildren(timelineBox, timeline(lang, view, graph));
  };

  const renderActions = (): void => {
    const key = actionKey(view, tasks);
    if (key === lastActionKey) return;
    lastActionKey = key;
    replaceChildren(actionsBox, actionForms(ctx, view, graph, tasks, refresh));
  };

  const loadTasks = async (): Promise<void> => {
    if (!ctx.me) return;
    try {
      const all = await getJson<{ tasks: Task[] }>('/api/me/tasks');
      tasks = all.tasks.filter((task) => task.matterId === view.matterId);
    } catch {
      tasks = [];
    }
  };

  async function refresh(): Promise<void> {
    const next = await getJson<MatterPageView>(`/api/matters/${encodeURIComponent(id)}`);
    if (ctx.signal.aborted) return;
    const json = JSON.stringify(next);
    if (json !== lastJson) {
      lastJson = json;
      view = next;
      await loadTasks();
      renderSide();
      renderActions();
    }
    drawState();
  }

  const imported = bpmn.then(async (xml) => {
    if (ctx.signal.aborted) return;
    performance.mark('diagram-fetched');
    await diagram.show(xml, lang);
    performance.mark('diagram-imported');
  });
  imported.catch(() => undefined);
  const [graph, places] = await Promise.all([graphLoaded, placesLoaded]);
  const village = places?.villages.find((v) => v.id === view.village);
  if (village?.practice) main.querySelector('.matter-header')?.prepend(practiceBanner(lang));
  const villageLink = h(
    'a',
    { href: href({ page: 'village', id: view.village }) },
    village ? label(lang, village.name, view.village) : view.village,
  );
  const rules = rulesOf(graph?.policy);

  lastJson = JSON.stringify(view);
  if (ctx.signal.aborted) return;
  renderSide();
  renderActions();
  try {
    await imported;
    if (ctx.signal.aborted) return;
    drawState();
    diagramBox.dataset.state = 'ready';
    // what `npm run bench` measures: navigation → diagram drawn with its markers
    performance.mark('diagram-ready');
  } catch (err) {
    diagramBox.dataset.state = 'failed';
    diagramBox.append(errorBox(lang, err));
  }
  ctx.every(POLL_MS, refresh);
  const drawOpinions = async (): Promise<void> => {
    try {
      replaceChildren(opinionsBox, await answeredOpinions(lang, view.village, view.matterId));
    } catch (err) {
      replaceChildren(opinionsBox, errorBox(lang, err));
    }
  };
  await drawOpinions();
  ctx.every(30_000, drawOpinions);
}

/** The record is hash-chained: anyone may download it, or have the server recompute the chain. */
function recordTools(lang: Lang, id: string): HTMLElement {
  const verdict = h('span', { class: 'verdict', role: 'status', 'aria-live': 'polite' });
  const base = `/api/matters/${encodeURIComponent(id)}/record`;
  return h(
    'p',
    { class: 'record-tools' },
    h('a', { href: base, download: `${id}-record.json` }, t(lang, 'downloadRecord')),
    ' ',
    h(
      'button',
      {
        type: 'button',
        id: 'verify-record',
        onclick: () => {
          verdict.textContent = t(lang, 'loading');
          getJson<{ ok: boolean; length: number; brokenAt?: number }>(`${base}/verify`)
            .then((v) => {
              verdict.dataset.ok = String(v.ok);
              verdict.textContent = v.ok
                ? t(lang, 'chainOk', { n: v.length })
                : t(lang, 'chainBroken', { seq: v.brokenAt ?? '?' });
            })
            .catch((err: unknown) => {
              verdict.textContent = describeError(lang, err).summary;
            });
        },
      },
      t(lang, 'verifyRecord'),
    ),
    ' ',
    verdict,
  );
}

async function loadGraphQuietly(view: MatterPageView): Promise<ProcedureGraph | undefined> {
  try {
    return await loadGraph(view.procedure.id, view.procedure.version);
  } catch {
    return undefined;
  }
}

function stepListView(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
  const now = Date.now();
  const mark = { done: '✓', now: '●', next: '○' } as const;
  return h(
    'ol',
    null,
    stepLines(view, graph).map((line) => {
      const left = line.state === 'now' ? countdown(line.dueAt, now) : undefined;
      return h(
        'li',
        { class: `step-line step-line--${line.state}`, 'data-step': line.id, 'data-state': line.state },
        h('span', { class: 'step-line__mark', 'aria-hidden': 'true' }, mark[line.state]),
        h(
          'span',
          null,
          h('span', { class: 'step-line__state' }, t(lang, `stepState_${line.state}`)),
          ' ',
          label(lang, line.name),
          left?.kind === 'left'
            ? h('span', { class: 'step-line__due' }, ` · ${t(lang, 'dueIn', { time: durationText(lang, left.ms) })}`)
            : left?.kind === 'overdue'
              ? h('span', { class: 'step-line__due overdue' }, ` · ${t(lang, 'overdue')}`)
              : null,
        ),
      );
    }),
  );
}

function activeList(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
  if (view.activeSteps.length === 0) return empty(t(lang, 'activeEmpty'));
  const now = Date.now();
  return h(
    'ul',
    { class: 'active-list' },
    view.activeSteps.map((s) => {
      const badge = stepBadge(lang, s, view.status, now);
      return h(
        'li',
        { 'data-step': s.id },
        h('strong', null, label(lang, s.name, stepName(lang, graph, s.id))),
        ` · ${kindLabel(lang, s.kind)}`,
        s.phase === 'awaiting-witness' ? ` · ${t(lang, 'awaitingWitness')}` : null,
        h('br'),
        `${t(lang, 'roles')}: ${listOf(
          lang,
          s.roles.map((r) => roleLabel(lang, r)),
        )}`,
        s.deadline ? ` · ${t(lang, 'dueAt', { time: formatTime(lang, s.deadline) })}` : null,
        badge ? h('span', { class: `step-badge step-badge--${badge.tone} inline` }, badge.text) : null,
      );
    }),
  );
}

function timeline(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
  if (view.record.length === 0) return empty(t(lang, 'timelineEmpty'));
  return h(
    'ol',
    { class: 'timeline' },
    view.record.map((entry) =>
      h(
        'li',
        { 'data-seq': entry.seq },
        h('time', { datetime: entry.at }, formatTime(lang, entry.at)),
        h(
          'div',
          null,
          h('strong', null, byline(lang, entry.name ?? entry.userId, entry.role)),
          ' · ',
          entry.step ? `${stepName(lang, graph, entry.step)} · ` : null,
          actionLabel(lang, entry.action),
          entry.decision ? h('span', { class: 'decision' }, ` → ${wordLabel(lang, entry.decision)}`) : null,
        ),
        entry.reason ? h('p', { class: 'reason' }, entry.reason) : null,
      ),
    ),
  );
}

function meetingList(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  rules: ReturnType<typeof rulesOf>,
  names: Map<string, string>,
): HTMLElement {
  if (view.meetings.length === 0) return empty(t(lang, 'meetingsEmpty'));
  return h(
    'ul',
    { class: 'meetings' },
    view.meetings.map((m) => {
      const c = m.counts;
      const result =
        m.result === 'passed' ? 'resultPassed' : m.result === 'rejected' ? 'resultRejected' : 'resultInquorate';
      return h(
        'li',
        { class: 'meeting', 'data-step': m.step, 'data-result': m.result },
        h('h3', null, `${stepName(lang, graph, m.step)} · ${bodyLabel(lang, m.body)} · ${m.date}`),
        h(
          'p',
          null,
          h('strong', null, t(lang, result)),
          ` · ${wordLabel(lang, m.status)} · `,
          t(lang, 'presentOf', { present: c.present, members: c.members }),
          ' · ',
          t(lang, 'votes', { for: c.inFavour, against: c.against, abstain: c.abstain }),
          c.households !== undefined
            ? ` · ${t(lang, 'householdsOf', { represented: c.householdsRepresented ?? 0, households: c.households })}`
            : null,
        ),
        rules ? quorumList(lang, m.body, c, rules) : null,
        h(
          'p',
          { class: 'small' },
          `${t(lang, 'recordedBy')}: ${names.get(m.recordedBy) ?? m.recordedBy}`,
          m.witnessedBy ? ` · ${t(lang, 'witnessedBy')}: ${names.get(m.witnessedBy) ?? m.witnessedBy}` : null,
          ' · ',
          `${t(lang, 'minutesHash')}: `,
          formatValue(lang, { type: 'hash', value: m.minutesHash }),
        ),
      );
    }),
  );
}

/** Each notice with what it discloses (一事一公开): the steps' content when it went up, its start, end and days left. */
function noticeList(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  contents: StepContent[],
): HTMLElement {
  if (view.notices.length === 0) return empty(t(lang, 'noticesEmpty'));
  const now = Date.now();
  return h(
    'ul',
    { class: 'notices' },
    noticeWindows(view, now).map((n) => {
      const left = n.current ? daysLeft(n.endsAt, now) : undefined;
      const shown = disclosedContent(contents, n.publishedAt);
      return h(
        'li',
        { 'data-step': n.step, class: n.current ? 'notice notice--open' : 'notice' },
        h('strong', null, stepName(lang, graph, n.step)),
        n.current ? h('span', { class: 'status status--running' }, ` ${t(lang, 'onNotice')}`) : null,
        h('br'),
        `${t(lang, 'publishedAt')} ${formatTime(lang, n.publishedAt)}`,
        n.endsAt ? ` · ${t(lang, 'endsAt')} ${formatTime(lang, n.endsAt)}` : null,
        left !== undefined ? h('strong', { class: 'days-left' }, ` · ${t(lang, 'daysLeft', { n: left })}`) : null,
        shown.length > 0
          ? h(
              'details',
              { class: 'disclosed', open: n.current },
              h('summary', null, t(lang, 'disclosedText')),
              h('p', { class: 'disclosed__title' }, view.title),
              shown.map((c) => [h('h4', null, label(lang, c.name)), contentList(lang, c)]),
            )
          : null,
      );
    }),
  );
}

function linkList(lang: Lang, view: MatterPageView): HTMLElement {
  const from = view.linkedFrom ?? [];
  if (view.links.length === 0 && from.length === 0) return empty(t(lang, 'linksEmpty'));
  return h(
    'dl',
    { class: 'links' },
    view.links.length > 0
      ? [h('dt', null, t(lang, 'linksTo')), view.links.map((l) => h('dd', null, matterTitleLink(lang, l)))]
      : null,
    from.length > 0
      ? [h('dt', null, t(lang, 'linkedFrom')), from.map((l) => h('dd', null, matterTitleLink(lang, l)))]
      : null,
  );
}

function objectionsSection(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  names: Map<string, string>,
): HTMLElement | null {
  if (view.objections.length === 0) return null;
  return section(
    'objections',
    t(lang, 'objectionsHeading'),
    h(
      'ul',
      { class: 'objections' },
      view.objections.map((o) =>
        h(
          'li',
          { 'data-objection': o.id, class: `objection objection--${o.status}` },
          h('strong', null, wordLabel(lang, o.status)),
          ` · ${names.get(o.raisedBy) ?? o.raisedBy} · ${formatTime(lang, o.at)}`,
          o.step ? ` · ${stepName(lang, graph, o.step)}` : null,
          h('p', { class: 'reason' }, o.reason),
          o.answer ? h('p', { class: 'answer' }, `${t(lang, 'answer')}: `, o.answer) : null,
        ),
      ),
    ),
  );
}

function warningsSection(lang: Lang, view: MatterPageView): HTMLElement | null {
  if (view.warnings.length === 0) return null;
  return section(
    'warnings',
    t(lang, 'warningsHeading'),
    h(
      'ul',
      null,
      view.warnings.map((w) =>
        h(
          'li',
          null,
          t(lang, 'splitWarning', {
            payee: w.payee,
            days: w.windowDays,
            total: formatYuan(lang, w.total),
            tier: formatYuan(lang, w.tier),
          }),
          ' ',
          w.matters.map((m) => [matterTitleLink(lang, m), ' ']),
        ),
      ),
    ),
  );
}

const SUPERVISOR_ROLES: Role[] = ['supervisor', 'supervisor-chair'];
const COMMITTEE_ROLES: Role[] = ['secretary', 'director', 'committee'];

/** The forms of the actions the signed-in person may take now (tasks say which; objections by role). */
function actionForms(
  ctx: PageContext,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  tasks: Task[],
  refresh: () => Promise<void>,
): HTMLElement | null {
  const { lang, me } = ctx;
  if (view.status === 'ended') return null;
  if (!me) {
    return h(
      'p',
      { class: 'hint' },
      h('a', { href: href({ page: 'login', next: href({ page: 'matter', id: view.matterId }) }) }, t(lang, 'navLogin')),
      ' — ',
      t(lang, 'signInToAct'),
    );
  }
  const rules = rulesOf(graph?.policy);
  const forms: HTMLElement[] = [];
  const send = async (
    step: string | null,
    action: string,
    role: string | undefined,
    data: Record<string, unknown>,
    comment: string | undefined,
  ): Promise<void> => {
    await postJson(
      `/api/matters/${encodeURIComponent(view.matterId)}/actions`,
      { step, action, data, ...(comment ? { comment } : {}), ...(role ? { role } : {}) },
      newKey(),
    );
    await refresh();
  };

  const contents = stepContents(view, graph);
  for (const task of tasks) {
    // Objections waiting on this person have their own forms below, beside each objection.
    if (task.step.kind === 'objection') continue;
    const node = graph?.nodes[task.step.id];
    const def: Step | undefined = node?.type === 'userTask' ? node.step : undefined;
    // whoever reviews, approves or witnesses sees what they decide on beside the button
    if (contents.length > 0 && task.step.kind !== 'submit')
      forms.push(
        h(
          'section',
          { class: 'check-before', 'data-step': task.step.id, 'aria-label': t(lang, 'checkBeforeDeciding') },
          h('h4', null, t(lang, 'checkBeforeDeciding')),
          contentSection(lang, contents),
        ),
      );
    for (const action of task.actions) {
      const spec = formFor(def ? { id: task.step.id, def } : null, action);
      if (!def && action === 'record') continue;
      spec.step = task.step.id;
      forms.push(
        h(
          'details',
          { class: 'action', open: task.actions.length === 1, 'data-step': task.step.id, 'data-action': action },
          h(
            'summary',
            null,
            `${actionLabel(lang, action)} · ${label(lang, task.step.name)} (${roleLabel(lang, task.role)})`,
          ),
          renderForm(spec, {
            lang,
            submitLabel: actionLabel(lang, action),
            ...(rules ? { rules } : {}),
            check: (data) => schemaProblems(def, action, data),
            confirm: t(lang, 'confirmIrreversible'),
            upload: { village: view.village, matter: view.matterId },
            onSubmit: (c) => send(task.step.id, action, task.role, c.data, c.comment),
          }),
        ),
      );
    }
  }

  const roles = me.villages.find((v) => v.id === view.village)?.roles ?? [];
  const supervisorRole = roles.find((r) => SUPERVISOR_ROLES.includes(r));
  const committeeRole = roles.find((r) => COMMITTEE_ROLES.includes(r));
  const townRole = roles.find((r) => r === 'town-official');
  const steps = Object.values(graph?.nodes ?? {}).flatMap((n) =>
    n.type === 'userTask' ? [{ id: n.id, name: n.name }] : [],
  );
  if (supervisorRole && view.status === 'running') {
    forms.push(
      h(
        'details',
        { class: 'action', 'data-action': 'raise-objection' },
        h('summary', null, t(lang, 'raiseObjection')),
        renderForm(formFor(null, 'raise-objection'), {
          lang,
          submitLabel: t(lang, 'raiseObjection'),
          confirm: t(lang, 'confirmIrreversible'),
          onSubmit: (c) => send(view.activeSteps[0]?.id ?? null, 'raise-objection', supervisorRole, c.data, c.comment),
        }),
      ),
    );
  }
  for (const o of view.objections) {
    if (o.status === 'open' && committeeRole) {
      forms.push(
        h(
          'details',
          { class: 'action', 'data-action': 'answer-objection' },
          h('summary', null, t(lang, 'answerObjection')),
          renderForm(formFor(null, 'answer-objection'), {
            lang,
            submitLabel: t(lang, 'answerObjection'),
            confirm: t(lang, 'confirmIrreversible'),
            onSubmit: (c) =>
              send(o.step, 'answer-objection', committeeRole, { objectionId: o.id, ...c.data }, c.comment),
          }),
        ),
      );
    }
    if (o.status !== 'resolved' && townRole) {
      forms.push(
        h(
          'details',
          { class: 'action', 'data-action': 'rule-objection', 'data-objection': o.id },
          h('summary', null, t(lang, 'ruleObjection')),
          renderForm(formFor(null, 'rule-objection', steps), {
            lang,
            submitLabel: t(lang, 'ruleObjection'),
            confirm: t(lang, 'confirmIrreversible'),
            onSubmit: (c) => send(o.step, 'rule-objection', townRole, { objectionId: o.id, ...c.data }, c.comment),
          }),
        ),
      );
    }
    if (o.status === 'answered' && supervisorRole) {
      forms.push(
        h(
          'details',
          { class: 'action', 'data-action': 'accept-answer' },
          h('summary', null, t(lang, 'acceptAnswer')),
          renderForm(formFor(null, 'accept-answer'), {
            lang,
            submitLabel: t(lang, 'acceptAnswer'),
            confirm: t(lang, 'confirmIrreversible'),
            onSubmit: (c) => send(o.step, 'accept-answer', supervisorRole, { objectionId: o.id }, c.comment),
          }),
        ),
      );
    }
  }
  if (forms.length === 0) return null;
  return h('div', { class: 'action-forms' }, h('h3', null, t(lang, 'actHeading')), forms);
}
