// How `get` prints objects: a table (default or wide), YAML, JSON or names.
import { stringify } from 'yaml';
import { API_VERSION, kindInfo, type ApiObject, type Kind } from '../../core/api/index.js';
import { columnsFor } from './columns.js';
import { formatTable } from './table.js';

export const OUTPUT_FORMATS = ['table', 'wide', 'yaml', 'json', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(v: string): v is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(v);
}

/** `pod/web`, as kubectl's `-o name` prints. */
export function nameOf(o: ApiObject): string {
  return `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

/** One object (`single`) prints as itself; several as a `kind: List` (which `apply -f` reads back). */
export function printObjects(
  kind: Kind,
  objects: readonly ApiObject[],
  format: OutputFormat,
  options: { single: boolean; allNamespaces: boolean; nowMs: number },
): string {
  switch (format) {
    case 'json':
      return JSON.stringify(options.single ? objects[0] : asList(objects), null, 2);
    case 'yaml':
      return stringify(options.single ? objects[0] : asList(objects)).trimEnd();
    case 'name':
      return objects.map(nameOf).join('\n');
    case 'table':
    case 'wide': {
      if (objects.length === 0) return '';
      const cols = columnsFor(kind, { wide: format === 'wide', withNamespace: options.allNamespaces && kindInfo(kind).namespaced });
      return formatTable(cols.headers, objects.map((o) => cols.row(o, options.nowMs)));
    }
  }
}

function asList(objects: readonly ApiObject[]): unknown {
  return { apiVersion: API_VERSION, kind: 'List', items: objects };
}
