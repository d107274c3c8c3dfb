import { z } from 'zod';
import { MeetingBodySchema, type MeetingBody } from './graph';
import type { BodyRule, MeetingCounts, MeetingRules, RatioRule } from './meeting-judge';

export { judgeMeeting, meets } from './meeting-judge';
export type { BodyRule, MeetingCounts, MeetingResult, MeetingRules, RatioRule } from './meeting-judge';

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

export const BodyRuleSchema = z.object({
  /** Attendance, as a share of the members who should attend. */
  attendance: RatioRuleSchema,
  /** Villagers' assembly: alternatively, representatives of this share of households attend. */
  householdsAttendance: RatioRuleSchema.optional(),
  /** Agreement, as a share of those present or of all members who should attend. */
  passing: RatioRuleSchema.extend({ of: z.enum(['present', 'members']) }),
});

export const MeetingRulesSchema = z.record(MeetingBodySchema, BodyRuleSchema);

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

/**
 * How many members each body of a village has (村民委员会组织法 Arts. 22, 26; 四议两公开): kept in the
 * village's register in the directory with the day it holds from. Meetings are judged against it,
 * never against the number a recorder types.
 */
export const BodySizesSchema = z.object({
  adultVillagers: z.number().int().min(1),
  households: z.number().int().min(1),
  representatives: z.number().int().min(1),
  partyMembers: z.number().int().min(1),
  twoCommittees: z.number().int().min(1),
});
export type BodySizes = z.infer<typeof BodySizesSchema>;

/** A register entry as the API hands it to the workflow: the sizes and the day they hold from. */
export const RegisterSchema = BodySizesSchema.extend({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export type Register = z.infer<typeof RegisterSchema>;

/** The members who should attend a meeting of `body` (and, for the villagers' assembly, the households). */
export function registeredSize(sizes: BodySizes, body: MeetingBody): { members: number; households?: number } {
  switch (body) {
    case 'villagers':
      return { members: sizes.adultVillagers, households: sizes.households };
    case 'representatives':
      return { members: sizes.representatives };
    case 'party-members':
      return { members: sizes.partyMembers };
    case 'two-committees':
      return { members: sizes.twoCommittees };
  }
}

/** A real calendar day (2026-13-45 is not). */
export function isCalendarDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

// The schemas parse exactly the shapes the zod-free judge works on (a mismatch fails the build).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<z.infer<typeof RatioRuleSchema>, RatioRule>,
  Same<z.infer<typeof BodyRuleSchema>, BodyRule>,
  Same<z.infer<typeof MeetingRulesSchema>, MeetingRules>,
  Same<z.infer<typeof MeetingCountsSchema>, MeetingCounts>,
] = [true, true, true, true];
void sameShapes;
