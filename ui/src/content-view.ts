import { h } from './dom';
import { bodyLabel, formatTime, formatYuan, label, roleLabel, t, type Lang } from './i18n';
import type { ContentItem, StepContent } from './logic/content';
import { valueLabel } from './logic/form-schema';

/** Where a file a step names by its hash is served (api/routes/attachments). */
export function attachmentUrl(hash: string): string {
  return `/api/attachments/${encodeURIComponent(hash)}`;
}

const REDACTED = /已隐去|redacted/;

/**
 * Which files this reader may open: all of them (members), or for the public only those a notice
 * disclosed (common/disclosed-files.ts); the others are named, not linked, so no link leads to a refusal.
 */
export type FileAccess = (hash: string) => boolean;

/** A value as a reader should see it: money as money, choices in words, files as links. */
export function formatValue(
  lang: Lang,
  item: Pick<ContentItem, 'type' | 'value'>,
  files: FileAccess = () => true,
): Node | string {
  const { type, value } = item;
  if (typeof value === 'string' && REDACTED.test(value)) return h('span', { class: 'redacted' }, value);
  switch (type) {
    case 'amount':
      return typeof value === 'number' ? formatYuan(lang, value) : String(value);
    case 'boolean':
      return value === true ? t(lang, 'yes') : t(lang, 'no');
    case 'enum':
      return typeof value === 'string' ? label(lang, valueLabel(value)) : String(value);
    case 'meeting-body':
      return typeof value === 'string' ? bodyLabel(lang, value) : String(value);
    case 'hash':
      if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) && !files(value))
        return h('span', { class: 'file-private', 'data-private-attachment': value }, t(lang, 'fileVillageOnly'));
      return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)
        ? h(
            'a',
            { href: attachmentUrl(value), target: '_blank', rel: 'noopener', 'data-attachment': value },
            t(lang, 'openFile'),
          )
        : String(value);
    case 'text':
      return h('span', { class: 'long-text' }, String(value));
    default:
      return typeof value === 'number' || typeof value === 'string' ? String(value) : JSON.stringify(value);
  }
}

/** "李书记（村党组织书记）", "Li (Party secretary)" */
export function byline(lang: Lang, name: string, role: string): string {
  if (role === 'system') return roleLabel(lang, 'system');
  return lang === 'en' ? `${name} (${roleLabel(lang, role)})` : `${name}（${roleLabel(lang, role)}）`;
}

/** One step's content as a definition list. */
export function contentList(lang: Lang, content: StepContent, files?: FileAccess): HTMLElement {
  return h(
    'dl',
    { class: 'content-fields' },
    content.items.map((item) => [
      h('dt', null, label(lang, item.label)),
      h('dd', { 'data-field': item.name }, formatValue(lang, item, files)),
    ]),
  );
}

/** Each step's content, with who filled it in and when. */
export function contentSection(lang: Lang, contents: StepContent[], files?: FileAccess): HTMLElement {
  if (contents.length === 0) return h('p', { class: 'empty' }, t(lang, 'contentEmpty'));
  return h(
    'div',
    { class: 'contents' },
    contents.map((c) =>
      h(
        'article',
        { class: 'step-content', 'data-step': c.step },
        h('h3', null, label(lang, c.name)),
        h('p', { class: 'small' }, `${byline(lang, c.by, c.role)} · ${formatTime(lang, c.at)}`),
        contentList(lang, c, files),
      ),
    ),
  );
}
