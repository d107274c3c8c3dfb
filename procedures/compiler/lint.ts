import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import { child, children, idOf, xmlName, type El } from './moddle';
import {
  COMPILE_RULES,
  DOCUMENT,
  type CompileProblem,
  type CompileRule,
  type LintRule,
  type Problems,
} from './problems';

/**
 * bpmnlint at compile time, with the config `.bpmnlintrc` names (bpmnlint-plugin-mp's `recommended`:
 * bpmnlint's recommended rules plus the project's own, procedures/bpmnlint-plugin), so the compiler,
 * `npm run lint:bpmn` and a bpmnlint-aware modeler report the same findings. Errors refuse the file;
 * warnings are reported beside the graph. Runs in the API's compile path only: workflow code never
 * imports the compiler (the workflow bundle has no bpmnlint in it).
 */

export const LINT_CONFIG = { extends: 'plugin:mp/recommended' };

/**
 * What to do about each of bpmnlint's recommended rules, for the message: bpmnlint says what is wrong,
 * an author also needs the fix. The project's own rules (`mp/…`) say it in their message.
 */
const FIX: Record<string, string> = {
  'conditional-flows': 'give each flow out of the exclusive gateway a FEEL condition, or make one the default',
  'end-event-required': 'end every path at an end event with mp:outcome',
  'start-event-required': 'draw one plain start event',
  'single-blank-start-event': 'keep one plain start event',
  'label-required': 'name it (name in Chinese, mp:nameEn in English)',
  'no-bpmndi': 'open the file in a BPMN modeler (e.g. bpmn.io) and save it, which draws every element',
  'no-disconnected': 'connect it with sequence flows, or delete it',
  'no-duplicate-sequence-flows': 'delete one of the two flows',
  'no-gateway-join-fork': 'draw one gateway that joins, then one that splits',
  'no-implicit-split': 'split with a gateway: exclusive (one way) or parallel (all ways)',
  'no-implicit-end': 'lead it on to an end event',
  'no-implicit-start': 'lead a flow into it from the start event’s path',
  'no-inclusive-gateway': 'use an exclusive gateway with conditions, or a parallel gateway',
  'no-complex-gateway': 'use an exclusive gateway with conditions, or a parallel gateway',
  'single-event-definition': 'keep one event definition (a timer)',
  'superfluous-gateway': 'delete the gateway and connect the flow directly',
  'superfluous-label': 'delete the label of the flow',
  'superfluous-termination': 'use a plain end event',
  'no-overlapping-elements': 'move the element apart in the diagram',
  'fake-join': 'merge the incoming flows with an exclusive gateway before it',
  global: 'name the global element, use it, or delete it',
};

/** `mp/unknown-role` → the compiler's rule `unknown-role`; bpmnlint's own → `bpmnlint/fake-join`. */
function ruleOf(name: string): CompileRule | LintRule {
  const own = /^mp\/(.+)$/.exec(name)?.[1];
  const rule = COMPILE_RULES.find((r) => r === own);
  return rule ?? `bpmnlint/${name}`;
}

export async function lintDefinitions(definitions: El, problems: Problems): Promise<void> {
  const types = indexElements(definitions);
  // A linter per file: some rules keep what they saw (no-duplicate-sequence-flows), and a linter keeps its rules.
  // Our require, so the plugin resolves from this package's node_modules whatever the working directory.
  const linter = new Linter({ config: LINT_CONFIG, resolver: new NodeResolver({ require }) });
  const reports = await linter.lint(definitions);
  for (const [name, found] of Object.entries(reports)) {
    const rule = ruleOf(name);
    for (const report of found) {
      const id = report.id ?? DOCUMENT;
      const type = types.get(id) ?? 'bpmn:definitions';
      const fix = FIX[name];
      const message =
        rule.startsWith('bpmnlint/') && fix ? `${report.message.replace(/\.$/, '')}: ${fix}` : report.message;
      if (report.category === 'error' || report.category === 'rule-error') problems.add(id, type, rule, message);
      else problems.warn(id, type, rule, message);
    }
  }
}

/**
 * A bpmnlint error or warning on an element the compiler has a problem with already says the same thing less
 * precisely (an implicit start of an unreachable step, a missing start event): the author reads the
 * compiler's message, which names the fix. Elsewhere bpmnlint's findings stand, after the project's.
 */
export function preferOwnFindings(problems: Problems): void {
  const isLint = (p: CompileProblem) => p.rule.startsWith('bpmnlint/');
  const own = problems.list.filter((p) => !isLint(p));
  const named = new Set(own.map((p) => p.elementId));
  const lint = problems.list.filter((p) => isLint(p) && !named.has(p.elementId));
  // the project's findings first, bpmnlint's after them
  problems.list.splice(0, problems.list.length, ...own, ...lint);
  const warnings = problems.warnings.filter((p) => !isLint(p) || !named.has(p.elementId));
  problems.warnings.splice(0, problems.warnings.length, ...warnings);
}

/**
 * Every element with an id, by id (a report names only the id). On the way, each flow node gets the
 * `incoming`/`outgoing` its sequence flows give it: BPMN makes those lists redundant, a modeler fills
 * them in on import, and without them bpmnlint would call every node of a hand-written file disconnected.
 */
function indexElements(definitions: El): Map<string, string> {
  const types = new Map<string, string>();
  const seen = new Set<El>();
  const stack: El[] = [definitions];
  for (let el = stack.pop(); el !== undefined; el = stack.pop()) {
    if (seen.has(el)) continue;
    seen.add(el);
    const id = idOf(el);
    if (id !== '(no id)' && !types.has(id)) types.set(id, xmlName(el.$type));
    if (el.$type === 'bpmn:SequenceFlow') connect(el);
    for (const key of CONTAINERS) {
      for (const value of children(el, key)) stack.push(value);
      const single = child(el, key);
      if (single) stack.push(single);
    }
  }
  return types;
}

/** The properties that hold elements (not references to elements held elsewhere). */
const CONTAINERS = [
  'rootElements',
  'flowElements',
  'artifacts',
  'laneSets',
  'lanes',
  'childLaneSet',
  'participants',
  'messageFlows',
  'eventDefinitions',
  'diagrams',
  'plane',
  'planeElement',
  'extensionElements',
  'conditionExpression',
  'loopCharacteristics',
];

function connect(flow: El): void {
  for (const [end, list] of [
    ['sourceRef', 'outgoing'],
    ['targetRef', 'incoming'],
  ] as const) {
    const node = child(flow, end);
    if (!node) continue;
    const current = node[list];
    if (Array.isArray(current)) {
      if (!current.includes(flow)) current.push(flow);
    } else if (current === undefined) {
      Object.assign(node, { [list]: [flow] });
    }
  }
}
