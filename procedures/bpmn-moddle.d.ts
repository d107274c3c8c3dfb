/**
 * bpmn-moddle ships its types behind `exports` only, which `moduleResolution: node` does not read.
 * The compiler needs just this much, and reads every element as `unknown` and checks it.
 */
declare module 'bpmn-moddle' {
  export interface ParseWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: unknown;
    error?: Error;
  }

  export interface ParseResult {
    rootElement: unknown;
    warnings: ParseWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
