import { MEETING_BODIES_LIST } from './bodies';
import type { MeetingBody } from '../../../common/graph';
import {
  judgeMeeting,
  meets,
  type BodyRule,
  type MeetingCounts,
  type MeetingResult,
  type MeetingRules,
  type RatioRule,
} from '../../../common/meeting-judge';

/**
 * The meeting form's live check: the very rules the workflow applies (common/meeting.ts), with
 * the numbers a recorder needs to see ("at least 5 of 7").
 */

export interface RatioCheck {
  rule: RatioRule;
  have: number;
  of: number;
  /** the smallest count that meets the rule for this whole */
  needed: number;
  met: boolean;
}

export interface LiveQuorum {
  attendance: RatioCheck;
  households?: RatioCheck;
  quorate: boolean;
  passing: RatioCheck & { of: number; base: 'present' | 'members' };
  result: MeetingResult;
}

/** Smallest whole `part` with part/whole meeting the rule (exact integer arithmetic, as `meets`). */
export function minimumFor(rule: RatioRule, whole: number): number {
  const scaled = rule.num * whole;
  return rule.compare === 'gt' ? Math.floor(scaled / rule.den) + 1 : Math.ceil(scaled / rule.den);
}

function check(rule: RatioRule, have: number, of: number): RatioCheck {
  return { rule, have, of, needed: minimumFor(rule, of), met: meets(rule, have, of) };
}

function isRatio(value: unknown): value is RatioRule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    (r.compare === 'gt' || r.compare === 'gte') &&
    Number.isInteger(r.num) &&
    Number.isInteger(r.den) &&
    (r.den as number) > 0
  );
}

function isBodyRule(value: unknown): value is BodyRule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const passing = r.passing as Record<string, unknown> | undefined;
  return (
    isRatio(r.attendance) &&
    (r.householdsAttendance === undefined || isRatio(r.householdsAttendance)) &&
    isRatio(passing) &&
    (passing.of === 'present' || passing.of === 'members')
  );
}

/**
 * Meeting rules out of a procedure graph's policy values (the server compiled and validated them
 * with MeetingRulesSchema; the browser only checks the shape, so zod stays out of the bundle).
 */
export function rulesOf(policy: Record<string, unknown> | undefined): MeetingRules | undefined {
  const rules = policy?.meetingRules;
  if (typeof rules !== 'object' || rules === null) return undefined;
  const found = rules as Record<string, unknown>;
  return MEETING_BODIES_LIST.every((body) => isBodyRule(found[body])) ? (rules as MeetingRules) : undefined;
}

export type PartialCounts = Partial<Record<keyof MeetingCounts, number>>;

/** undefined while the counts are too incomplete to judge (no members, no one present). */
export function liveQuorum(body: MeetingBody, counts: PartialCounts, rules: MeetingRules): LiveQuorum | undefined {
  const rule = rules[body];
  const { members, present } = counts;
  if (!rule || members === undefined || members < 1 || present === undefined) return undefined;
  const inFavour = counts.inFavour ?? 0;
  const attendance = check(rule.attendance, present, members);
  const households =
    rule.householdsAttendance && counts.households !== undefined && counts.households >= 1
      ? check(rule.householdsAttendance, counts.householdsRepresented ?? 0, counts.households)
      : undefined;
  const whole = rule.passing.of === 'present' ? present : members;
  const passing = { ...check(rule.passing, inFavour, whole), base: rule.passing.of };
  const judged: MeetingCounts = {
    members,
    present,
    inFavour,
    against: counts.against ?? 0,
    abstain: counts.abstain ?? 0,
    ...(households ? { households: households.of, householdsRepresented: households.have } : {}),
  };
  return {
    attendance,
    ...(households ? { households } : {}),
    quorate: attendance.met || (households?.met ?? false),
    passing,
    result: judgeMeeting(body, judged, rules),
  };
}

/** "1/2", "2/3": how the law writes the share. */
export function ratioText(rule: RatioRule): string {
  return `${rule.num}/${rule.den}`;
}
