import { END_OUTCOMES } from '../../common/graph';
import type { CompileContext, NodeBody } from './context';
import { timer } from './durations';
import { noLoops, onlyEventDefinitions } from './events';
import { child, idOf, mpFields, text, xmlName, type El } from './moddle';
import { compileUserTask } from './steps';

/** One flow node of the subset as the engine sees it; undefined when it cannot be compiled (reported). */
export function compileNode(ctx: CompileContext, el: El): NodeBody | undefined {
  const id = idOf(el);
  if (el.$type !== 'bpmn:UserTask' && mpFields(el).length > 0) {
    ctx.problems.add(id, 'mp:field', 'bad-field', 'fields belong on user tasks');
  }
  if (el.$type !== 'bpmn:ExclusiveGateway' && child(el, 'default')) {
    ctx.problems.at(el, 'bad-default', 'only an exclusive gateway may have a default flow');
  }
  switch (el.$type) {
    case 'bpmn:StartEvent':
      onlyEventDefinitions(ctx, el, []);
      return { id, type: 'startEvent', name: ctx.label(el, false) };
    case 'bpmn:EndEvent': {
      onlyEventDefinitions(ctx, el, []);
      // missing-outcome and unknown-outcome are bpmnlint-plugin-mp's, which a modeler runs too
      const known = END_OUTCOMES.find((o) => o === text(el, 'outcome'));
      return known ? { id, type: 'endEvent', name: ctx.label(el, false), outcome: known } : undefined;
    }
    case 'bpmn:UserTask':
      return compileUserTask(ctx, el);
    case 'bpmn:ServiceTask': {
      noLoops(ctx, el);
      const name = ctx.label(el, true);
      const action = text(el, 'action');
      if (!action) ctx.problems.at(el, 'missing-action', 'a service task needs mp:action naming what it does');
      return action ? { id, type: 'serviceTask', name, action } : undefined;
    }
    case 'bpmn:ExclusiveGateway': {
      const name = ctx.label(el, false);
      const only = ctx.out(id);
      const defaultFlow = child(el, 'default');
      // A lone unconditioned way out (a merge) is the way taken: make it explicit for the engine.
      const lone = !defaultFlow && only.length === 1 && only[0] && !ctx.conditionText(only[0]) ? only[0] : undefined;
      const chosen = defaultFlow ? idOf(defaultFlow) : lone;
      return chosen ? { id, type: 'exclusiveGateway', name, default: chosen } : { id, type: 'exclusiveGateway', name };
    }
    case 'bpmn:ParallelGateway':
      return { id, type: 'parallelGateway', name: ctx.label(el, false) };
    case 'bpmn:IntermediateCatchEvent': {
      const duration = timer(ctx, el);
      return duration ? { id, type: 'timerCatchEvent', name: ctx.label(el, false), duration } : undefined;
    }
    case 'bpmn:BoundaryEvent':
      return compileBoundary(ctx, el);
    default:
      return undefined;
  }
}

function compileBoundary(ctx: CompileContext, el: El): NodeBody | undefined {
  const host = child(el, 'attachedToRef');
  if (!host || host.$type !== 'bpmn:UserTask') {
    const what = host ? `${idOf(host)}, a ${xmlName(host.$type)}` : 'nothing';
    ctx.problems.at(el, 'boundary-not-on-user-task', `a timer boundary event goes on a user task, not on ${what}`);
  }
  const duration = timer(ctx, el);
  if (!host || !duration) return undefined;
  return {
    id: idOf(el),
    type: 'boundaryTimerEvent',
    name: ctx.label(el, false),
    attachedTo: idOf(host),
    // BPMN's default for cancelActivity is true: only an explicit "false" keeps the step running.
    interrupting: el.cancelActivity !== false,
    duration,
  };
}
