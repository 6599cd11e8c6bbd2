/**
 * admitCreate and admitUpdate validate an object as written and do not put
 * the defaulted result through the schemas again: this holds them to it.
 * Whatever optional fields a valid object leaves out, what admission
 * returns is valid as stored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitCreate, admitUpdate, validate, type ApiObject } from '../../../../core/api/index.js';
import { CREATE, deployment, endpoints, event, namespace, node, pod, replicaSet, service } from './fixtures.js';

type Json = Record<string, unknown>;

/** Every path to a field of `obj` (objects only, not array items' indexes beyond the first). */
function paths(obj: unknown, prefix: string[] = []): string[][] {
  if (typeof obj !== 'object' || obj === null) return [];
  const out: string[][] = [];
  const entries = Array.isArray(obj) ? (obj.length > 0 ? [['0', obj[0]] as const] : []) : Object.entries(obj as Json);
  for (const [k, v] of entries) {
    out.push([...prefix, k]);
    out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function without(obj: ApiObject, path: readonly string[]): ApiObject {
  const copy = structuredClone(obj) as unknown as Json;
  let cur: Json = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Json;
  const last = path[path.length - 1]!;
  if (Array.isArray(cur)) cur.splice(Number(last), 1);
  else delete cur[last];
  return copy as unknown as ApiObject;
}

const SAMPLES: ApiObject[] = [pod(), replicaSet(), deployment(), service(), endpoints(), node(), namespace(), event()];

// Valid objects with up to three fields removed (those whose removal leaves them valid as written).
const written = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(fc.nat(), { maxLength: 3 }))
  .map(([sample, picks]) => {
    let obj = sample;
    for (const pick of picks) {
      const all = paths(obj).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind');
      if (all.length === 0) break;
      const next = without(obj, all[pick % all.length]!);
      if (validate(next, { beforeDefaults: true }).ok) obj = next;
    }
    return obj;
  });

describe('admission never returns an object that would not validate as stored', () => {
  it('on create', () => {
    fc.assert(
      fc.property(written, (obj) => {
        const admitted = admitCreate(obj, CREATE);
        expect(admitted.ok).toBe(true);
        if (admitted.ok) expect(validate(admitted.value).ok ? [] : validate(admitted.value)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('on update of what was created from the full sample', () => {
    fc.assert(
      fc.property(written, (obj) => {
        const full = SAMPLES.find((s) => s.kind === obj.kind)!;
        const old = admitCreate(full, CREATE);
        if (!old.ok) throw old.error;
        const stored = { ...old.value, metadata: { ...old.value.metadata, resourceVersion: '7' } } as ApiObject;
        const admitted = admitUpdate(stored, obj);
        // Refusals are the update rules' (immutable fields); anything admitted must be valid.
        if (admitted.ok) expect(validate(admitted.value).ok ? [] : validate(admitted.value)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
