import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The project's custom search attributes. They are registered on every start (the dev
 * server ignores `--search-attribute` flags for an existing db file), so adding one here
 * is enough for both a fresh and an existing data directory.
 */
export const MatterSearchAttributes = {
  village: defineSearchAttributeKey('MatterVillage', SearchAttributeType.KEYWORD),
  procedure: defineSearchAttributeKey('MatterProcedure', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('MatterStatus', SearchAttributeType.KEYWORD),
  activeSteps: defineSearchAttributeKey('MatterActiveSteps', SearchAttributeType.KEYWORD_LIST),
  amount: defineSearchAttributeKey('MatterAmount', SearchAttributeType.DOUBLE),
  /** the matters this one links to (a bidding or payment → its major decision) */
  links: defineSearchAttributeKey('MatterLinks', SearchAttributeType.KEYWORD_LIST),
  /** who is paid (fund approval), to add up payments to one payee */
  payee: defineSearchAttributeKey('MatterPayee', SearchAttributeType.KEYWORD),
  /** the roles that may act now, on a step or an objection (common/matter-summary.ts `waitingOn`) */
  waitingOn: defineSearchAttributeKey('MatterWaitingOn', SearchAttributeType.KEYWORD_LIST),
} as const;

/** Opinions (民意直通车): their own keys, so that listing matters never meets an opinion. */
export const OpinionSearchAttributes = {
  village: defineSearchAttributeKey('OpinionVillage', SearchAttributeType.KEYWORD),
  /** submitted | acknowledged | answered */
  status: defineSearchAttributeKey('OpinionStatus', SearchAttributeType.KEYWORD),
} as const;

export const customSearchAttributes = [
  ...Object.values(MatterSearchAttributes),
  ...Object.values(OpinionSearchAttributes),
].map((key) => ({
  name: key.name,
  type: key.type,
}));

/** Temporal's own: set by a Schedule on every workflow it starts (backfills included). */
export const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
