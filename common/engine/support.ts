import type { GraphNode, NodeOfType, ProcedureGraph } from '../graph';
import { EngineError } from './types';

export function node(graph: ProcedureGraph, id: string): GraphNode {
  const found = graph.nodes[id];
  if (!found) throw new EngineError(`unknown node ${id}`);
  return found;
}

export function userTask(graph: ProcedureGraph, id: string): NodeOfType<'userTask'> | undefined {
  const found = graph.nodes[id];
  return found?.type === 'userTask' ? found : undefined;
}

export function iso(at: number): string {
  return new Date(at).toISOString();
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
