/** The calendar day (YYYY-MM-DD) in China, where every village, policy date and working day is. */
export function chinaDate(at: Date | number = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}
