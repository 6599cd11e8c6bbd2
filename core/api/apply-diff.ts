import type { ApiObject } from './kinds.js';

/**
 * Whether `current` (as stored, with defaults and server fields) already is
 * what `desired` (as written in a manifest) asks for. Labels and annotations
 * must match exactly; every other field written in `desired` must equal the
 * stored one, recursively. Fields the manifest leaves out are the server's
 * (defaults, status, uid) and do not count, so a field removed from a manifest
 * alone is not seen as a change (as with kubectl apply without its
 * last-applied annotation).
 */
export function isUnchanged(desired: ApiObject, current: ApiObject): boolean {
  const dm = desired.metadata;
  const cm = current.metadata;
  if (!sameRecord(dm.labels, cm.labels) || !sameRecord(dm.annotations, withoutSystemAnnotations(cm.annotations, dm.annotations))) return false;
  for (const [key, value] of Object.entries(desired)) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (!covers(value, (current as unknown as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Annotations under drover.io (`deployment.drover.io/revision`, ...) are the
 * controllers' bookkeeping: a manifest that does not name them neither
 * changes nor removes them.
 */
export function isSystemAnnotation(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return prefix === 'drover.io' || prefix.endsWith('.drover.io');
}

/** The system annotations of `current` that `desired` does not set itself. */
export function systemAnnotations(current: Readonly<Record<string, string>> | undefined, desired: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (isSystemAnnotation(k) && !(desired !== undefined && k in desired)) out[k] = v;
  return out;
}

function withoutSystemAnnotations(current: Readonly<Record<string, string>> | undefined, desired: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (current === undefined) return undefined;
  const system = systemAnnotations(current, desired);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current)) if (!(k in system)) out[k] = v;
  return out;
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  if (ea.length !== Object.keys(b ?? {}).length) return false;
  return ea.every(([k, v]) => (b ?? {})[k] === v);
}

/** Every field of `want` is in `have` with the same value; lists match item by item. */
function covers(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => covers(w, have[i]));
  }
  if (typeof want === 'object' && want !== null) {
    if (typeof have !== 'object' || have === null || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, w]) => covers(w, (have as Record<string, unknown>)[k]));
  }
  return want === have;
}
