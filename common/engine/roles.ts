import type { Role, Step } from '../graph';
import type { ActiveStep } from './types';

/** Secretary and director are members of the two committees; the chair is a supervisor. */
export function roleSatisfies(held: Role, required: Role): boolean {
  if (held === required) return true;
  if (required === 'committee') return held === 'secretary' || held === 'director';
  if (required === 'supervisor') return held === 'supervisor-chair';
  return false;
}

/** Which actions a step kind takes, in which phase, and who may take them. */
export function actionsFor(step: Step, phase: ActiveStep['phase']): Record<string, Role[]> {
  switch (step.kind) {
    case 'submit':
    case 'record':
      return { submit: step.roles };
    case 'review':
      return { approve: step.roles, object: step.roles };
    case 'approval':
      return { approve: step.roles, reject: step.roles };
    case 'meeting':
      return phase === 'open' ? { record: step.roles } : { confirm: ['supervisor'], 'object-record': ['supervisor'] };
    case 'disclosure':
      return {};
  }
}

/** Who may take the actions on a whole matter (objections). */
export const matterActionRoles: Record<string, Role[]> = {
  'raise-objection': ['supervisor'],
  'answer-objection': ['committee'],
  'accept-answer': ['supervisor'],
  'rule-objection': ['town-official'],
};
