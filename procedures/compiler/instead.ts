/**
 * What to draw instead of an element outside the subset: an author coming from another modeler
 * (Camunda, Flowable) should read how to say the same thing here, not only that it is refused.
 */
const INSTEAD: Record<string, string> = {
  'bpmn:SubProcess': 'draw its steps in the main process',
  'bpmn:AdHocSubProcess': 'draw its steps in the main process',
  'bpmn:Transaction': 'draw its steps in the main process',
  'bpmn:CallActivity': 'draw the steps here, or link the other procedure with mp:linkProcedure',
  'bpmn:Task': 'use a userTask (mp:kind, mp:roles) for a person, or a serviceTask (mp:action) for the system',
  'bpmn:ScriptTask': 'use a serviceTask with mp:action: the system runs named actions, not scripts',
  'bpmn:BusinessRuleTask': 'put the rule in a FEEL condition of an exclusive gateway, its values in the policy',
  'bpmn:SendTask': 'use a serviceTask with mp:action (e.g. a notice)',
  'bpmn:ReceiveTask': 'use a userTask in which the person who received it records it',
  'bpmn:ManualTask': 'use a userTask of kind record',
  'bpmn:InclusiveGateway': 'use an exclusive gateway with conditions, or a parallel gateway',
  'bpmn:ComplexGateway': 'use an exclusive gateway with conditions, or a parallel gateway',
  'bpmn:EventBasedGateway': 'use a userTask with a timer boundary event',
  'bpmn:IntermediateThrowEvent': 'use a serviceTask with mp:action to send a notice',
  'bpmn:DataObject': 'record the data as an mp:field of the step that produces it',
  'bpmn:DataObjectReference': 'record the data as an mp:field of the step that produces it',
  'bpmn:DataStoreReference': 'record the data as an mp:field of the step that produces it',
  'bpmn:Collaboration': 'keep one process without pools; lanes may show who acts',
  'bpmn:MessageEventDefinition': 'a userTask records what arrives; a serviceTask with mp:action sends a notice',
  'bpmn:SignalEventDefinition': 'a userTask records what arrives; a serviceTask with mp:action sends a notice',
  'bpmn:ErrorEventDefinition': 'route a failure with an exclusive gateway after the step (e.g. its decision)',
  'bpmn:EscalationEventDefinition': 'escalate an overdue step with a timer boundary event',
  'bpmn:ConditionalEventDefinition': 'test the condition at an exclusive gateway',
  'bpmn:TerminateEventDefinition': 'end each branch at a plain end event, after a parallel join',
  'bpmn:CompensateEventDefinition': 'draw the undoing steps as steps',
  'bpmn:LinkEventDefinition': 'draw the sequence flow itself',
  'bpmn:CancelEventDefinition': 'route the cancellation with an exclusive gateway',
  'bpmn:TimerEventDefinition': 'a matter starts when someone starts it: wait with a timer after the start',
  'bpmn:MultiInstanceLoopCharacteristics': 'list the items as fields of one step, or draw one step for each',
  'bpmn:StandardLoopCharacteristics': 'draw the loop with an exclusive gateway back to the step',
};

/** `: <what to use instead>` for the message, or nothing when there is no advice. */
export function instead(type: string): string {
  const advice = INSTEAD[type];
  return advice ? `: ${advice}` : '';
}
