import { isUnchanged, systemAnnotations, type ApiObject } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import type { ApplyResult } from './api-protocol.js';

/** Reads of `apply`: the ABORTED, ALREADY_EXISTS or NOT_FOUND of a writer in between makes it read again, this often. */
export const APPLY_ATTEMPTS_MAX = 5;

/** What apply needs: the object as stored now (after a linearizable read), and the two writes. */
export interface ApplyOps {
  current(): Promise<ApiObject | undefined>;
  create(object: ApiObject): Promise<ApiObject>;
  update(object: ApiObject): Promise<ApiObject>;
}

const RETRIED = new Set(['ABORTED', 'ALREADY_EXISTS', 'NOT_FOUND']);

/**
 * Creates `desired` (as a manifest writes it), or updates the stored object
 * to match it at the version just read, or leaves it as it is (isUnchanged):
 * kubectl apply's outcome in one call. Status the manifest leaves out is
 * kept. Idempotent, so a client may retry it after an unknown outcome.
 */
export async function applyObject(desired: ApiObject, ops: ApplyOps, attemptsMax = APPLY_ATTEMPTS_MAX): Promise<ApplyResult> {
  let last: ApiError | undefined;
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const current = await ops.current();
    try {
      if (current === undefined) return { action: 'created', object: await ops.create(desired) };
      if (isUnchanged(desired, current)) return { action: 'unchanged', object: current };
      // The controllers' annotations survive an apply that does not name them.
      const kept = systemAnnotations(current.metadata.annotations, desired.metadata.annotations);
      const annotations = { ...kept, ...desired.metadata.annotations };
      const next = {
        ...desired,
        ...('status' in current && !('status' in desired) ? { status: current.status } : {}),
        metadata: {
          ...desired.metadata,
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
          namespace: current.metadata.namespace,
          resourceVersion: current.metadata.resourceVersion,
        },
      } as ApiObject;
      return { action: 'configured', object: await ops.update(next) };
    } catch (e) {
      if (!(e instanceof ApiError) || !RETRIED.has(e.code)) throw e;
      last = e;
    }
  }
  throw last ?? new ApiError('ABORTED', `apply ${desired.kind} ${desired.metadata.name}: gave up`);
}
