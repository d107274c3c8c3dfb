import { h } from '../../dom';
import { renderForm } from '../../form-view';
import { formatTime, t, wordLabel, type Lang } from '../../i18n';
import { formFor, rulingData } from '../../logic/form-schema';
import type { MatterPageView, ProcedureGraph, Role } from '../../types';
import { section, stepName } from '../common';

/** Sends one action on the matter (a step, or the whole matter when `step` is null), then reloads it. */
export type Send = (
  step: string | null,
  action: string,
  role: string | undefined,
  data: Record<string, unknown>,
  comment: string | undefined,
) => Promise<void>;

/** Objections to the whole matter: what was raised and answered, and the forms of whoever acts on them now. */

export function objectionsSection(
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

const SUPERVISOR_ROLES: Role[] = ['supervisor', 'supervisor-chair'];
const COMMITTEE_ROLES: Role[] = ['secretary', 'director', 'committee'];

/** The signed-in person's roles in the matter's village that act on objections. */
export function objectionRoles(roles: Role[]): { supervisor?: Role; committee?: Role; town?: Role } {
  const supervisor = roles.find((r) => SUPERVISOR_ROLES.includes(r));
  const committee = roles.find((r) => COMMITTEE_ROLES.includes(r));
  const town = roles.find((r) => r === 'town-official');
  return { ...(supervisor ? { supervisor } : {}), ...(committee ? { committee } : {}), ...(town ? { town } : {}) };
}

function objectionForm(summary: string, action: string, form: HTMLFormElement, objection?: string): HTMLElement {
  return h(
    'details',
    { class: 'action', 'data-action': action, ...(objection ? { 'data-objection': objection } : {}) },
    h('summary', null, summary),
    form,
  );
}

/**
 * A supervisor may object to a running matter at any time; the committee answers an open
 * objection, the supervisors accept an answer, and the town rules: upheld, back to one of the steps
 * the engine allows (the view's `rulingTargets`) or stopped, said so; with a reason either way.
 */
export function objectionForms(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  roles: Role[],
  send: Send,
): HTMLElement[] {
  const { supervisor, committee, town } = objectionRoles(roles);
  const confirm = t(lang, 'confirmIrreversible');
  const forms: HTMLElement[] = [];
  if (supervisor && view.status === 'running') {
    forms.push(
      objectionForm(
        t(lang, 'raiseObjection'),
        'raise-objection',
        renderForm(formFor(null, 'raise-objection'), {
          lang,
          submitLabel: t(lang, 'raiseObjection'),
          confirm,
          onSubmit: (c) => send(view.activeSteps[0]?.id ?? null, 'raise-objection', supervisor, c.data, c.comment),
        }),
      ),
    );
  }
  for (const o of view.objections) {
    if (o.status === 'open' && committee) {
      forms.push(
        objectionForm(
          t(lang, 'answerObjection'),
          'answer-objection',
          renderForm(formFor(null, 'answer-objection'), {
            lang,
            submitLabel: t(lang, 'answerObjection'),
            confirm,
            onSubmit: (c) => send(o.step, 'answer-objection', committee, { objectionId: o.id, ...c.data }, c.comment),
          }),
        ),
      );
    }
    if (o.rulingTargets && town) {
      const targets = o.rulingTargets.map((id) => ({ id, name: graph?.nodes[id]?.name ?? { zh: id, en: id } }));
      forms.push(
        objectionForm(
          t(lang, 'ruleObjection'),
          'rule-objection',
          renderForm(formFor(null, 'rule-objection', targets), {
            lang,
            submitLabel: t(lang, 'ruleObjection'),
            confirm,
            onSubmit: (c) =>
              send(o.step, 'rule-objection', town, { objectionId: o.id, ...rulingData(c.data) }, c.comment),
          }),
          o.id,
        ),
      );
    }
    if (o.status === 'answered' && supervisor) {
      forms.push(
        objectionForm(
          t(lang, 'acceptAnswer'),
          'accept-answer',
          renderForm(formFor(null, 'accept-answer'), {
            lang,
            submitLabel: t(lang, 'acceptAnswer'),
            confirm,
            onSubmit: (c) => send(o.step, 'accept-answer', supervisor, { objectionId: o.id }, c.comment),
          }),
        ),
      );
    }
  }
  return forms;
}
