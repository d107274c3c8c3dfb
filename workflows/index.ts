export { matter } from './matter';
export { ping } from './ping';
export { opinion } from './opinion';
export { monthlyNotice, monthlyNotices } from './monthly-notice';
