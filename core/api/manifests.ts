// Manifests: the text users write, YAML (one or more documents separated by
// `---`) or JSON, turned into validated objects. Every problem of every
// document is reported at once: malformed text with its line and column,
// invalid objects with the document's index and their field errors.

import { parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import { ManifestError } from './errors.js';
import type { ManifestProblem } from './errors.js';
import type { ApiObject } from './kinds.js';
import type { Result } from './result.js';
import { err, ok } from './result.js';
import { identify, validate } from './validation/validate.js';

/** Guards against alias bombs (`a: &a [*a, *a, ...]`). */
const MAX_ALIAS_COUNT = 100;

/** One parsed document, before validation. */
interface RawDocument {
  readonly documentIndex: number;
  readonly value: unknown;
}

/** YAML's messages end with " at line L, column C:" and a code frame; line and column are kept apart. */
function shortMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function looksLikeJson(text: string, sourceName: string): boolean {
  if (sourceName.toLowerCase().endsWith('.json')) return true;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function parseJson(text: string): Result<RawDocument[], ManifestProblem[]> {
  try {
    return ok([{ documentIndex: 0, value: JSON.parse(text) as unknown }]);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /at position (\d+)/.exec(message);
    const where = lineAndColumn(text, position ? Number(position[1]) : text.length);
    return err([
      { type: 'syntax', documentIndex: 0, ...where, message: `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` },
    ]);
  }
}

function parseYaml(text: string): Result<RawDocument[], ManifestProblem[]> {
  const problems: ManifestProblem[] = [];
  const documents: RawDocument[] = [];
  parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }).forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = error.linePos?.[0];
        const where = pos ? { line: pos.line, column: pos.col } : lineAndColumn(text, error.pos[0]);
        problems.push({ type: 'syntax', documentIndex, ...where, message: `malformed YAML: ${shortMessage(error.message)}` });
      }
      return;
    }
    try {
      documents.push({ documentIndex, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown });
    } catch (e) {
      // Conversion fails on aliases (unresolved, or too many); point at the first bad alias if there is one.
      const where = lineAndColumn(text, unresolvedAliasOffset(doc) ?? doc.range[0]);
      problems.push({ type: 'syntax', documentIndex, ...where, message: `malformed YAML: ${e instanceof Error ? e.message : String(e)}` });
    }
  });
  return problems.length > 0 ? err(problems) : ok(documents);
}

/** The offset of the first alias whose anchor is not defined before it, if any. */
function unresolvedAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * A copy without the null-valued fields of mappings: `labels:` with nothing
 * after it means no labels, as in Kubernetes, rather than a type error.
 * Nulls inside lists stay (and fail validation where they do not belong).
 */
function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) out[key] = withoutNullFields(field);
  }
  return out;
}

/** A document holding several objects: a list, or `kind: List` with `items` (as `get -o yaml` of many prints). */
function itemsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>)['kind'] === 'List') {
    const items = (value as Record<string, unknown>)['items'];
    if (Array.isArray(items)) return items;
  }
  return undefined;
}

/**
 * Parses manifest text into objects, validated as users write them (before
 * defaults: a namespaced object may leave out its namespace). JSON is
 * recognised by a `.json` source name or a leading `{` or `[`; anything else
 * is YAML, possibly several documents. Empty documents are skipped; a list or
 * a `kind: List` document contributes each of its items; a field written as
 * null (`labels:` and nothing) counts as absent. `sourceName` (a file
 * name, `<stdin>`) prefixes every message.
 */
export function parseManifests(text: string, sourceName: string): Result<ApiObject[], ManifestError> {
  const parsed = looksLikeJson(text, sourceName) ? parseJson(text) : parseYaml(text);
  if (!parsed.ok) return err(new ManifestError(sourceName, parsed.error));

  const objects: ApiObject[] = [];
  const problems: ManifestProblem[] = [];
  const check = (value: unknown, documentIndex: number, itemIndex?: number): void => {
    const result = validate(withoutNullFields(value), { beforeDefaults: true });
    if (result.ok) {
      objects.push(result.value);
      return;
    }
    problems.push({
      type: 'invalid',
      documentIndex,
      ...(itemIndex === undefined ? {} : { itemIndex }),
      object: identify(value),
      errors: result.error.errors,
    });
  };
  for (const { documentIndex, value } of parsed.value) {
    if (value === null || value === undefined) continue; // an empty document, or only comments
    const items = itemsOf(value);
    if (items === undefined) check(value, documentIndex);
    else items.forEach((item, itemIndex) => check(item, documentIndex, itemIndex));
  }
  return problems.length > 0 ? err(new ManifestError(sourceName, problems)) : ok(objects);
}
