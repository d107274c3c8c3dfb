import { getJson } from '../../api';
import { byline, formatValue, type FileAccess } from '../../content-view';
import { h } from '../../dom';
import { quorumList } from '../../form-view';
import { actionLabel, bodyLabel, formatTime, t, wordLabel, type Lang } from '../../i18n';
import type { rulesOf } from '../../logic/quorum';
import type { MatterPageView, ProcedureGraph } from '../../types';
import { describeError, empty, stepName } from '../common';

/** What the matter's record says: who did what when, the meetings held, and the chain that keeps it. */

/** The record is hash-chained: anyone may download it, or have the server recompute the chain. */
export function recordTools(lang: Lang, id: string): HTMLElement {
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

export function timeline(lang: Lang, view: MatterPageView, graph: ProcedureGraph | undefined): HTMLElement {
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

export function meetingList(
  lang: Lang,
  view: MatterPageView,
  graph: ProcedureGraph | undefined,
  rules: ReturnType<typeof rulesOf>,
  names: Map<string, string>,
  files?: FileAccess,
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
          formatValue(lang, { type: 'hash', value: m.minutesHash }, files),
        ),
      );
    }),
  );
}
