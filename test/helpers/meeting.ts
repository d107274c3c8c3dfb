/** A stand-in sha256 of the minutes file. */
export const HASH = 'b'.repeat(64);

/** A meeting record: `inFavour` of `present` agree, the rest are against. */
export function meetingRecord(
  body: string,
  members: number,
  present: number,
  inFavour: number,
  extra: Record<string, unknown> = {},
) {
  return {
    body,
    date: '2026-03-10',
    minutesHash: HASH,
    members,
    present,
    inFavour,
    against: present - inFavour,
    abstain: 0,
    ...extra,
  };
}
