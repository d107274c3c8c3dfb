import { z } from 'zod';
import { MeetingBodySchema, type MeetingBody } from './graph';

/**
 * Legal quorum and majority (村民委员会组织法 Arts. 22, 26; local 四议两公开 rules) as policy
 * data: towns may set stricter rules, so nothing here is a literal in the engine.
 * A ratio is `num/den` compared with `gt` (more than) or `gte` (at least) — exact integer
 * arithmetic, no floating point at the legal boundary.
 */
export const RatioRuleSchema = z.object({
  compare: z.enum(['gt', 'gte']),
  num: z.number().int().positive(),
  den: z.number().int().positive(),
});
export type RatioRule = z.infer<typeof RatioRuleSchema>;

export const BodyRuleSchema = z.object({
  /** Attendance, as a share of the members who should attend. */
  attendance: RatioRuleSchema,
  /** Villagers' assembly: alternatively, representatives of this share of households attend. */
  householdsAttendance: RatioRuleSchema.optional(),
  /** Agreement, as a share of those present or of all members who should attend. */
  passing: RatioRuleSchema.extend({ of: z.enum(['present', 'members']) }),
});
export type BodyRule = z.infer<typeof BodyRuleSchema>;

export const MeetingRulesSchema = z.record(MeetingBodySchema, BodyRuleSchema);
export type MeetingRules = z.infer<typeof MeetingRulesSchema>;

export const MeetingCountsSchema = z
  .object({
    members: z.number().int().min(1, 'members must be at least 1'),
    present: z.number().int().min(0),
    inFavour: z.number().int().min(0),
    against: z.number().int().min(0),
    abstain: z.number().int().min(0),
    households: z.number().int().min(1).optional(),
    householdsRepresented: z.number().int().min(0).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.present > c.members)
      ctx.addIssue({ code: 'custom', path: ['present'], message: 'present cannot exceed members' });
    if (c.inFavour + c.against + c.abstain > c.present) {
      ctx.addIssue({ code: 'custom', path: ['inFavour'], message: 'votes cannot exceed those present' });
    }
    if (c.householdsRepresented !== undefined && c.households !== undefined && c.householdsRepresented > c.households) {
      ctx.addIssue({
        code: 'custom',
        path: ['householdsRepresented'],
        message: 'householdsRepresented cannot exceed households',
      });
    }
  });
export type MeetingCounts = z.infer<typeof MeetingCountsSchema>;

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
