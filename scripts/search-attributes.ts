import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { customSearchAttributes } from '../common/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

/** Every custom search attribute of the project with its indexed type, as the operator API takes them. */
export function searchAttributeTypes(): Record<string, temporal.api.enums.v1.IndexedValueType> {
  return Object.fromEntries(
    customSearchAttributes.map(({ name, type }) => [name, IndexedValueType[`INDEXED_VALUE_TYPE_${type}`]]),
  );
}

/**
 * Idempotent: registers the missing ones through the operator API. Needed because
 * `--search-attribute` flags are ignored when the dev server reopens an existing db file.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const [name, wanted] of Object.entries(searchAttributeTypes())) {
    const present = existing[name];
    if (present === undefined) missing[name] = wanted;
    else if (present !== wanted) {
      throw new Error(
        `Search attribute ${name} exists with type ${IndexedValueType[present]}, expected ${IndexedValueType[wanted]}`,
      );
    }
  }
  const names = Object.keys(missing);
  if (names.length > 0) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return names;
}
