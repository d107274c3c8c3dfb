/** A moddle element: every property is `unknown` until checked, because the XML can hold anything. */
export interface El {
  readonly $type: string;
  readonly [key: string]: unknown;
}

export function isEl(value: unknown): value is El {
  return typeof value === 'object' && value !== null && '$type' in value && typeof value.$type === 'string';
}

export function text(el: El, key: string): string | undefined {
  const value = el[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function children(el: El, key: string): El[] {
  const value = el[key];
  return Array.isArray(value) ? value.filter(isEl) : [];
}

export function child(el: El, key: string): El | undefined {
  const value = el[key];
  return isEl(value) ? value : undefined;
}

export function idOf(el: El): string {
  return text(el, 'id') ?? '(no id)';
}

/** What `extensionElements` holds that the mp namespace defines (other vendors' extensions are ignored). */
export function mpFields(el: El): El[] {
  const extensions = child(el, 'extensionElements');
  return extensions ? children(extensions, 'values').filter((v) => v.$type === 'mp:Field') : [];
}

/** `bpmn:UserTask` → `bpmn:userTask`: the name the author sees in the XML. */
export function xmlName(type: string): string {
  const [prefix, local] = type.includes(':') ? type.split(':', 2) : ['', type];
  const tag = (local ?? '').charAt(0).toLowerCase() + (local ?? '').slice(1);
  return prefix ? `${prefix}:${tag}` : tag;
}

export function words(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter((w) => w !== ''))];
}
