/** One formatter for every call: building an Intl.DateTimeFormat costs far more than formatting with one. */
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** The calendar day (YYYY-MM-DD) in China, where every village, policy date and working day is. */
export function chinaDate(at: Date | number = new Date()): string {
  return CHINA_DAY.format(at);
}
