import { h } from '../../dom';
import { formatYuan, t, type Lang } from '../../i18n';
import type { MatterPageView } from '../../types';
import { empty, matterTitleLink, section } from '../common';

/** Matters this one links to or is linked from, and the warnings that name other matters (化整为零). */

export function linkList(lang: Lang, view: MatterPageView): HTMLElement {
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

export function warningsSection(lang: Lang, view: MatterPageView): HTMLElement | null {
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
