import type { MeetingBody } from '../../common/graph';
import type { MeetingRules } from '../../common/meeting';
import { postFile } from './api';
import { attachmentUrl } from './content-view';
import { h, replaceChildren } from './dom';
import { isMessageKey, label, t, type Lang } from './i18n';
import { collect, fieldsOfError, type Collected, type FormField, type FormSpec } from './logic/form-schema';
import { localizeMessage } from './logic/messages';
import { liveQuorum, ratioText, type PartialCounts, type RatioCheck } from './logic/quorum';
import { describeError } from './pages/common';

let formCount = 0;

export interface FormOptions {
  lang: Lang;
  title?: string;
  submitLabel: string;
  /** meeting forms: the rules the live check applies */
  rules?: MeetingRules;
  /** the schema the server applies, run on the collected data; messages in the schema's words */
  check?(data: Record<string, unknown>): Promise<{ field: string; message: string }[]>;
  /** an action that cannot be undone: this question is asked, and answered, before it is sent */
  confirm?: string;
  /** files (hash fields) are uploaded for this village (and matter), which decides who may read them */
  upload?: { village: string; matter?: string };
  onSubmit(collected: Collected): Promise<void>;
}

interface Uploaded {
  hash: string;
  size: number;
  type: string;
}

function sizeText(bytes: number): string {
  const kib = bytes / 1024;
  return kib < 1024 ? `${Math.max(1, Math.round(kib))} KB` : `${(kib / 1024).toFixed(1)} MB`;
}

/**
 * A file field: choose a file or take a photo; it is uploaded at once and the server's hash of it
 * goes into the (hidden) field, so the record names exactly the file the server keeps.
 */
function fileControl(
  lang: Lang,
  input: HTMLInputElement,
  error: HTMLElement,
  upload: FormOptions['upload'],
  changed: () => void,
): HTMLElement {
  const status = h('span', { class: 'upload-status', 'aria-live': 'polite' });
  const send = (file: File | undefined): void => {
    if (!file || !upload) return;
    error.textContent = '';
    status.textContent = t(lang, 'uploading');
    const query = new URLSearchParams({ village: upload.village, name: file.name });
    if (upload.matter) query.set('matter', upload.matter);
    postFile<Uploaded>(`/api/attachments?${query.toString()}`, file)
      .then((u) => {
        input.value = u.hash;
        replaceChildren(
          status,
          `${t(lang, 'uploaded')} ${file.name}（${sizeText(u.size)}） `,
          h('a', { href: attachmentUrl(u.hash), target: '_blank', rel: 'noopener' }, t(lang, 'openFile')),
        );
        changed();
      })
      .catch((err: unknown) => {
        input.value = '';
        status.textContent = '';
        const { summary, details } = describeError(lang, err);
        error.textContent = [summary, ...details.map((d) => d.message)].join(' ');
      });
  };
  const picker = (accept: string, text: string, capture: boolean) => {
    const file = h('input', {
      type: 'file',
      accept,
      class: 'visually-hidden',
      ...(capture ? { capture: 'environment' } : {}),
      onchange: (event: Event) => send((event.target as HTMLInputElement).files?.[0]),
    });
    return h('label', { class: 'button file-button' }, text, file);
  };
  return h(
    'div',
    { class: 'file-field' },
    picker('application/pdf,image/jpeg,image/png,image/webp', t(lang, 'chooseFile'), false),
    picker('image/*', t(lang, 'takePhoto'), true),
    status,
  );
}

const INPUT_TYPES: Partial<Record<FormField['kind'], string>> = {
  text: 'text',
  password: 'password',
  date: 'date',
  hash: 'hidden',
};

function control(field: FormField, id: string, errorId: string, lang: Lang): HTMLElement {
  const common = {
    id,
    name: field.name,
    'aria-describedby': errorId,
    ...(field.required ? { required: true, 'aria-required': 'true' } : {}),
  };
  switch (field.kind) {
    case 'textarea':
      return h('textarea', { ...common, rows: 3, maxlength: field.maxLength });
    case 'select':
      return h(
        'select',
        common,
        field.required && (field.options?.length ?? 0) === 1 ? null : h('option', { value: '' }, '—'),
        (field.options ?? []).map((o) => h('option', { value: o.value }, label(lang, o.label))),
      );
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', required: false });
    case 'number':
    case 'integer':
    case 'amount':
      return h('input', {
        ...common,
        type: 'text',
        inputmode: field.kind === 'integer' ? 'numeric' : 'decimal',
        autocomplete: 'off',
      });
    default:
      return h('input', {
        ...common,
        type: INPUT_TYPES[field.kind] ?? 'text',
        maxlength: field.maxLength,
        ...(field.kind === 'password' ? { autocomplete: 'current-password' } : {}),
        ...(field.name === 'userId' ? { autocomplete: 'username' } : {}),
      });
  }
}

function ratioLine(lang: Lang, name: string, check: RatioCheck, households = false): HTMLElement {
  const need = t(
    lang,
    check.rule.compare === 'gt'
      ? households
        ? 'needsMoreThanHouseholds'
        : 'needsMoreThan'
      : households
        ? 'needsAtLeastHouseholds'
        : 'needsAtLeast',
    { ratio: ratioText(check.rule), n: check.needed },
  );
  return h(
    'li',
    { class: check.met ? 'rule rule--met' : 'rule rule--unmet', 'data-rule': name },
    h('span', { class: 'rule__mark', 'aria-hidden': 'true' }, check.met ? '✓' : '✗'),
    ` ${name}: ${check.have} / ${check.of} — ${need} — `,
    h('strong', null, check.met ? t(lang, 'ruleMet') : t(lang, 'ruleNotMet')),
  );
}

/** Quorum and majority of a meeting, against the rule of its body (record view and live form). */
export function quorumList(
  lang: Lang,
  body: MeetingBody,
  counts: PartialCounts,
  rules: MeetingRules,
): HTMLElement | undefined {
  const live = liveQuorum(body, counts, rules);
  if (!live) return undefined;
  const base = live.passing.base === 'present' ? t(lang, 'ofPresent') : t(lang, 'ofMembers');
  const result =
    live.result === 'passed' ? 'resultPassed' : live.result === 'rejected' ? 'resultRejected' : 'resultInquorate';
  return h(
    'div',
    { class: `quorum quorum--${live.result}`, 'data-result': live.result },
    h(
      'ul',
      { class: 'rules' },
      ratioLine(lang, t(lang, 'attendance'), live.attendance),
      live.households ? ratioLine(lang, t(lang, 'households'), live.households, true) : null,
      ratioLine(lang, `${t(lang, 'passing')} (${base})`, live.passing),
    ),
    h('p', { class: 'quorum__result' }, h('strong', null, t(lang, result))),
  );
}

/** A form from a spec: labels for every control, each error next to the field it names. */
export function renderForm(spec: FormSpec, options: FormOptions): HTMLFormElement {
  const { lang } = options;
  const formId = `f${++formCount}`;
  const errors = new Map<string, HTMLElement>();
  const rows = new Map<string, HTMLElement>();
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  const formError = h('div', { class: 'form-error', role: 'alert', 'aria-live': 'assertive' });
  const live = h('div', { class: 'quorum-live', 'aria-live': 'polite', 'data-live-quorum': '' });

  const fieldRow = (field: FormField, caption: string, required: boolean): HTMLElement => {
    const id = `${formId}-${field.name}`;
    const errorId = `${id}-error`;
    const input = control(field, id, errorId, lang) as HTMLInputElement;
    controls.set(field.name, input);
    const error = h('p', { class: 'field-error', id: errorId, 'data-error-for': field.name });
    errors.set(field.name, error);
    const captionEl = h(
      'label',
      { for: id },
      caption,
      required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    );
    const extra = field.kind === 'hash' ? fileControl(lang, input, error, options.upload, () => update()) : null;
    const row =
      field.kind === 'checkbox'
        ? h('div', { class: 'field field--checkbox', 'data-field': field.name }, input, captionEl, error)
        : h('div', { class: 'field', 'data-field': field.name }, captionEl, input, extra, error);
    rows.set(field.name, row);
    return row;
  };

  const children: HTMLElement[] = spec.fields.map((f) => fieldRow(f, label(lang, f.label), f.required));
  if (spec.comment !== 'none') {
    const commentField: FormField = {
      name: 'comment',
      label: { zh: '', en: '' },
      kind: 'textarea',
      required: spec.comment === 'required',
      maxLength: 5000,
    };
    children.push(
      fieldRow(
        commentField,
        spec.comment === 'required' ? t(lang, 'commentRequired') : t(lang, 'comment'),
        spec.comment === 'required',
      ),
    );
  }

  const raw = (): Record<string, string | boolean | undefined> => {
    const values: Record<string, string | boolean | undefined> = {};
    for (const [name, el] of controls) {
      values[name] = el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value;
    }
    return values;
  };

  /** Villagers' household fields only for the villagers' assembly; the live quorum check. */
  const update = (): void => {
    const values = raw();
    const body = typeof values.body === 'string' ? values.body : '';
    for (const field of spec.fields) {
      if (field.onlyForBody) rows.get(field.name)?.toggleAttribute('hidden', field.onlyForBody !== body);
    }
    if (!spec.meeting || !options.rules) return;
    const collected = collect(spec, values);
    const counts: PartialCounts = {};
    for (const key of ['members', 'present', 'inFavour', 'against', 'abstain', 'households', 'householdsRepresented']) {
      const v = collected.data[key];
      if (typeof v === 'number') counts[key as keyof PartialCounts] = v;
    }
    // the workflow's own schema first: counts it would refuse never show as passing
    const seq = ++liveSeq;
    void import('./logic/schema-check').then(({ countsProblems }) => {
      if (seq !== liveSeq) return;
      showLive(
        body,
        counts,
        countsProblems(collected.data).filter((p) => collected.data[p.field] !== undefined),
      );
    });
  };
  let liveSeq = 0;
  const showLive = (body: string, counts: PartialCounts, refused: { field: string; message: string }[]): void => {
    if (!options.rules) return;
    if (refused.length > 0) {
      replaceChildren(
        live,
        h('h4', null, t(lang, 'quorumLive')),
        h(
          'ul',
          { class: 'rules quorum--refused', 'data-result': 'refused' },
          refused.map((p) =>
            h(
              'li',
              { class: 'rule rule--unmet' },
              h('span', { class: 'rule__mark', 'aria-hidden': 'true' }, '✗'),
              ` ${localizeMessage(lang, p.message)}`,
            ),
          ),
        ),
      );
      return;
    }
    const checked = body ? quorumList(lang, body as MeetingBody, counts, options.rules) : undefined;
    replaceChildren(live, checked ? [h('h4', null, t(lang, 'quorumLive')), checked] : null);
  };

  const submit = h('button', { type: 'submit', class: 'primary' }, options.submitLabel);
  let pending: Collected | undefined;
  const confirmBar = h('div', { class: 'confirm-bar', role: 'alertdialog', hidden: true });
  const form = h(
    'form',
    { class: 'generated-form', novalidate: true, 'data-action': spec.action, 'data-step': spec.step ?? '' },
    options.title ? h('h3', null, options.title) : null,
    children,
    spec.meeting ? live : null,
    formError,
    confirmBar,
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('input', update);
  form.addEventListener('change', update);

  /** A confirmation answered (or withdrawn) leaves nothing behind: no hidden button to find or press later. */
  const closeConfirm = (): void => {
    replaceChildren(confirmBar);
    confirmBar.hidden = true;
    submit.hidden = false;
  };

  const showProblems = (problems: { field?: string; message: string }[], summary?: string): void => {
    for (const [name, el] of errors) {
      el.textContent = '';
      controls.get(name)?.removeAttribute('aria-invalid');
    }
    const unplaced: string[] = [];
    let first: HTMLElement | undefined;
    for (const p of problems) {
      const name = fieldsOfError(p.field).find((n) => errors.has(n));
      const el = name ? errors.get(name) : undefined;
      if (el && name) {
        el.textContent = el.textContent ? `${el.textContent}; ${p.message}` : p.message;
        const input = controls.get(name);
        input?.setAttribute('aria-invalid', 'true');
        first ??= input;
      } else unplaced.push(p.field ? `${p.field}: ${p.message}` : p.message);
    }
    const text = [summary, ...unplaced].filter(Boolean).join(' · ');
    formError.textContent = text ? `${t(lang, 'errorPrefix')}${text}` : '';
    first?.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const collected = collect(spec, raw());
    void (async () => {
      const checked = collected.problems.length === 0 ? ((await options.check?.(collected.data)) ?? []) : [];
      const problems = [
        ...collected.problems.map((p) => ({
          field: p.field,
          message: isMessageKey(p.message) ? t(lang, p.message) : p.message,
        })),
        // what the server's schema would refuse, refused here first, in the same words
        ...checked.map((p) => ({
          field: p.field,
          message: localizeMessage(lang, p.message),
        })),
      ];
      if (problems.length > 0) {
        showProblems(problems);
        return;
      }
      showProblems([]);
      if (options.confirm && pending === undefined) {
        pending = collected;
        submit.hidden = true;
        confirmBar.hidden = false;
        replaceChildren(
          confirmBar,
          h('p', null, options.confirm),
          h(
            'button',
            { type: 'button', class: 'primary', 'data-confirm': 'yes', onclick: () => form.requestSubmit() },
            t(lang, 'confirmSend'),
          ),
          ' ',
          h(
            'button',
            {
              type: 'button',
              'data-confirm': 'no',
              onclick: () => {
                pending = undefined;
                closeConfirm();
              },
            },
            t(lang, 'confirmBack'),
          ),
        );
        confirmBar.querySelector<HTMLElement>('[data-confirm="yes"]')?.focus();
        return;
      }
      pending = undefined;
      closeConfirm();
      submit.disabled = true;
      submit.textContent = t(lang, 'sending');
      options
        .onSubmit(collected)
        .catch((err: unknown) => {
          const { summary, details } = describeError(lang, err);
          showProblems(details, summary);
        })
        .finally(() => {
          submit.disabled = false;
          submit.textContent = options.submitLabel;
        });
    })();
  });
  // a single-body meeting has its body chosen already
  queueMicrotask(update);
  return form;
}
