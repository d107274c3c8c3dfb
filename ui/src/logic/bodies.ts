import type { MeetingBody } from '../../../common/graph';

/**
 * The meeting bodies, restated here because common/graph.ts builds zod schemas at load time and
 * zod would triple the browser bundle. The type below fails the build if the lists drift apart.
 */
export const MEETING_BODIES_LIST = ['villagers', 'representatives', 'party-members', 'two-committees'] as const;

type Missing = Exclude<MeetingBody, (typeof MEETING_BODIES_LIST)[number]>;
const complete: [Missing] extends [never] ? true : false = true;
void complete;
