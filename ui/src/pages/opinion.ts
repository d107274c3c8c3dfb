import { getJson, newKey, postJson } from '../api';
import type { PageContext } from '../context';
import { h, replaceChildren } from '../dom';
import { renderForm } from '../form-view';
import { formatTime, label, t, wordLabel } from '../i18n';
import type { FormField } from '../logic/form-schema';
import { href } from '../logic/route';
import { errorBox, loadVillages } from './common';

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
          h('p', { class: 'tracking-code' }, h('code', { id: 'tracking-code' }, sent.trackingCode)),
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
    preset.matter
      ? h(
          'p',
          null,
          `${t(lang, 'opinionAbout')}: `,
          h('a', { href: href({ page: 'matter', id: preset.matter }) }, preset.matter),
        )
      : null,
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

export async function trackPage(ctx: PageContext, main: HTMLElement, code: string): Promise<void> {
  const { lang } = ctx;
  ctx.setTitle(t(lang, 'trackOpinion'));
  const draw = async (): Promise<void> => {
    let o: TrackedOpinion;
    try {
      o = await getJson<TrackedOpinion>(`/api/opinions/track/${encodeURIComponent(code)}`);
    } catch (err) {
      replaceChildren(main, h('h1', null, t(lang, 'trackOpinion')), errorBox(lang, err));
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
        o.matterId
          ? [
              h('dt', null, t(lang, 'opinionAbout')),
              h('dd', null, h('a', { href: href({ page: 'matter', id: o.matterId }) }, o.matterId)),
            ]
          : null,
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
