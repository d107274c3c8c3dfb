import { pickLang, t, type Lang, type MessageKey } from './i18n';
import { describeReadiness, type StatusView } from './status';

const LANG_KEY = 'xwql.lang';

let lang: Lang = pickLang(localStorage.getItem(LANG_KEY), navigator.languages);
let status: StatusView | undefined;

function render(): void {
  document.documentElement.lang = lang;
  document.title = `${t(lang, 'title')} · ${t(lang, 'subtitle')}`;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(lang, el.dataset.i18n as MessageKey);
  }
  const box = document.getElementById('status');
  if (box) {
    box.dataset.level = status?.level ?? 'pending';
    box.textContent = status ? t(lang, status.message) : t(lang, 'checking');
  }
}

async function refresh(): Promise<void> {
  status = undefined;
  render();
  try {
    const res = await fetch('/readyz', { headers: { accept: 'application/json' } });
    status = describeReadiness(await res.json());
  } catch {
    status = describeReadiness(undefined);
  }
  render();
}

document.getElementById('lang')?.addEventListener('click', () => {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem(LANG_KEY, lang);
  render();
});
document.getElementById('retry')?.addEventListener('click', () => void refresh());
void refresh();
