import { h } from '../../dom';
import { formatTime, kindLabel, label, listOf, roleLabel, t, type Lang } from '../../i18n';
import { countdown, durationText, stepBadge } from '../../logic/countdown';
import { stepLines } from '../../logic/step-list';
import type { MatterPageView, ProcedureGraph } from '../../types';
import { empty, stepName } from '../common';

/** Where the matter stands, in words: the step list beside the chart and the steps open now. */

export function stepListView(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
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

export function activeList(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
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
