import { noticeWindows } from '../../../../common/notice-windows';
import { contentList, type FileAccess } from '../../content-view';
import { h } from '../../dom';
import { formatTime, label, t, type Lang } from '../../i18n';
import { daysLeft, disclosedContent, type StepContent } from '../../logic/content';
import type { MatterPageView, ProcedureGraph } from '../../types';
import { empty, stepName } from '../common';

/** Each notice with what it discloses (一事一公开): the steps' content when it went up, its start, end and days left. */
export function noticeList(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  contents: StepContent[],
  files?: FileAccess,
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
              shown.map((c) =>
                h(
                  'section',
                  { class: 'disclosed__step', 'data-step': c.step },
                  h('h4', null, label(lang, c.name)),
                  contentList(lang, c, files),
                ),
              ),
            )
          : null,
      );
    }),
  );
}
