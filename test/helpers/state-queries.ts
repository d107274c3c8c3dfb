import { engineStateQuery } from '../../common/matter';
import { opinionQuery } from '../../common/opinion';

/**
 * The query whose answer is a workflow's whole state, per workflow type: what the replay guard
 * compares. A type without one (the monthly notices) is compared by its result alone.
 */
export const STATE_QUERY: Readonly<Record<string, string>> = {
  matter: engineStateQuery.name,
  opinion: opinionQuery.name,
};
