import type { CompileContext } from './context';
import { child, children, xmlName, type El } from './moddle';

/** false when the element carries an event definition outside `allowed` (each is reported). */
export function onlyEventDefinitions(ctx: CompileContext, el: El, allowed: string[]): boolean {
  const definitions = children(el, 'eventDefinitions');
  const bad = definitions.filter((d) => !allowed.includes(d.$type));
  for (const definition of bad) {
    ctx.problems.at(el, 'unsupported-element', `${xmlName(definition.$type)} is not supported here`);
  }
  return bad.length === 0;
}

export function noLoops(ctx: CompileContext, el: El): void {
  const loop = child(el, 'loopCharacteristics');
  if (loop) ctx.problems.at(el, 'unsupported-element', `${xmlName(loop.$type)} is not supported`);
}
