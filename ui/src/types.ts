import type { Label, ProcedureGraph, Role } from '../../common/graph';
import type { MatterView } from '../../common/matter';

/** Shapes of the API answers the pages read (see the contract in README.md and /api/openapi.json). */

export interface MeVillage {
  id: string;
  town: string;
  name: Label;
  roles: Role[];
}

export interface Me {
  id: string;
  name: string;
  villages: MeVillage[];
}

/** An opinion (民意直通车) waiting for the signed-in chair, or the town once a time limit passed. */
export interface OpinionTask {
  opinionId: string;
  village: string;
  matterId?: string;
  subject: string;
  text: string;
  status: 'submitted' | 'acknowledged' | 'answered';
  submittedAt: string;
  dueAt?: string;
  overdue: boolean;
  escalated: boolean;
  actions: ('acknowledge' | 'answer')[];
  role: string;
}

export interface Task {
  matterId: string;
  title: string;
  village: string;
  procedure: { id: string; name: Label };
  step: { id: string; name: Label; kind: string; phase: string };
  deadline?: string;
  overdue: boolean;
  actions: string[];
  role: string;
}

export interface Village {
  id: string;
  town: string;
  name: Label;
  /** 演练村: for learning; waiting periods in minutes, no monthly notices or reports */
  practice?: true;
}

export interface Town {
  id: string;
  name: Label;
}

export interface MatterSummary {
  id: string;
  village: string;
  procedure: { id: string };
  title: string;
  status: 'running' | 'suspended' | 'ended';
  outcome?: string;
  activeSteps: string[];
  startedAt: string;
  closedAt?: string;
  amount?: number;
}

export interface CatalogEntry {
  id: string;
  name: Label;
  versions: string[];
  current?: string;
}

export type MatterPageView = MatterView & { linkedFrom?: string[]; access?: 'public' | 'full' };

export type { Label, MatterView, ProcedureGraph, Role };
