import { listOf, messagesForTest, pickLang, t } from '../../ui/src/i18n';
import { describeReadiness } from '../../ui/src/status';

describe('UI: readiness in plain words', () => {
  test.each([
    [undefined, 'down', 'statusUnknown'],
    [{ status: 'oops' }, 'down', 'statusUnknown'],
    [{ checks: { temporal: { ok: false }, worker: { ok: false } } }, 'down', 'statusNoTemporal'],
    [{ checks: { temporal: { ok: true }, worker: { ok: false } } }, 'warn', 'statusNoWorker'],
    [{ checks: { temporal: { ok: true }, worker: { ok: true } } }, 'ok', 'statusReady'],
  ])('given %j, then %s / %s', (body, level, message) => {
    expect(describeReadiness(body)).toEqual({ level, message });
  });
});

describe('UI: language', () => {
  test('given no choice and a Chinese or unknown browser, then Chinese first', () => {
    expect(pickLang(null, ['zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLang(null, [])).toBe('zh-CN');
  });

  test('given an English browser or a saved choice, then that language', () => {
    expect(pickLang(null, ['en-GB'])).toBe('en');
    expect(pickLang('zh-CN', ['en-US'])).toBe('zh-CN');
  });

  test('every message exists in both languages and differs between them', () => {
    for (const key of ['title', 'statusReady', 'statusNoWorker', 'statusNoTemporal'] as const) {
      expect(t('zh-CN', key)).toMatch(/\p{Script=Han}/u);
      expect(t('en', key)).not.toMatch(/\p{Script=Han}/u);
    }
  });
});

describe('UI: every message in both languages', () => {
  test('each message has the same {placeholders} in Chinese and in English', () => {
    const keys = Object.keys(messagesForTest['zh-CN']) as (keyof (typeof messagesForTest)['zh-CN'])[];
    for (const key of keys) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([key, names(t('en', key))]).toEqual([key, names(t('zh-CN', key))]);
    }
    expect(keys.length).toBeGreaterThan(100);
  });

  test('placeholders are filled, and lists are written the way each language writes them', () => {
    expect(t('zh-CN', 'dueIn', { time: '3天' })).toBe('剩余 3天');
    expect(t('en', 'chainOk', { n: 4 })).toBe('Intact: the hash chain of all 4 entries matches.');
    expect(listOf('zh-CN', ['书记', '主任'])).toBe('书记、主任');
    expect(listOf('en', ['secretary', 'director'])).toBe('secretary, director');
  });
});
