import { BpmnModdle, type ParseWarning } from 'bpmn-moddle';
import mpDescriptor from '../mp-moddle.json';
import { instead } from './instead';
import { children, idOf, isEl, xmlName, type El } from './moddle';
import { DOCUMENT, type Problems } from './problems';

export async function parseDefinitions(bpmn: string, problems: Problems): Promise<El> {
  let result: Awaited<ReturnType<BpmnModdle['fromXML']>>;
  try {
    result = await new BpmnModdle({ mp: mpDescriptor }).fromXML(bpmn);
  } catch (error) {
    // Never let the parser's own error escape: callers (API, CLI) handle CompileError only.
    problems.add(DOCUMENT, 'xml', 'malformed-xml', describeParseFailure(error));
    throw problems.error();
  }
  let structural = false;
  for (const warning of result.warnings) structural = reportWarning(warning, problems) || structural;
  // Dropped elements and dangling references would only cascade into confusing follow-up problems.
  if (structural) throw problems.error();
  if (!isEl(result.rootElement)) {
    problems.add(DOCUMENT, 'xml', 'malformed-xml', 'not a BPMN 2.0 document');
    throw problems.error();
  }
  return result.rootElement;
}

const UNPARSABLE =
  /^unparsable content <?([^>]*?)>?\s*detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/;

function lineColumn(line: string, column: string): string {
  // moddle counts from 0; editors count from 1.
  return `line ${Number(line) + 1}, column ${Number(column) + 1}`;
}

function describeParseFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) {
    const [, , line = '0', column = '0', nested = ''] = unparsable;
    // At the end of the input the parser's position is not a line and column.
    if (/end of file/.test(nested)) return `malformed XML: ${nested.trim()}`;
    return `malformed XML at ${lineColumn(line, column)}: ${nested.trim()}`;
  }
  if (message.startsWith('failed to parse document as')) {
    return 'not a BPMN 2.0 document: the root element must be bpmn:definitions';
  }
  return `malformed XML: ${message.replace(/\s+/g, ' ').trim()}`;
}

/** Returns true for warnings after which the model is incomplete. */
function reportWarning(warning: ParseWarning, problems: Problems): boolean {
  // The text reaches the compiler already decoded (a JS string): a declared encoding other than
  // UTF-8 changes nothing here and must not hide the file's real problems behind "malformed XML".
  const encoding = /^unsupported document encoding <(.+)>/.exec(warning.message);
  if (encoding) {
    problems.warn(
      DOCUMENT,
      'xml',
      'declared-encoding',
      `the file declares encoding ${encoding[1]}, read here as text already decoded: save it as UTF-8 (encoding="UTF-8") so every tool reads the same characters`,
    );
    return false;
  }
  const element = isEl(warning.element) ? warning.element : undefined;
  const attribute = /^unknown attribute <(.+)>$/.exec(warning.message);
  if (attribute && element) {
    problems.at(element, 'unknown-attribute', `attribute ${attribute[1]} is not allowed on this element`);
    return false;
  }
  const reference = /^unresolved reference <(.+)>$/.exec(warning.message);
  if (reference && element) {
    const property = (warning.property ?? 'reference').replace(/^bpmn:/, '');
    problems.at(element, 'unresolved-reference', `${property} refers to ${reference[1]}, which does not exist`);
    return true;
  }
  const unparsable = UNPARSABLE.exec(warning.message);
  if (unparsable) {
    const [, tag = '', line = '0', column = '0', nested = ''] = unparsable;
    const duplicate = /^duplicate ID <(.+)>$/.exec(nested.trim());
    if (duplicate) {
      problems.add(
        duplicate[1] ?? DOCUMENT,
        tag,
        'duplicate-id',
        `id used twice (again at ${lineColumn(line, column)})`,
      );
    } else if (/^(unknown type|unrecognized element) </.test(nested.trim())) {
      problems.add(DOCUMENT, tag, 'unknown-element', `unknown element at ${lineColumn(line, column)}`);
    } else {
      problems.add(DOCUMENT, tag, 'malformed-xml', `cannot read at ${lineColumn(line, column)}: ${nested.trim()}`);
    }
    return true;
  }
  problems.add(
    element ? idOf(element) : DOCUMENT,
    element ? xmlName(element.$type) : 'xml',
    'malformed-xml',
    warning.message.replace(/\s+/g, ' ').trim(),
  );
  return true;
}

export function findProcess(definitions: El, problems: Problems): El | undefined {
  const processes: El[] = [];
  for (const root of children(definitions, 'rootElements')) {
    if (root.$type === 'bpmn:Process') processes.push(root);
    else problems.at(root, 'unsupported-element', `not in the supported BPMN subset${instead(root.$type)}`);
  }
  if (processes.length !== 1) {
    problems.add(
      DOCUMENT,
      'bpmn:definitions',
      'process-count',
      `a procedure file holds exactly one process, found ${processes.length}`,
    );
    return undefined;
  }
  return processes[0];
}
