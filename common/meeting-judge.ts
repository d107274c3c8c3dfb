import type { MeetingBody } from './graph';

/**
 * The arithmetic of legal quorum and majority (村民委员会组织法 Arts. 22, 26; local 四议两公开
 * rules), free of zod so the browser bundle can carry the very same code the workflow runs.
 * The schemas that parse these shapes live in common/meeting.ts.
 */

/** `num/den` compared with `gt` (more than) or `gte` (at least): exact integers, no floating point. */
export interface RatioRule {
  compare: 'gt' | 'gte';
  num: number;
  den: number;
}

export interface BodyRule {
  /** Attendance, as a share of the members who should attend. */
  attendance: RatioRule;
  /** Villagers' assembly: alternatively, representatives of this share of households attend. */
  householdsAttendance?: RatioRule | undefined;
  /** Agreement, as a share of those present or of all members who should attend. */
  passing: RatioRule & { of: 'present' | 'members' };
}

export type MeetingRules = Record<MeetingBody, BodyRule>;

export interface MeetingCounts {
  members: number;
  present: number;
  inFavour: number;
  against: number;
  abstain: number;
  households?: number | undefined;
  householdsRepresented?: number | undefined;
}

export function meets(rule: RatioRule, part: number, whole: number): boolean {
  // part/whole ⋛ num/den  ⇔  part·den ⋛ num·whole (integers, exact)
  const left = part * rule.den;
  const right = rule.num * whole;
  return rule.compare === 'gt' ? left > right : left >= right;
}

export type MeetingResult = 'passed' | 'rejected' | 'inquorate';

export function judgeMeeting(body: MeetingBody, counts: MeetingCounts, rules: MeetingRules): MeetingResult {
  const rule = rules[body];
  if (!rule) throw new Error(`no meeting rule for body ${body}`);
  const byMembers = meets(rule.attendance, counts.present, counts.members);
  const byHouseholds =
    rule.householdsAttendance !== undefined &&
    counts.households !== undefined &&
    counts.householdsRepresented !== undefined &&
    meets(rule.householdsAttendance, counts.householdsRepresented, counts.households);
  if (!byMembers && !byHouseholds) return 'inquorate';
  const whole = rule.passing.of === 'present' ? counts.present : counts.members;
  return meets(rule.passing, counts.inFavour, whole) ? 'passed' : 'rejected';
}
