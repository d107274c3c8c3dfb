import { getJson, newKey, postJson } from '../api';
import type { PageContext } from '../context';
import { h, replaceChildren } from '../dom';
import { renderForm } from '../form-view';
import { formatTime, label, t, wordLabel, type Lang } from '../i18n';
import type { FormField } from '../logic/form-schema';
import { href } from '../logic/route';
import { errorBox, loadVillages, matterTitleLink } from './common';

/** 民意直通车: a resident writes without logging in and keeps a tracking code. */
export async function opinionPage(
  ctx: PageContext,
  main: HTMLElement,
  preset: { village?: string; matter?: string },
): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'opinionHeading'));
  let villages;
  try {
    villages = (await loadVillages()).villages;
  } catch (err) {
    replaceChildren(main, errorBox(lang, err));
    return;
  }
  const fields: FormField[] = [
    {
      name: 'village',
      label: { zh: '村', en: 'Village' },
      kind: 'select',
      required: true,
      options: villages.map((v) => ({ value: v.id, label: v.name })),
    },
    { name: 'subject', label: { zh: '主题', en: 'Subject' }, kind: 'text', required: true, maxLength: 100 },
    { name: 'text', label: { zh: '意见内容', en: 'Your opinion' }, kind: 'textarea', required: true, maxLength: 5000 },
    {
      name: 'contactName',
      label: { zh: '联系人（可不填，不公开）', en: 'Your name (optional, never public)' },
      kind: 'text',
      required: false,
      maxLength: 50,
    },
    {
      name: 'contactPhone',
      label: { zh: '联系电话（可不填，不公开）', en: 'Phone (optional, never public)' },
      kind: 'text',
      required: false,
      maxLength: 20,
    },
    {
      name: 'publishAnswer',
      label: { zh: '答复可以公开', en: 'The answer may be published' },
      kind: 'checkbox',
      required: false,
    },
  ];
  const result = h('div', { class: 'opinion-result', role: 'status', 'aria-live': 'polite' });
  const sendKey = newKey();
  const form = renderForm(
    { step: null, action: 'opinion', comment: 'none', fields },
    {
      lang,
      submitLabel: t(lang, 'sendOpinion'),
      onSubmit: async (c) => {
        const { contactName, contactPhone, ...rest } = c.data;
        const contact = {
          ...(typeof contactName === 'string' ? { name: contactName } : {}),
          ...(typeof contactPhone === 'string' ? { phone: contactPhone } : {}),
        };
        const sent = await postJson<{ trackingCode: string }>(
          '/api/opinions',
          {
            ...rest,
            ...(preset.matter ? { matterId: preset.matter } : {}),
            ...(Object.keys(contact).length > 0 ? { contact } : {}),
          },
          // one key per form: a send repeated after a lost answer finds the opinion already sent
          sendKey,
        );
        form.hidden = true;
        replaceChildren(
          result,
          h('p', null, t(lang, 'opinionSent')),
          codeWithCopy(lang, sent.trackingCode),
          h('p', null, h('a', { href: href({ page: 'track', code: sent.trackingCode }) }, t(lang, 'trackOpinion'))),
        );
      },
    },
  );
  const village = form.querySelector<HTMLSelectElement>('select[name="village"]');
  if (village && preset.village) village.value = preset.village;
  const publish = form.querySelector<HTMLInputElement>('input[name="publishAnswer"]');
  if (publish) publish.checked = true;
  replaceChildren(
    main,
    h('h1', null, t(lang, 'opinionHeading')),
    h('p', null, t(lang, 'opinionIntro')),
    preset.matter ? h('p', null, `${t(lang, 'opinionAbout')}: `, matterTitleLink(lang, preset.matter)) : null,
    h('div', { class: 'panel narrow' }, form, result),
  );
}

interface TrackedOpinion {
  opinionId: string;
  village: string;
  matterId?: string;
  subject: string;
  text: string;
  status: string;
  submittedAt: string;
  acknowledgeDueAt?: string;
  answerDueAt?: string;
  answeredAt?: string;
  answer?: string;
  escalated: boolean;
}

export async function trackPage(ctx: PageContext, main: HTMLElement, code: string | undefined): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'trackOpinion'));
  if (!code) {
    replaceChildren(
      main,
      h('h1', null, t(lang, 'trackOpinion')),
      h('div', { class: 'panel narrow' }, trackBox(ctx), h('p', { class: 'small' }, t(lang, 'trackHint'))),
    );
    main.querySelector<HTMLInputElement>('#track-code')?.focus();
    return;
  }
  const draw = async (): Promise<void> => {
    let o: TrackedOpinion;
    try {
      o = await getJson<TrackedOpinion>(`/api/opinions/track/${encodeURIComponent(code)}`);
    } catch (err) {
      replaceChildren(
        main,
        h('h1', null, t(lang, 'trackOpinion')),
        errorBox(lang, err),
        h('div', { class: 'panel narrow' }, trackBox(ctx)),
      );
      return;
    }
    const places = await loadVillages().catch(() => undefined);
    const village = label(lang, places?.villages.find((v) => v.id === o.village)?.name, o.village);
    replaceChildren(
      main,
      h('h1', null, t(lang, 'trackOpinion')),
      h(
        'dl',
        { class: 'panel narrow opinion', 'data-status': o.status },
        h('dt', null, t(lang, 'village')),
        h('dd', null, village),
        o.matterId ? [h('dt', null, t(lang, 'opinionAbout')), h('dd', null, matterTitleLink(lang, o.matterId))] : null,
        h('dt', null, t(lang, 'opinionSubject')),
        h('dd', null, o.subject),
        h('dt', null, t(lang, 'opinionText')),
        h('dd', { class: 'reason' }, o.text),
        h('dt', null, t(lang, 'opinionStatus')),
        h('dd', { id: 'opinion-status' }, wordLabel(lang, o.status), o.escalated ? ` · ${t(lang, 'escalated')}` : null),
        h('dt', null, t(lang, 'submittedAt')),
        h('dd', null, formatTime(lang, o.submittedAt)),
        o.answerDueAt && !o.answer
          ? [h('dt', null, t(lang, 'answerDue')), h('dd', null, formatTime(lang, o.answerDueAt))]
          : null,
        o.answer ? [h('dt', null, t(lang, 'answer')), h('dd', { class: 'answer' }, o.answer)] : null,
      ),
    );
  };
  await draw();
  ctx.every(10_000, draw);
}

/** 查询进度: type the tracking code, see the opinion (home page, village boards, #/track). */
export function trackBox(ctx: PageContext): HTMLElement {
  const { lang } = ctx;
  const input = h('input', {
    id: 'track-code',
    name: 'code',
    type: 'text',
    inputmode: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    placeholder: 'XXXX-XXXX-XXXX-XXXX',
    maxlength: 24,
    required: true,
  });
  const error = h('p', { class: 'field-error', 'data-error-for': 'code' });
  return h(
    'form',
    {
      class: 'track-box',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const code = input.value.trim().toUpperCase().replace(/\s+/g, '');
        if (code.replace(/-/g, '').length < 16) {
          error.textContent = t(lang, 'trackCodeShort');
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        ctx.go(href({ page: 'track', code }));
      },
    },
    h('label', { for: 'track-code' }, t(lang, 'trackHeading')),
    h(
      'div',
      { class: 'track-box__row' },
      input,
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'trackButton')),
    ),
    error,
  );
}

/** The code in groups that never break inside, and a button that copies it. */
export function codeWithCopy(lang: Lang, code: string): HTMLElement {
  const groups = code.split('-');
  const copied = h('span', { class: 'copied', role: 'status', 'aria-live': 'polite' });
  const codeEl = h(
    'code',
    { id: 'tracking-code', 'data-code': code },
    groups.map((g, i) => [i > 0 ? ['-', h('wbr')] : null, h('span', { class: 'code-group' }, g)]),
  );
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      // plain http on a village LAN has no clipboard API: select the code so the phone offers to copy it
      const range = document.createRange();
      range.selectNodeContents(codeEl);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      if (!document.execCommand('copy')) return;
    }
    copied.textContent = t(lang, 'copied');
  };
  return h(
    'p',
    { class: 'tracking-code' },
    codeEl,
    ' ',
    h('button', { type: 'button', id: 'copy-code', onclick: () => void copy() }, t(lang, 'copyCode')),
    ' ',
    copied,
  );
}

interface ListedOpinion {
  opinionId: string;
  matterId?: string;
  subject: string;
  text: string;
  status: string;
  submittedAt: string;
  answeredAt?: string;
  answer?: string;
}

/**
 * Answered opinions with their published answers, of a village or of one of its matters:
 * residents see what others asked and what the committee answered.
 */
export async function answeredOpinions(lang: Lang, village: string, matterId?: string): Promise<HTMLElement> {
  const { opinions } = await getJson<{ opinions: ListedOpinion[] }>(
    `/api/opinions?village=${encodeURIComponent(village)}`,
  );
  const shown = opinions.filter((o) => o.answer && (matterId === undefined || o.matterId === matterId));
  if (shown.length === 0) return h('p', { class: 'empty' }, t(lang, 'answeredOpinionsEmpty'));
  return h(
    'ul',
    { class: 'answered-opinions' },
    shown.map((o) =>
      h(
        'li',
        { 'data-opinion': o.opinionId },
        h('strong', null, o.subject),
        h('span', { class: 'small' }, ` · ${formatTime(lang, o.submittedAt)}`),
        h('p', { class: 'reason' }, o.text),
        h(
          'p',
          { class: 'answer' },
          h('strong', null, `${t(lang, 'answer')}${lang === 'en' ? ': ' : '：'}`),
          o.answer ?? '',
          o.answeredAt
            ? h('span', { class: 'small' }, ` · ${t(lang, 'answeredAt')} ${formatTime(lang, o.answeredAt)}`)
            : null,
        ),
        matterId === undefined && o.matterId ? h('p', { class: 'small' }, matterTitleLink(lang, o.matterId)) : null,
      ),
    ),
  );
}
