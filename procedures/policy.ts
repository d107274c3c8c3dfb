import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DurationSchema, LabelSchema } from '../common/graph';
import { MeetingRulesSchema } from '../common/meeting';

/**
 * Policy files: the thresholds and durations a district (and, more strictly, a town) sets, with the
 * date each set of values takes effect. Numbers live here, never in code, because towns differ and
 * rules change; a matter uses the values in force on the day it starts.
 *
 * Values are a flat map. Keys may be namespaced with dots (`majorDecision.resolutionDisclosure`):
 * the BPMN reads them as `policy:<key>` and FEEL as `policy.<key>` (feelin reads a dotted key of
 * a context as one name), and a town overrides them one key at a time.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export const PolicyDateSchema = z
  .string()
  .regex(DATE, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'must be a real calendar date');

export const PolicyKeySchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/, 'policy keys are names joined by dots');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Values whose shape the engine relies on are checked here, so a bad file fails when loaded, not mid-matter. */
function checkValueShapes(values: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(values)) {
    const schema =
      key === 'meetingRules'
        ? MeetingRulesSchema
        : isPlainObject(value) && 'amount' in value && 'unit' in value
          ? DurationSchema.strict()
          : undefined;
    const parsed = schema?.safeParse(value);
    for (const issue of parsed?.error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: [key, ...issue.path.map(String)], message: issue.message });
    }
  }
  // In FEEL, `policy.a.b` is key `a.b` only while no key `a` exists; otherwise it reads `.b` of `a`.
  for (const key of Object.keys(values)) {
    const parts = key.split('.');
    for (let i = 1; i < parts.length; i += 1) {
      const prefix = parts.slice(0, i).join('.');
      if (prefix in values) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `clashes with key ${prefix}: one key may not prefix another`,
        });
      }
    }
  }
}

export const PolicyValuesSchema = z.record(PolicyKeySchema, z.unknown()).superRefine(checkValueShapes);
export type PolicyValues = z.infer<typeof PolicyValuesSchema>;

export const PolicyVersionSchema = z
  .object({
    effectiveFrom: PolicyDateSchema,
    values: PolicyValuesSchema,
    /** Why a value is what it is when no rule fixes it: shown to whoever reviews the policy. */
    assumptions: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type PolicyVersion = z.infer<typeof PolicyVersionSchema>;

const VersionsSchema = z
  .array(PolicyVersionSchema)
  .min(1, 'needs at least one version')
  .superRefine((versions, ctx) => {
    const seen = new Set<string>();
    versions.forEach((version, index) => {
      if (seen.has(version.effectiveFrom)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'effectiveFrom'],
          message: `two versions take effect on ${version.effectiveFrom}`,
        });
      }
      seen.add(version.effectiveFrom);
    });
  });

export const PolicyFileSchema = z
  .object({
    district: z.string().min(1),
    name: LabelSchema,
    versions: VersionsSchema,
    /** Town rules overlay the district's, key by key; a town without an entry follows the district. */
    towns: z.record(z.string().min(1), z.object({ versions: VersionsSchema }).strict()).optional(),
  })
  .strict();
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

export interface PolicyIssue {
  /** dotted path into the file, e.g. `versions.0.values.meetingRules.villagers.attendance.num` */
  path: string;
  message: string;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    message: string,
    readonly file?: string,
    readonly issues: PolicyIssue[] = [],
  ) {
    super(message);
  }
}

export function parsePolicy(file: string, text: string): PolicyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const issue = { path: '(document)', message: `malformed JSON: ${reason}` };
    throw new PolicyError(`${file}: ${issue.path}: ${issue.message}`, file, [issue]);
  }
  const parsed = PolicyFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(document)',
    message: issue.message,
  }));
  throw new PolicyError(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'), file, issues);
}

export function loadPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError(`${path}: cannot read policy file: ${reason}`, path);
  }
  return parsePolicy(path, text);
}

/** The version in force on `date`: the latest that took effect on or before it (ISO dates sort as text). */
function inForce(versions: PolicyVersion[], date: string): PolicyVersion | undefined {
  let found: PolicyVersion | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= date && (!found || version.effectiveFrom > found.effectiveFrom)) found = version;
  }
  return found;
}

export function policyValuesAt(policy: PolicyFile, date: string, town?: string): PolicyValues {
  if (!PolicyDateSchema.safeParse(date).success) {
    throw new PolicyError(`policy date ${JSON.stringify(date)} must be a real date YYYY-MM-DD`);
  }
  const district = inForce(policy.versions, date);
  if (!district) {
    throw new PolicyError(`no policy of district ${policy.district} is in force on ${date}`);
  }
  const townVersions = town === undefined ? undefined : policy.towns?.[town]?.versions;
  const local = townVersions ? inForce(townVersions, date) : undefined;
  const merged = { ...district.values, ...(local?.values ?? {}) };
  // The overlay can clash (district `a.b`, town `a`) although each part alone was valid.
  const checked = PolicyValuesSchema.safeParse(merged);
  if (!checked.success) {
    const detail = checked.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
    throw new PolicyError(`policy of district ${policy.district}, town ${town ?? '-'} on ${date}: ${detail}`);
  }
  return checked.data;
}
