import { DurationSchema, type Duration } from '../../common/graph';
import type { CompileContext } from './context';
import { child, children, text, type El } from './moddle';
import { onlyEventDefinitions } from './events';

const LITERAL_DURATION = /^(\d+(?:\.\d+)?)\s+(seconds|minutes|hours|days|workingDays)$/;
/** ISO 8601 durations of weeks, days, hours, minutes, seconds (years and months have no fixed length). */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
/** No time limit of a village procedure runs over a year: a longer one is a drawing mistake (or `1e15 days`). */
const CAP_DAYS = 366;
const CAP_WORKING_DAYS = 250;

function fromIso(value: string): Duration | undefined {
  const match = ISO_DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((n) => Number(n ?? 0));
  const total = ((((weeks ?? 0) * 7 + (days ?? 0)) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0);
  if (!(total > 0)) return undefined;
  const unit =
    total % SECONDS.days === 0
      ? 'days'
      : total % SECONDS.hours === 0
        ? 'hours'
        : total % 60 === 0
          ? 'minutes'
          : 'seconds';
  return { amount: total / SECONDS[unit], unit };
}

function tooLong(d: Duration): boolean {
  return d.unit === 'workingDays' ? d.amount > CAP_WORKING_DAYS : d.amount * SECONDS[d.unit] > CAP_DAYS * SECONDS.days;
}

function capped(ctx: CompileContext, el: El, attribute: string, d: Duration): Duration | undefined {
  if (!tooLong(d)) return d;
  const message = `${attribute} is ${d.amount} ${d.unit}, longer than a year (${CAP_DAYS} days, ${CAP_WORKING_DAYS} workingDays): shorten it`;
  ctx.problems.at(el, 'duration-too-long', message);
  return undefined;
}

/** `mp:window`, `mp:deadline`, `timeDuration`: `policy:<key>`, a literal `<n> <unit>`, or ISO 8601; at most a year. */
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
    return capped(ctx, el, `${attribute} (policy ${key})`, parsed.data);
  }
  const iso = fromIso(value);
  if (iso) return capped(ctx, el, attribute, iso);
  const literal = LITERAL_DURATION.exec(value);
  const parsed = literal ? DurationSchema.safeParse({ amount: Number(literal[1]), unit: literal[2] }) : undefined;
  if (!parsed?.success) {
    ctx.problems.at(
      el,
      'bad-duration',
      `${attribute} "${raw}" is not a duration: write "<n> <unit>" (seconds, minutes, hours, days, workingDays), ISO 8601 such as P3D or PT2H, or "policy:<key>"`,
    );
    return undefined;
  }
  return capped(ctx, el, attribute, parsed.data);
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
