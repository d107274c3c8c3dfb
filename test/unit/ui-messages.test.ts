import { MeetingCountsSchema } from '../../common/meeting';
import { codeMessage, localizeMessage } from '../../ui/src/logic/messages';
import { schemaProblems } from '../../ui/src/logic/form-schema';
import { parseRoute, href } from '../../ui/src/logic/route';

describe('UI: what the server says, in the reader’s language', () => {
  test.each([
    ['wrong user id or password', '账号或密码错误'],
    ['votes cannot exceed those present', '同意、反对、弃权合计不能超过实到人数'],
    ['amount must be at least 0.01', '不能小于 0.01'],
    ['Too small: expected number to be >=0', '不能小于 0'],
    ['purpose must not be empty', '不能为空'],
    ['title must be at most 200 characters', '最多 200 个字'],
    ['Please sign in first / 请先登录', '请先登录'],
  ])('%s → %s', (message, zh) => {
    expect(localizeMessage('zh-CN', message)).toBe(zh);
    expect(localizeMessage('en', message)).not.toMatch(/\p{Script=Han}/u);
  });

  test('every error code of a failure without an answer has a sentence in both languages', () => {
    for (const code of ['NETWORK', 'BAD_CREDENTIALS', 'STEP_NOT_ACTIVE', 'RECUSED', 'UNSUPPORTED_MEDIA_TYPE']) {
      expect(codeMessage('zh-CN', code)).toMatch(/\p{Script=Han}/u);
      expect(codeMessage('en', code)).not.toMatch(/\p{Script=Han}/u);
    }
  });

  test('every message the meeting schema can give has a Chinese sentence', () => {
    const bad = [
      { members: 5, present: 6, inFavour: 0, against: 0, abstain: 0 },
      { members: 5, present: 3, inFavour: 3, against: 1, abstain: 0 },
      { members: 5, present: 3, inFavour: 1, against: 0, abstain: 0, households: 2, householdsRepresented: 3 },
      { members: 0, present: -1, inFavour: 0, against: 0, abstain: 0 },
    ];
    for (const counts of bad) {
      for (const issue of MeetingCountsSchema.safeParse(counts).error?.issues ?? [])
        expect([issue.message, localizeMessage('zh-CN', issue.message)]).toEqual([
          issue.message,
          expect.stringMatching(/\p{Script=Han}/u),
        ]);
    }
  });
});

describe('UI: forms refuse what the workflow refuses', () => {
  test('given more votes than present, then the meeting record is refused at inFavour, as the server does', () => {
    const def = {
      kind: 'meeting' as const,
      roles: ['secretary' as const],
      fields: [],
      bodies: ['two-committees' as const],
    };
    const problems = schemaProblems(def, 'record', { members: 7, present: 6, inFavour: 7, against: 0, abstain: 0 });
    expect(problems).toEqual([{ field: 'inFavour', message: 'votes cannot exceed those present' }]);
  });

  test('given an amount with fen below a fen, then the submission is refused at the field', () => {
    const def = {
      kind: 'submit' as const,
      roles: ['accountant' as const],
      fields: [{ name: 'amount', type: 'amount' as const, label: { zh: '金额', en: 'Amount' }, required: true }],
    };
    expect(schemaProblems(def, 'submit', { amount: 1.234 })[0]?.field).toBe('amount');
    expect(schemaProblems(def, 'submit', { amount: 1.23 })).toEqual([]);
  });
});

describe('UI: #/track', () => {
  test('without a code it is the page to type one; with a code, that opinion', () => {
    expect(parseRoute('#/track')).toEqual({ page: 'track' });
    expect(parseRoute(href({ page: 'track', code: '7K3M-Q9TX-2B8R-HV4C' }))).toEqual({
      page: 'track',
      code: '7K3M-Q9TX-2B8R-HV4C',
    });
  });
});
