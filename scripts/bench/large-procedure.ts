/**
 * Generated procedures of a given size, for the compile section of the bench and the test that the
 * compiler's result on them is right (test/unit/compiler-scale.test.ts). Drawn in a row, as a
 * modeler would save them: every element has its shape or edge.
 */

interface Drawn {
  xml: string[];
  di: string[];
  x: number;
}

function shape(d: Drawn, id: string): void {
  d.di.push(
    `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${d.x}" y="100" width="100" height="80" /></bpmndi:BPMNShape>`,
  );
  d.x += 150;
}

function flow(d: Drawn, id: string, source: string, target: string, condition?: string): void {
  const body = condition
    ? `><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : ' />';
  d.xml.push(`<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"${body}`);
  d.di.push(
    `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="0" y="140" /><di:waypoint x="9" y="140" /></bpmndi:BPMNEdge>`,
  );
}

function document(d: Drawn): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:mp="http://xiaowei-quanli.cn/schema/bpmn/mp" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs" targetNamespace="http://xiaowei-quanli.cn/bench">
<bpmn:process id="large" name="大流程" mp:nameEn="Large procedure">
${d.xml.join('\n')}
</bpmn:process>
<bpmndi:BPMNDiagram id="large_diagram"><bpmndi:BPMNPlane id="large_plane" bpmnElement="large">
${d.di.join('\n')}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

function event(d: Drawn, tag: 'startEvent' | 'endEvent', id: string, outcome?: string): void {
  const attribute = outcome ? ` mp:outcome="${outcome}"` : '';
  d.xml.push(`<bpmn:${tag} id="${id}" name="${id}"${attribute} />`);
  shape(d, id);
}

function task(d: Drawn, id: string, kind: 'submit' | 'review'): void {
  d.xml.push(
    `<bpmn:userTask id="${id}" name="步骤 ${id}" mp:nameEn="Step ${id}" mp:kind="${kind}" mp:roles="secretary" />`,
  );
  shape(d, id);
}

/** `tasks` submit steps in one chain from the start to the end. */
export function chainOfTasks(tasks: number): string {
  const d: Drawn = { xml: [], di: [], x: 0 };
  event(d, 'startEvent', 'start');
  let previous = 'start';
  for (let i = 1; i <= tasks; i += 1) {
    task(d, `s-${i}`, 'submit');
    flow(d, `f-${i}`, previous, `s-${i}`);
    previous = `s-${i}`;
  }
  event(d, 'endEvent', 'end', 'completed');
  flow(d, 'f-end', previous, 'end');
  return document(d);
}

/**
 * `gateways` review steps, each followed by an exclusive gateway: approved → the next review (the
 * last: the end), else back to the review before it (the first: an end). Every condition reads the
 * step just before its gateway; every gateway has a default.
 */
export function chainOfGateways(gateways: number): string {
  const d: Drawn = { xml: [], di: [], x: 0 };
  event(d, 'startEvent', 'start');
  event(d, 'endEvent', 'end-rejected', 'rejected');
  const approved = (i: number) => `r${i}.decision = "approved"`;
  let previous = 'start';
  for (let i = 1; i <= gateways; i += 1) {
    const [step, gateway] = [`r-${i}`, `g-${i}`];
    task(d, step, 'review');
    flow(d, `in-${i}`, previous, step, i > 1 ? approved(i - 1) : undefined);
    d.xml.push(`<bpmn:exclusiveGateway id="${gateway}" name="${gateway}" default="back-${i}" />`);
    shape(d, gateway);
    flow(d, `to-${i}`, step, gateway);
    flow(d, `back-${i}`, gateway, i === 1 ? 'end-rejected' : `r-${i - 1}`);
    previous = gateway;
  }
  event(d, 'endEvent', 'end', 'completed');
  flow(d, 'in-end', previous, 'end', approved(gateways));
  return document(d);
}

/**
 * `diamonds` parallel splits in a row, each into a review and a submit step joined again, then a review
 * and an exclusive gateway whose condition reads that review, or the step `reads` names (FEEL name).
 */
export function parallelDiamonds(diamonds: number, reads = 'check'): string {
  const d: Drawn = { xml: [], di: [], x: 0 };
  event(d, 'startEvent', 'start');
  let previous = 'start';
  for (let i = 1; i <= diamonds; i += 1) {
    const [fork, join] = [`fork-${i}`, `join-${i}`];
    d.xml.push(
      `<bpmn:parallelGateway id="${fork}" name="${fork}" />`,
      `<bpmn:parallelGateway id="${join}" name="${join}" />`,
    );
    shape(d, fork);
    shape(d, join);
    flow(d, `into-${i}`, previous, fork);
    for (const [side, kind] of [
      ['a', 'review'],
      ['b', 'submit'],
    ] as const) {
      task(d, `${side}-${i}`, kind);
      flow(d, `${side}-in-${i}`, fork, `${side}-${i}`);
      flow(d, `${side}-out-${i}`, `${side}-${i}`, join);
    }
    previous = join;
  }
  task(d, 'check', 'review');
  flow(d, 'to-check', previous, 'check');
  d.xml.push('<bpmn:exclusiveGateway id="decide" name="decide" default="rejected" />');
  shape(d, 'decide');
  flow(d, 'to-decide', 'check', 'decide');
  event(d, 'endEvent', 'end', 'completed');
  event(d, 'endEvent', 'end-rejected', 'rejected');
  flow(d, 'approved', 'decide', 'end', `${reads}.decision = "approved"`);
  flow(d, 'rejected', 'decide', 'end-rejected');
  return document(d);
}
