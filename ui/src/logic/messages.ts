import type { Label } from '../../../common/graph';

/**
 * What the server says, in the reader's language. The API answers with a stable code (common/errors.ts)
 * and messages that come from the same zod schemas the browser checks with (common/fields.ts,
 * common/meeting.ts): codes have a sentence each, and the schemas' messages are matched by pattern.
 */

type Lang = 'zh-CN' | 'en';

/** Codes of the API, plus NETWORK for a request that never got an answer. */
const CODE_MESSAGES: Record<string, Label> = {
  NETWORK: {
    zh: '连不上服务器：请检查网络，再点“重试”。',
    en: 'Cannot reach the server: check the connection, then press Retry.',
  },
  MALFORMED_JSON: {
    zh: '发送的内容无法识别，请刷新页面后重试。',
    en: 'The request could not be read; reload and retry.',
  },
  INVALID_REQUEST: {
    zh: '填写的内容有误，请按提示修改。',
    en: 'Some of what you entered is not right; see the notes.',
  },
  NOT_FOUND: { zh: '没有找到。', en: 'Not found.' },
  PAYLOAD_TOO_LARGE: { zh: '内容或文件太大。', en: 'The text or file is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    zh: '不接受这种文件：请上传 PDF 或照片（JPEG、PNG、WebP）。',
    en: 'This kind of file is not accepted: upload a PDF or a photo (JPEG, PNG, WebP).',
  },
  CONFLICT: { zh: '与已有的内容冲突，请刷新后再试。', en: 'This conflicts with what is there; reload and retry.' },
  TEMPORAL_UNAVAILABLE: {
    zh: '流程服务暂时不可用，请稍后重试。',
    en: 'The workflow service is unavailable for now; retry shortly.',
  },
  INTERNAL: { zh: '服务器出错了，请稍后重试。', en: 'The server failed; retry shortly.' },
  UNKNOWN_PROCEDURE: { zh: '没有这个流程。', en: 'There is no such procedure.' },
  PROCEDURE_UNAVAILABLE: {
    zh: '这个流程今天不能发起（流程文件或政策未生效）。',
    en: 'This procedure cannot be started today (its file or policy is not in force).',
  },
  STEP_NOT_ACTIVE: {
    zh: '这一步已经不在办理中，可能已有人办理过了。',
    en: 'This step is no longer open; someone may have acted already.',
  },
  ACTION_NOT_ALLOWED: { zh: '这一步不能这样办理。', en: 'This action is not allowed at this step.' },
  ROLE_NOT_ALLOWED: { zh: '您的身份不能办理这一步。', en: 'Your role may not act at this step.' },
  RECUSED: {
    zh: '您须回避：不能审核、审批或见证与自己有关的事项。',
    en: 'You must stand aside: you may not review, approve or witness a matter that concerns you.',
  },
  INVALID_DATA: { zh: '填写的内容不符合这一步的要求。', en: 'What you entered does not meet the rules of this step.' },
  REASON_REQUIRED: { zh: '请写明理由。', en: 'Give a reason.' },
  MATTER_SUSPENDED: {
    zh: '事项因异议暂停：异议处理完之前不能办理。',
    en: 'The matter is suspended by an objection until it is settled.',
  },
  MATTER_ENDED: { zh: '事项已经结束。', en: 'The matter has ended.' },
  NO_SUCH_OBJECTION: { zh: '没有这条异议。', en: 'There is no such objection.' },
  LINK_REQUIRED: {
    zh: '金额超过限额：须关联本村一件已办结的重大事项决策。',
    en: 'Above the limit: link a completed major decision of the village.',
  },
  LINK_INVALID: { zh: '关联的事项不符合要求。', en: 'The linked matter does not qualify.' },
  UNAUTHENTICATED: { zh: '请先登录。', en: 'Please sign in.' },
  BAD_CREDENTIALS: { zh: '账号或密码错误。', en: 'Wrong user id or password.' },
  OUT_OF_SCOPE: { zh: '您在这个村没有职务，不能办理。', en: 'You hold no role in this village.' },
  ROLE_NOT_HELD: { zh: '您没有这个身份。', en: 'You do not hold this role.' },
  RATE_LIMITED: { zh: '尝试次数太多，请过一会儿再试。', en: 'Too many attempts; wait a while and retry.' },
  NOT_CONFIGURED: { zh: '本系统没有配置这项功能。', en: 'This part of the service is not configured here.' },
};

export function codeMessage(lang: Lang, code: string): string | undefined {
  const pair = CODE_MESSAGES[code];
  return pair ? (lang === 'en' ? pair.en : pair.zh) : undefined;
}

type Rule = [RegExp, (m: RegExpMatchArray) => Label];

/** The schemas' messages (ours, and zod's defaults) as sentences in both languages. */
const RULES: Rule[] = [
  [/wrong user id or password/i, () => ({ zh: '账号或密码错误', en: 'wrong user id or password' })],
  [
    /votes cannot exceed those present/i,
    () => ({
      zh: '同意、反对、弃权合计不能超过实到人数',
      en: 'for + against + abstaining cannot exceed those present',
    }),
  ],
  [/present cannot exceed members/i, () => ({ zh: '实到人数不能超过应到人数', en: 'present cannot exceed members' })],
  [
    /householdsRepresented cannot exceed households/i,
    () => ({ zh: '到会户代表数不能超过全村户数', en: 'households represented cannot exceed households' }),
  ],
  [
    /must not be empty|^Required$|expected string, received undefined/i,
    () => ({ zh: '不能为空', en: 'must not be empty' }),
  ],
  [/must be a whole number|expected int/i, () => ({ zh: '请输入整数', en: 'enter a whole number' })],
  [/must be a number|expected number, received/i, () => ({ zh: '请输入数字', en: 'enter a number' })],
  [/at most 2 decimals/i, () => ({ zh: '金额最多两位小数（到分）', en: 'at most 2 decimals (fen)' })],
  [/must be at most (\d+) characters/i, (m) => ({ zh: `最多 ${m[1]} 个字`, en: `at most ${m[1]} characters` })],
  [/(?:must be at least|>=)\s*(-?[\d.]+)/i, (m) => ({ zh: `不能小于 ${m[1]}`, en: `at least ${m[1]}` })],
  [/(?:must be at most|<=)\s*(-?[\d.]+)/i, (m) => ({ zh: `不能大于 ${m[1]}`, en: `at most ${m[1]}` })],
  [/must be (?:a real )?date/i, () => ({ zh: '请填写正确的日期', en: 'enter a real date' })],
  [/must be one of/i, () => ({ zh: '请从列表中选择', en: 'choose one from the list' })],
  [/sha256|digest|fingerprint/i, () => ({ zh: '请上传文件', en: 'upload the file' })],
  [
    /unknown attachment|no such attachment/i,
    () => ({ zh: '文件没有上传成功，请重新上传', en: 'upload the file again' }),
  ],
];

const HAN = /\p{Script=Han}/u;

/**
 * One server or schema message in the reader's language. A bilingual message ("English / 中文")
 * gives its own half; a known pattern gives its sentence; anything else is shown as it came.
 */
export function localizeMessage(lang: Lang, message: string): string {
  const halves = message.split(' / ');
  if (halves.length === 2 && HAN.test(halves[1] ?? '') && !HAN.test(halves[0] ?? ''))
    return (lang === 'en' ? halves[0] : halves[1]) ?? message;
  for (const [pattern, say] of RULES) {
    const m = message.match(pattern);
    if (m) {
      const pair = say(m);
      return lang === 'en' ? pair.en : pair.zh;
    }
  }
  return message;
}
