import { z } from 'zod';

/**
 * ProcedureGraph: what the compiler (procedures/compiler.ts) makes of one BPMN file plus the
 * policy values it uses. Plain JSON, so it can be the input of a workflow and so be pinned in
 * that workflow's history for as long as the matter runs.
 */

/** Every role, by where it is held: in a village, in a town, or across the district (common/directory.ts). */
export const ROLE_SCOPES = {
  village: ['secretary', 'director', 'committee', 'accountant', 'supervisor', 'supervisor-chair'],
  town: ['town-official'],
  district: ['district-auditor', 'district-admin'],
} as const;
export const ROLES = [...ROLE_SCOPES.village, ...ROLE_SCOPES.town, ...ROLE_SCOPES.district] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const MEETING_BODIES = ['villagers', 'representatives', 'party-members', 'two-committees'] as const;
export const MeetingBodySchema = z.enum(MEETING_BODIES);
export type MeetingBody = z.infer<typeof MeetingBodySchema>;

export const STEP_KINDS = ['submit', 'review', 'meeting', 'disclosure', 'record', 'approval'] as const;
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

export const LabelSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Label = z.infer<typeof LabelSchema>;

/** A concrete duration, after policy references are resolved. `workingDays` uses the official calendar. */
export const DurationSchema = z.object({
  amount: z.number().positive(),
  unit: z.enum(['seconds', 'minutes', 'hours', 'days', 'workingDays']),
});
export type Duration = z.infer<typeof DurationSchema>;

export const FIELD_TYPES = [
  'string',
  'text',
  'amount',
  'integer',
  'number',
  'date',
  'boolean',
  'enum',
  'hash',
] as const;

/** Who a field names: the payee, bidder or counterparty of a matter may not review, approve or witness it. */
export const PARTY_KINDS = ['payee', 'bidder', 'counterparty'] as const;
export const PartyKindSchema = z.enum(PARTY_KINDS);
export type PartyKind = z.infer<typeof PartyKindSchema>;

/**
 * A field holding personal data, hidden from the public: always, or only when another field of the
 * same step has a value (a payee's name only when `payeeKind` is `individual`).
 */
export const PersonalSchema = z.union([z.literal(true), z.object({ field: z.string().min(1), equals: z.string() })]);
export type Personal = z.infer<typeof PersonalSchema>;

export const FieldSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  type: z.enum(FIELD_TYPES),
  label: LabelSchema,
  required: z.boolean(),
  /** enum only */
  values: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
  /** the value names a party of the matter (recusal) */
  party: PartyKindSchema.optional(),
  /** the value is personal data: redacted in the public view */
  personal: PersonalSchema.optional(),
});
export type Field = z.infer<typeof FieldSchema>;

export const StepSchema = z.object({
  kind: StepKindSchema,
  /** Who may act: for a meeting, who records it (a supervisor witnesses). */
  roles: z.array(RoleSchema).min(1),
  fields: z.array(FieldSchema),
  /** meeting: the bodies that may hold it; more than one → chosen in the record. */
  bodies: z.array(MeetingBodySchema).optional(),
  /** disclosure: how long the notice stays up before the step can complete. */
  window: DurationSchema.optional(),
  /** Time limit for the step, shown as its deadline; overdue is reported, not enforced. */
  deadline: DurationSchema.optional(),
});
export type Step = z.infer<typeof StepSchema>;

const base = {
  id: z.string().min(1),
  name: LabelSchema,
  incoming: z.array(z.string()),
  outgoing: z.array(z.string()),
};

export const NodeSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('startEvent') }),
  z.object({ ...base, type: z.literal('endEvent'), outcome: z.string().min(1) }),
  z.object({ ...base, type: z.literal('userTask'), step: StepSchema }),
  /** An automatic action the workflow performs through an activity, named by `action`. */
  z.object({ ...base, type: z.literal('serviceTask'), action: z.string().min(1) }),
  z.object({ ...base, type: z.literal('exclusiveGateway'), default: z.string().optional() }),
  z.object({ ...base, type: z.literal('parallelGateway') }),
  z.object({ ...base, type: z.literal('timerCatchEvent'), duration: DurationSchema }),
  z.object({
    ...base,
    type: z.literal('boundaryTimerEvent'),
    attachedTo: z.string().min(1),
    interrupting: z.boolean(),
    duration: DurationSchema,
  }),
]);
export type GraphNode = z.infer<typeof NodeSchema>;
export type NodeOfType<T extends GraphNode['type']> = Extract<GraphNode, { type: T }>;

export const FlowSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  name: LabelSchema.optional(),
  /** FEEL expression over the matter's variables; only on flows leaving an exclusive gateway. */
  condition: z.string().optional(),
});
export type Flow = z.infer<typeof FlowSchema>;

export const ProcedureGraphSchema = z.object({
  /** = the BPMN process id, e.g. `major-decision` */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: LabelSchema,
  /** sha256 (hex, first 16) of the BPMN text and the canonical JSON of the policy values used */
  version: z.string().regex(/^[0-9a-f]{16}$/),
  /** Policy values the procedure used, as resolved on the day the version was compiled. */
  policy: z.record(z.string(), z.unknown()),
  /** Variables a FEEL condition may read: `<stepId>.<field>` and `input.<field>` come from steps and the start form. */
  startEvent: z.string(),
  /**
   * A matter whose amount (`step`.`field`) is above `above` must link a completed matter of
   * `procedure` (a major decision) of the same village.
   */
  link: z
    .object({ procedure: z.string(), above: z.number().nonnegative(), step: z.string(), field: z.string() })
    .optional(),
  /**
   * 化整为零: when `step` completes, payments to the same payee (`payeeField`) of the village within
   * `windowDays` are added up (with `amountField`); passing a tier while each stays under it warns.
   */
  split: z
    .object({
      step: z.string(),
      payeeField: z.string(),
      amountField: z.string(),
      windowDays: z.number().positive(),
      tiers: z.array(z.number().positive()).min(1),
    })
    .optional(),
  nodes: z.record(z.string(), NodeSchema),
  flows: z.record(z.string(), FlowSchema),
});
export type ProcedureGraph = z.infer<typeof ProcedureGraphSchema>;
