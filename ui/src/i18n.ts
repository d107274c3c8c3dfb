export type Lang = 'zh-CN' | 'en';

const messages = {
  'zh-CN': {
    title: '小微权力',
    subtitle: '村级小微权力运行与监督平台',
    intro:
      '重大事项决策、工程项目招投标、集体资产资源处置、资金支出审批——每一件事按公布的流程图办理，每一步都留痕、可查、受监督。',
    statusHeading: '系统状态',
    statusReady: '运行正常：流程服务与处理程序均已就绪。',
    statusNoWorker: '流程服务可用，但处理程序尚未连接，事项暂时无法推进。',
    statusNoTemporal: '流程服务暂时无法连接，请稍后再试。',
    statusUnknown: '无法获取系统状态，请检查网络后重试。',
    checking: '正在检查…',
    retry: '重新检查',
    switchLang: 'English',
    footer: '村务公开 · 民主监督',
  },
  en: {
    title: 'Micro-power',
    subtitle: 'Village micro-power procedures, run and supervised',
    intro:
      'Major decisions, project bidding, collective asset disposal and fund approval — each matter follows its published flowchart, and every step is recorded, visible and supervised.',
    statusHeading: 'System status',
    statusReady: 'All good: the workflow service and the worker are ready.',
    statusNoWorker: 'The workflow service answers, but no worker is connected yet; matters cannot move for now.',
    statusNoTemporal: 'The workflow service cannot be reached right now. Please try again shortly.',
    statusUnknown: 'Could not fetch the system status. Check the connection and try again.',
    checking: 'Checking…',
    retry: 'Check again',
    switchLang: '中文',
    footer: 'Open village affairs · democratic supervision',
  },
} as const;

export type MessageKey = keyof (typeof messages)['zh-CN'];

export function t(lang: Lang, key: MessageKey): string {
  return messages[lang][key];
}

/** Chinese first; English only when the reader asked for it or their browser prefers it. */
export function pickLang(saved: string | null, browserLanguages: readonly string[]): Lang {
  if (saved === 'zh-CN' || saved === 'en') return saved;
  const first = browserLanguages[0]?.toLowerCase() ?? 'zh-cn';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
