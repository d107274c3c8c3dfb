import type { Flow, GraphNode, Label, ProcedureGraph, StepKind } from '../../common/graph';
import { child, idOf, text, type El } from './moddle';
import type { Problems } from './problems';

/** What a completed step puts in FEEL's reach. */
export interface StepScope {
  id: string;
  kind: StepKind;
  /** output name → its finite domain as FEEL literals, when it has one */
  outputs: Map<string, string[] | undefined>;
}

/** A condition of the shape `step.output = "lit"` (or `!=`), which the exhaustiveness proof can reason about. */
export interface ConditionTest {
  variable: string;
  equals: boolean;
  literal: string;
}

/** Omit applied to each member of a union, so each node type keeps its own properties. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A node before its flows are known. */
export type NodeBody = OmitEach<GraphNode, 'incoming' | 'outgoing'>;

export interface Compiled {
  id: string;
  name: Label;
  startEvent: string;
  nodes: Record<string, GraphNode>;
  flows: Record<string, Flow>;
  policyKeys: string[];
  link?: ProcedureGraph['link'];
  split?: ProcedureGraph['split'];
}

/** What the passes over one process share: its elements, how they connect, and what was found so far. */
export class CompileContext {
  readonly elements: El[] = [];
  readonly sequenceFlows: El[] = [];
  readonly byId = new Map<string, El>();
  readonly flowsById = new Map<string, El>();
  /** host step id → its boundary events */
  readonly boundaries = new Map<string, El[]>();
  readonly incoming = new Map<string, string[]>();
  readonly outgoing = new Map<string, string[]>();
  readonly flowEnds = new Map<string, { source: string; target: string }>();
  readonly steps = new Map<string, StepScope>();
  /** FEEL names of steps that failed to compile: conditions reading them are not blamed twice. */
  readonly brokenSteps = new Set<string>();
  readonly usedPolicy = new Set<string>();
  readonly conditionTests = new Map<string, ConditionTest | undefined>();

  constructor(
    readonly process: El,
    readonly policyValues: Record<string, unknown>,
    readonly problems: Problems,
  ) {}

  in(id: string): string[] {
    return this.incoming.get(id) ?? [];
  }

  out(id: string): string[] {
    return this.outgoing.get(id) ?? [];
  }

  label(el: El, required: boolean): Label {
    const zh = text(el, 'name');
    const en = text(el, 'nameEn');
    if (required && (!zh || !en)) {
      const missing = [zh ? undefined : 'name (Chinese)', en ? undefined : 'mp:nameEn (English)'].filter(Boolean);
      this.problems.at(el, 'missing-name', `needs ${missing.join(' and ')}`);
    }
    // Events and gateways may go unnamed in the drawing; the engine still needs a label.
    const fallback = zh ?? idOf(el);
    return { zh: fallback, en: en ?? fallback };
  }

  /** A number from the policy named as `policy:<key>`, remembered as used; undefined when it is not one. */
  policyNumber(reference: string): number | undefined {
    const key = /^policy:(.+)$/.exec(reference)?.[1];
    const value = key === undefined ? undefined : this.policyValues[key];
    if (key === undefined || typeof value !== 'number') return undefined;
    this.usedPolicy.add(key);
    return value;
  }

  conditionText(flowId: string): string | undefined {
    const flow = this.flowsById.get(flowId);
    const condition = flow ? child(flow, 'conditionExpression') : undefined;
    return condition ? text(condition, 'body') : undefined;
  }
}
