import { ApiFailure, getJson, newKey, postJson } from '../api';
import type { PageContext } from '../context';
import { h, replaceChildren } from '../dom';
import { renderForm } from '../form-view';
import { actionLabel, formatTime, label, roleLabel, t, type Lang } from '../i18n';
import { stepBadge } from '../logic/countdown';
import type { FormField, FormSpec } from '../logic/form-schema';
import { href } from '../logic/route';
import type { MatterSummary, OpinionTask, Task } from '../types';
import { empty, errorBox, loadCatalog, loadVillages, matterTitleLink } from './common';

export async function loginPage(ctx: PageContext, main: HTMLElement, next: string | undefined): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'loginHeading'));
  const spec: FormSpec = {
    step: null,
    action: 'login',
    comment: 'none',
    fields: [
      { name: 'userId', label: { zh: '账号', en: 'User id' }, kind: 'text', required: true, maxLength: 100 },
      { name: 'password', label: { zh: '密码', en: 'Password' }, kind: 'password', required: true },
    ],
  };
  replaceChildren(
    main,
    h('h1', null, t(lang, 'loginHeading')),
    h(
      'div',
      { class: 'panel narrow' },
      renderForm(spec, {
        lang,
        submitLabel: t(lang, 'loginButton'),
        onSubmit: async (c) => {
          await postJson('/api/auth/login', c.data);
          await ctx.reloadMe();
          ctx.go(next ?? href({ page: 'tasks' }));
        },
      }),
    ),
  );
}

function needLogin(ctx: PageContext, here: string): boolean {
  if (ctx.me) return false;
  ctx.go(href({ page: 'login', next: here }));
  return true;
}

export async function tasksPage(ctx: PageContext, main: HTMLElement): Promise<void> {
  const { lang } = ctx;
  if (needLogin(ctx, href({ page: 'tasks' }))) return;
  ctx.setTitle(t(lang, 'tasksHeading'));
  const list = h('div', null, t(lang, 'loading'));
  const opinionList = h('div', { id: 'opinion-tasks' });
  const opinionsSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'opinion-tasks-heading', hidden: true },
    h('h2', { id: 'opinion-tasks-heading' }, t(lang, 'opinionsWaiting')),
    opinionList,
  );
  replaceChildren(
    main,
    h('h1', null, t(lang, 'tasksHeading')),
    h('p', null, h('a', { class: 'button', href: href({ page: 'start' }) }, t(lang, 'navStart'))),
    list,
    opinionsSection,
  );
  const isChairOrTown = (ctx.me?.villages ?? []).some((v) =>
    v.roles.some((r) => r === 'supervisor-chair' || r === 'town-official'),
  );
  opinionsSection.hidden = !isChairOrTown;
  let shownOpinions = new Map<string, { key: string; item: HTMLElement }>();
  const places = await loadVillages().catch(() => undefined);
  const villageName = (id: string): string => {
    const v = places?.villages.find((x) => x.id === id);
    return `${label(lang, v?.name, id)}${v?.practice ? `（${t(lang, 'practiceTag')}）` : ''}`;
  };
  const draw = async (): Promise<void> => {
    let tasks: Task[];
    let opinions: OpinionTask[];
    try {
      ({ tasks, opinions } = await getJson<{ tasks: Task[]; opinions: OpinionTask[] }>('/api/me/tasks'));
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) {
        await ctx.reloadMe();
        ctx.go(href({ page: 'login', next: href({ page: 'tasks' }) }));
        return;
      }
      replaceChildren(list, errorBox(lang, err));
      return;
    }
    const now = Date.now();
    replaceChildren(
      list,
      tasks.length === 0
        ? empty(t(lang, 'tasksEmpty'))
        : h(
            'ul',
            { class: 'task-list' },
            tasks.map((task) => {
              const badge = stepBadge(lang, task, 'running', now);
              return h(
                'li',
                { 'data-matter': task.matterId, 'data-step': task.step.id, class: task.overdue ? 'overdue' : '' },
                h('a', { href: href({ page: 'matter', id: task.matterId }) }, task.title),
                h('br'),
                h('strong', null, label(lang, task.step.name, task.step.id)),
                ` · ${task.actions.map((a) => actionLabel(lang, a)).join(' / ')} · ${roleLabel(lang, task.role)}`,
                h('br'),
                h('span', { class: 'small' }, `${label(lang, task.procedure.name)} · ${villageName(task.village)}`),
                task.deadline ? h('span', { class: 'small' }, ` · ${formatTime(lang, task.deadline)}`) : null,
                badge && (task.overdue || badge.tone !== 'overdue')
                  ? h(
                      'span',
                      { class: `step-badge step-badge--${task.overdue ? 'overdue' : badge.tone} inline` },
                      task.overdue ? t(lang, 'overdue') : badge.text,
                    )
                  : null,
              );
            }),
          ),
    );
    // An opinion keeps its element (and the answer being typed, or a confirmation asked) until
    // what may be done on it changes; a time limit passing only changes its badge.
    const items = opinions.map((o) => {
      const key = JSON.stringify([o.status, o.actions, o.role]);
      const old = shownOpinions.get(o.opinionId);
      const item = old?.key === key ? old.item : opinionTask(ctx, o, villageName(o.village), () => void draw());
      const flags = item.querySelector('.opinion-flags');
      if (flags) replaceChildren(flags, opinionFlags(lang, o));
      item.classList.toggle('overdue', o.overdue);
      return { id: o.opinionId, key, item };
    });
    const same =
      items.length === shownOpinions.size &&
      items.every((i) => shownOpinions.get(i.id)?.item === i.item) &&
      (items.length > 0 || opinionList.querySelector('.empty') !== null);
    shownOpinions = new Map(items.map((i) => [i.id, i]));
    if (!same)
      replaceChildren(
        opinionList,
        items.length === 0
          ? empty(t(lang, 'opinionsWaitingEmpty'))
          : h(
              'ul',
              { class: 'task-list' },
              items.map((i) => i.item),
            ),
      );
  };
  await draw();
  ctx.every(5000, draw);
}

/** An opinion past its time limit, or passed on to the town, says so. */
function opinionFlags(lang: Lang, o: OpinionTask): HTMLElement | null {
  return o.overdue || o.escalated
    ? h('span', { class: 'step-badge step-badge--overdue inline' }, t(lang, o.escalated ? 'escalated' : 'overdue'))
    : null;
}

/** One opinion for the chair (or the town): what the resident wrote, its time limit, acknowledge and answer. */
function opinionTask(ctx: PageContext, o: OpinionTask, village: string, changed: () => void): HTMLElement {
  const { lang } = ctx;
  // One key per action on this opinion: a click repeated after a lost answer is applied once.
  const keys = { acknowledge: newKey(), answer: newKey() };
  const send = async (action: 'acknowledge' | 'answer', body: Record<string, unknown>) => {
    await postJson(`/api/opinions/${encodeURIComponent(o.opinionId)}/${action}`, body, keys[action]);
    changed();
  };
  const answerField: FormField = {
    name: 'answer',
    label: { zh: '答复内容', en: 'Answer' },
    kind: 'textarea',
    required: true,
    maxLength: 5000,
  };
  return h(
    'li',
    { 'data-opinion': o.opinionId },
    h('strong', null, o.subject),
    h('p', { class: 'opinion-text' }, o.text),
    h(
      'span',
      { class: 'small' },
      `${village} · ${formatTime(lang, o.submittedAt)}`,
      o.dueAt
        ? ` · ${t(lang, o.status === 'submitted' ? 'opinionAckDue' : 'opinionAnswerDue')} ${formatTime(lang, o.dueAt)}`
        : '',
      ` · ${roleLabel(lang, o.role)}`,
    ),
    h('span', { class: 'opinion-flags' }),
    o.matterId ? h('p', null, matterTitleLink(lang, o.matterId)) : null,
    o.actions.includes('acknowledge')
      ? renderForm(
          { step: null, action: 'acknowledge', comment: 'none', fields: [] },
          {
            lang,
            submitLabel: t(lang, 'acknowledgeOpinion'),
            confirm: t(lang, 'confirmIrreversible'),
            onSubmit: () => send('acknowledge', {}),
          },
        )
      : null,
    o.actions.includes('answer')
      ? renderForm(
          { step: null, action: 'answer', comment: 'none', fields: [answerField] },
          {
            lang,
            submitLabel: t(lang, 'answerOpinion'),
            confirm: t(lang, 'confirmIrreversible'),
            onSubmit: (c) => send('answer', { answer: c.data.answer }),
          },
        )
      : null,
  );
}

export async function startPage(
  ctx: PageContext,
  main: HTMLElement,
  preset: { village?: string; procedure?: string },
): Promise<void> {
  const { lang, me } = ctx;
  if (needLogin(ctx, href({ page: 'start', ...preset }))) return;
  if (!me) return;
  ctx.setTitle(t(lang, 'startHeading'));
  let catalog;
  try {
    catalog = await loadCatalog();
  } catch (err) {
    replaceChildren(main, errorBox(lang, err));
    return;
  }
  // completed major decisions of my villages, to link by title (read once; a handful of villages)
  const decisions = (
    await Promise.all(
      me.villages.map((v) =>
        getJson<{ matters: MatterSummary[] }>(
          `/api/matters?village=${encodeURIComponent(v.id)}&procedure=major-decision&status=ended`,
        ).then(
          (r) => r.matters.filter((m) => m.outcome === 'completed'),
          () => [] as MatterSummary[],
        ),
      ),
    )
  ).flat();
  const fields: FormField[] = [
    {
      name: 'procedureId',
      label: { zh: '流程', en: 'Procedure' },
      kind: 'select',
      required: true,
      options: catalog.filter((p) => p.current).map((p) => ({ value: p.id, label: p.name })),
    },
    {
      name: 'village',
      label: { zh: '村', en: 'Village' },
      kind: 'select',
      required: true,
      options: me.villages.map((v) => ({ value: v.id, label: v.name })),
    },
    { name: 'title', label: { zh: '事项名称', en: 'Title' }, kind: 'text', required: true, maxLength: 200 },
    { name: 'amount', label: { zh: '金额（元）', en: 'Amount (yuan)' }, kind: 'amount', required: false, min: 0 },
    {
      // above a threshold a fund approval or a project rests on a completed major decision: chosen by title
      name: 'links',
      label: { zh: '依据的重大事项决策（已办结）', en: 'The major decision it rests on (completed)' },
      kind: 'select',
      required: false,
      options: decisions.map((d) => ({
        value: d.id,
        label: {
          zh: `${d.title}（${label('zh-CN', me.villages.find((v) => v.id === d.village)?.name, d.village)}）`,
          en: `${d.title} (${label('en', me.villages.find((v) => v.id === d.village)?.name, d.village)})`,
        },
      })),
    },
  ];
  // one key per visit: a double click or a retry finds the matter already started
  const key = newKey();
  const form = renderForm(
    { step: null, action: 'start', comment: 'none', fields },
    {
      lang,
      submitLabel: t(lang, 'startButton'),
      onSubmit: async (c) => {
        const { links, ...rest } = c.data;
        const body = { ...rest, ...(typeof links === 'string' ? { links: [links] } : {}) };
        const created = await postJson<{ id: string }>('/api/matters', body, key);
        ctx.go(href({ page: 'matter', id: created.id }));
      },
    },
  );
  for (const [name, value] of [
    ['procedureId', preset.procedure],
    ['village', preset.village ?? (me.villages.length === 1 ? me.villages[0]?.id : undefined)],
  ] as const) {
    const select = form.querySelector<HTMLSelectElement>(`[name="${name}"]`);
    if (select && value) select.value = value;
  }
  replaceChildren(main, h('h1', null, t(lang, 'startHeading')), h('div', { class: 'panel narrow' }, form));
}
