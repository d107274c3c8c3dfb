import type { Step } from '../../../../common/graph';
import { newKey, postJson } from '../../api';
import type { PageContext } from '../../context';
import { contentSection } from '../../content-view';
import { h } from '../../dom';
import { renderForm } from '../../form-view';
import { actionLabel, label, roleLabel, t } from '../../i18n';
import { stepContents } from '../../logic/content';
import { formFor } from '../../logic/form-schema';
import { rulesOf } from '../../logic/quorum';
import { href } from '../../logic/route';
import type { MatterPageView, ProcedureGraph, Task } from '../../types';
import { objectionForms, type Send } from './objections';

/** The forms of the actions the signed-in person may take now (tasks say which; objections by role). */
export function actionForms(
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
  const send: Send = async (step, action, role, data, comment) => {
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
            check: async (data) => (await import('../../logic/schema-check')).schemaProblems(def, action, data),
            confirm: t(lang, 'confirmIrreversible'),
            upload: { village: view.village, matter: view.matterId },
            onSubmit: (c) => send(task.step.id, action, task.role, c.data, c.comment),
          }),
        ),
      );
    }
  }

  const roles = me.villages.find((v) => v.id === view.village)?.roles ?? [];
  forms.push(...objectionForms(lang, view, graph, roles, send));
  if (forms.length === 0) return null;
  return h('div', { class: 'action-forms' }, h('h3', null, t(lang, 'actHeading')), forms);
}
