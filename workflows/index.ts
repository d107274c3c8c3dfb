export { matter } from './matter';
export { ping } from './ping';
