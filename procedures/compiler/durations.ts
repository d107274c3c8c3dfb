import { DurationSchema, type Duration } from '../../common/graph';
import type { CompileContext } from './context';
import { child, children, text, type El } from './moddle';
import { onlyEventDefinitions } from './events';

const LITERAL_DURATION = /^(\d+(?:\.\d+)?)\s+(seconds|minutes|hours|days|workingDays)$/;

/** `mp:window`, `mp:deadline`, `timeDuration`: `policy:<key>` or a literal `<n> <unit>`. */
export function duration(ctx: CompileContext, el: El, attribute: string, raw: string): Duration | undefined {
  const value = raw.trim();
  if (value.startsWith('policy:')) {
    const key = value.slice('policy:'.length).trim();
    if (!Object.hasOwn(ctx.policyValues, key)) {
      ctx.problems.at(
        el,
        'unknown-policy-key',
        `${attribute} reads policy key ${key}, which the policy does not define`,
      );
      return undefined;
    }
    ctx.usedPolicy.add(key);
    const parsed = DurationSchema.strict().safeParse(ctx.policyValues[key]);
    if (!parsed.success) {
      ctx.problems.at(el, 'bad-duration', `${attribute}: policy value ${key} is not a duration {amount, unit}`);
      return undefined;
    }
    return parsed.data;
  }
  const literal = LITERAL_DURATION.exec(value);
  const parsed = literal ? DurationSchema.safeParse({ amount: Number(literal[1]), unit: literal[2] }) : undefined;
  if (!parsed?.success) {
    ctx.problems.at(
      el,
      'bad-duration',
      `${attribute} "${raw}" is not a duration: write "<n> <unit>" (seconds, minutes, hours, days, workingDays) or "policy:<key>"`,
    );
    return undefined;
  }
  return parsed.data;
}

/** The duration of a timer event: exactly a `timeDuration`. */
export function timer(ctx: CompileContext, el: El): Duration | undefined {
  if (!onlyEventDefinitions(ctx, el, ['bpmn:TimerEventDefinition'])) return undefined;
  const definition = children(el, 'eventDefinitions')[0];
  if (!definition) {
    ctx.problems.at(el, 'unsupported-element', 'only timer events are supported: add a timerEventDefinition');
    return undefined;
  }
  const timeDuration = child(definition, 'timeDuration');
  const body = timeDuration ? text(timeDuration, 'body') : undefined;
  if (!body || child(definition, 'timeDate') || child(definition, 'timeCycle')) {
    ctx.problems.at(
      el,
      'unsupported-timer',
      'a timer needs exactly a timeDuration (timeDate and timeCycle are not supported)',
    );
    return undefined;
  }
  return duration(ctx, el, 'timeDuration', body);
}
