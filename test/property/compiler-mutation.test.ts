import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPILE_RULES, CompileError, compileProcedure } from '../../procedures/compiler';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { seeded, simulate, type Random } from '../helpers/simulate';

/**
 * The compiler is the last line between a drawing mistake and a matter stuck for months. Generated
 * variants of the four procedures (seeded, so a failure can be run again) must each be refused with
 * a message naming an element of the file and a rule, or compile to a graph that the real engine,
 * driven with random choices, takes to an end every time with nothing left behind.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const PROCEDURES = (process.env.MUTATE ?? 'major-decision fund-approval project-bidding asset-disposal').split(' ');
const VARIANTS_PER_PROCEDURE = Number(process.env.MUTATE_N ?? 260);
const RUNS_PER_GRAPH = 3;
const POLICY = policyValuesAt(loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json')), '2024-05-01');

type Mutation = (xml: string, random: Random) => string | undefined;

const pick = <T>(random: Random, list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

function nodeIds(xml: string): string[] {
  const ids = [
    ...xml.matchAll(
      /<bpmn:(?:userTask|serviceTask|exclusiveGateway|parallelGateway|endEvent|intermediateCatchEvent) id="([^"]+)"/g,
    ),
  ];
  return ids.map((m) => m[1] ?? '');
}

/** Replace one random match of `pattern` (global) using `replace`. */
function replaceOne(xml: string, pattern: RegExp, random: Random, replace: (match: RegExpExecArray) => string) {
  const matches = [...xml.matchAll(pattern)];
  const match = pick(random, matches);
  if (!match || match.index === undefined) return undefined;
  return xml.slice(0, match.index) + replace(match) + xml.slice(match.index + match[0].length);
}

let added = 0;

const MUTATIONS: Record<string, Mutation> = {
  retarget: (xml, r) => replaceOne(xml, /targetRef="[^"]+"/g, r, () => `targetRef="${pick(r, nodeIds(xml)) ?? ''}"`),
  resource: (xml, r) => replaceOne(xml, /sourceRef="[^"]+"/g, r, () => `sourceRef="${pick(r, nodeIds(xml)) ?? ''}"`),
  addFlow: (xml, r) => {
    const id = `mutant-flow-${(added += 1)}`;
    const [from, to] = [pick(r, nodeIds(xml)), pick(r, nodeIds(xml))];
    return xml
      .replace(
        '</bpmn:process>',
        `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />\n</bpmn:process>`,
      )
      .replace(
        '</bpmndi:BPMNPlane>',
        `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="0" y="0" /><di:waypoint x="9" y="9" /></bpmndi:BPMNEdge></bpmndi:BPMNPlane>`,
      );
  },
  dropFlow: (xml, r) =>
    replaceOne(xml, /<bpmn:sequenceFlow [^>]*?(?:\/>|>[\s\S]*?<\/bpmn:sequenceFlow>)/g, r, () => ''),
  swapGateway: (xml, r) => {
    const [from, to] = r() < 0.5 ? ['exclusiveGateway', 'parallelGateway'] : ['parallelGateway', 'exclusiveGateway'];
    const starts = [...xml.matchAll(new RegExp(`<bpmn:${from} `, 'g'))];
    const start = pick(r, starts)?.index;
    if (start === undefined) return undefined;
    const openEnd = xml.indexOf('>', start);
    const selfClosing = xml[openEnd - 1] === '/';
    let out = `${xml.slice(0, start)}<bpmn:${to} ${xml.slice(start + from.length + 7)}`;
    if (!selfClosing)
      out = out.replace(new RegExp(`</bpmn:${from}>`), (m, offset: number) => (offset > start ? `</bpmn:${to}>` : m));
    return out;
  },
  dropDefault: (xml, r) => replaceOne(xml, / default="[^"]+"/g, r, () => ''),
  dropCondition: (xml, r) =>
    replaceOne(xml, /<bpmn:conditionExpression[^>]*>[\s\S]*?<\/bpmn:conditionExpression>/g, r, () => ''),
  condition: (xml, r) =>
    replaceOne(xml, /(<bpmn:conditionExpression[^>]*>)([\s\S]*?)(<\/bpmn:conditionExpression>)/g, r, (m) => {
      const body = m[2] ?? '';
      const steps = [...xml.matchAll(/<bpmn:userTask id="([^"]+)"/g)].map((s) =>
        (s[1] ?? '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      );
      const edits: (() => string)[] = [
        () => body.replace(' = ', ' == '),
        () => `= ${body}`,
        () => body.replace(/"([^"]+)"/, (_, s: string) => `"${s.slice(0, -1)}"`),
        () => body.replace(' and ', ' or '),
        () => body.replace(/\b[a-z][A-Za-z]*(?=\.)/, () => pick(r, steps) ?? 'x'),
        () => body.replace('approved', pick(r, ['rejected', 'objected', 'passed', 'aproved']) ?? ''),
        () => body.replace('&gt;', '&lt;'),
        () => body.replace(/"[^"]*"/, '100'),
      ];
      return `${m[1] ?? ''}${(pick(r, edits) ?? (() => body))()}${m[3] ?? ''}`;
    }),
  outcome: (xml, r) =>
    replaceOne(
      xml,
      /mp:outcome="[^"]+"/g,
      r,
      () => `mp:outcome="${pick(r, ['complted', 'completed', 'rejected', 'done', 'withdrawn']) ?? ''}"`,
    ),
  kind: (xml, r) =>
    replaceOne(
      xml,
      /mp:kind="[^"]+"/g,
      r,
      () => `mp:kind="${pick(r, ['submit', 'review', 'approval', 'record', 'revew', 'meeting']) ?? ''}"`,
    ),
  roles: (xml, r) =>
    replaceOne(
      xml,
      /mp:roles="[^"]+"/g,
      r,
      () => `mp:roles="${pick(r, ['secretary', 'mayor', 'town-official committee', '']) ?? ''}"`,
    ),
  duration: (xml, r) =>
    replaceOne(xml, /(mp:(?:deadline|window)="|<bpmn:timeDuration[^>]*>)([^"<]+)/g, r, (m) => {
      const value = pick(r, [
        'PT2H',
        'P3D',
        '1e15 days',
        '100000000 workingDays',
        '3 days',
        '0 days',
        'policy:nope',
        '2 weeks',
      ]);
      return `${m[1] ?? ''}${value ?? ''}`;
    }),
};

interface Tally {
  rejected: number;
  sound: number;
  wrong: string[];
}

async function judge(name: string, xml: string, seed: number, tally: Tally): Promise<void> {
  let graph;
  try {
    graph = await compileProcedure({ file: `${name}.bpmn`, bpmn: xml, policyValues: POLICY });
  } catch (error) {
    if (!(error instanceof CompileError)) {
      tally.wrong.push(`${name} #${seed}: crashed: ${String(error)}`);
      return;
    }
    const unnamed = error.problems.filter(
      (p) =>
        !(p.elementId === '(document)' || xml.includes(`"${p.elementId}"`)) ||
        !COMPILE_RULES.includes(p.rule) ||
        p.message.trim() === '',
    );
    if (error.problems.length === 0 || unnamed.length > 0) {
      tally.wrong.push(`${name} #${seed}: refused without naming element and rule: ${JSON.stringify(unnamed)}`);
    } else {
      tally.rejected += 1;
    }
    return;
  }
  for (let run = 0; run < RUNS_PER_GRAPH; run += 1) {
    const failure = simulate(graph, seeded(seed * 31 + run));
    if (failure) {
      tally.wrong.push(`${name} #${seed}: compiled, but a run went wrong: ${failure}`);
      return;
    }
  }
  tally.sound += 1;
}

describe('compiler: mutation test over the four procedures', () => {
  test(`given ${VARIANTS_PER_PROCEDURE * PROCEDURES.length} generated variants, then each is refused by name or runs to an end`, async () => {
    const tally: Tally = { rejected: 0, sound: 0, wrong: [] };
    const names = Object.keys(MUTATIONS);
    for (const name of PROCEDURES) {
      const original = readFileSync(path.join(ROOT, 'procedures', `${name}.bpmn`), 'utf8');
      for (let seed = 1; seed <= VARIANTS_PER_PROCEDURE; seed += 1) {
        const random = seeded(seed * 7919 + name.length);
        let xml = original;
        const count = 1 + Math.floor(random() * 3);
        for (let m = 0; m < count; m += 1) xml = MUTATIONS[pick(random, names) ?? 'retarget']?.(xml, random) ?? xml;
        await judge(name, xml, seed, tally);
      }
    }
    const total = tally.rejected + tally.sound + tally.wrong.length;
    console.log(
      `mutation test: ${total} variants · rejected ${tally.rejected} · compiled-and-sound ${tally.sound} · wrong ${tally.wrong.length}`,
    );

    expect(total).toBeGreaterThanOrEqual(1000);
    expect(tally.sound).toBeGreaterThan(0);
    expect(tally.wrong.slice(0, 5)).toEqual([]);
  }, 600_000);
});
