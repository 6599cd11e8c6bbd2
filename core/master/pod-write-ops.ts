import { admitServerUpdate, admitUpdate, checkDns1123Subdomain, type ApiObject } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import type { TxnCommand, TxnResult } from '../store/index.js';
import type { BindResult, PodBinding } from './api-protocol.js';
import { atRevision, conflictOrMissing, failure, keyOfRequest } from './api-requests.js';
import { boundPod, updateManyTxn } from './pod-writes.js';
import { updateTxn } from './registry.js';

/** What the pod writes need of the API server: its reads of the local store, ReadIndex, and proposing. */
export interface PodWriteDeps {
  objectAt(key: string): ApiObject | undefined;
  /** The object once the local store has applied at least `revision`. */
  objectAtLeast(key: string, revision: number): Promise<ApiObject | undefined>;
  linearize(stale: boolean | undefined): Promise<void>;
  propose(cmd: TxnCommand): Promise<TxnResult>;
  nowIso(): string;
}

/** How many binds go into one transaction: well inside the store's compare limit and NATS's 1 MiB payload. */
const BINDS_PER_TXN = 200;

/** Attempts of an update-status that names no version, when other writers keep coming in between. */
const STATUS_ATTEMPTS_MAX = 5;

type BindOutcome = BindResult['results'][number];

/** The scheduler's bind and the status subresource, on top of the API server's reads and proposals. */
export function podWriteOps(deps: PodWriteDeps) {
  /** Binds each pod of one chunk; all in one entry when none moved, else each on its own. */
  async function bindChunk(bindings: readonly PodBinding[]): Promise<BindOutcome[]> {
    const nowIso = deps.nowIso();
    const results: (BindOutcome | null)[] = [];
    const updates: { object: ApiObject; expectedRevision: number; at: number; key: string }[] = [];
    for (const b of bindings) {
      try {
        const key = keyOfRequest('Pod', b.namespace, b.name);
        const named = b.resourceVersion === undefined ? undefined : Number(b.resourceVersion);
        const old = named === undefined ? deps.objectAt(key) : await deps.objectAtLeast(key, named);
        if (old === undefined || old.kind !== 'Pod' || old.metadata.uid !== b.uid) throw new ApiError('NOT_FOUND', `${key} (uid ${b.uid}) not found`, { objectKey: key });
        if (old.spec.nodeName !== undefined) throw new ApiError('FAILED_PRECONDITION', `${key} is already bound to ${old.spec.nodeName}`, { objectKey: key });
        if (old.metadata.deletionTimestamp !== undefined) throw new ApiError('FAILED_PRECONDITION', `${key} is being deleted`, { objectKey: key });
        const badName = typeof b.nodeName === 'string' ? checkDns1123Subdomain(b.nodeName) : 'must be a string';
        if (badName !== undefined) throw new ApiError('INVALID_ARGUMENT', `binding of ${b.namespace}/${b.name}: nodeName: ${badName}`, { field: 'nodeName', objectKey: key });
        // The server makes this change from checked inputs: no schema pass (a tenth of the leader's CPU in a burst).
        const admitted = admitServerUpdate(old, boundPod(old, b.nodeName, nowIso));
        if (!admitted.ok) throw admitted.error;
        updates.push({ object: admitted.value, expectedRevision: Number(old.metadata.resourceVersion), at: results.length, key });
        results.push(null);
      } catch (e) {
        results.push({ ok: false, error: failure(e) });
      }
    }
    if (updates.length > 0) {
      const res = await deps.propose(updateManyTxn(updates));
      if (res.succeeded) {
        for (const u of updates) results[u.at] = { ok: true, resourceVersion: String(res.revision) };
      } else {
        // Some pod moved under the scheduler: bind the rest one by one.
        await Promise.all(
          updates.map(async (u) => {
            try {
              const one = await deps.propose(updateTxn(u.object, u.expectedRevision));
              if (!one.succeeded) throw conflictOrMissing(u.key, one, u.expectedRevision);
              results[u.at] = { ok: true, resourceVersion: String(one.revision) };
            } catch (e) {
              results[u.at] = { ok: false, error: failure(e) };
            }
          }),
        );
      }
    }
    return results.map((r) => r ?? { ok: false, error: { code: 'INTERNAL', message: 'bind: no outcome', details: {} } });
  }

  return {
    /** Binds pods to nodes, BINDS_PER_TXN per log entry; one outcome per binding, in order. */
    async bind(bindings: unknown): Promise<BindResult> {
      if (!Array.isArray(bindings)) throw new ApiError('INVALID_ARGUMENT', 'bindings: must be a list', { field: 'bindings' });
      const results: BindOutcome[] = [];
      for (let i = 0; i < bindings.length; i += BINDS_PER_TXN) results.push(...(await bindChunk((bindings as PodBinding[]).slice(i, i + BINDS_PER_TXN))));
      return { results };
    },

    /** Replaces the status of the stored object: at its named version, or at the latest, read again on a conflict. */
    async updateStatus(object: unknown): Promise<ApiObject> {
      const input = object as Partial<ApiObject> | undefined;
      const meta = input?.metadata;
      const key = keyOfRequest(input?.kind, meta?.namespace, meta?.name);
      const status = (input as { status?: unknown } | undefined)?.status;
      const named = meta?.resourceVersion === undefined ? undefined : Number(meta.resourceVersion);
      for (let attempt = 1; ; attempt++) {
        let old: ApiObject | undefined;
        if (named === undefined) {
          // Optimistic: the local copy first, with no ReadIndex round (a
          // stale base only fails the compare); the latest after a conflict,
          // or when the local store does not have the object yet.
          if (attempt > 1 || deps.objectAt(key) === undefined) await deps.linearize(false);
          old = deps.objectAt(key);
        } else {
          old = await deps.objectAtLeast(key, named);
        }
        if (old === undefined) throw new ApiError('NOT_FOUND', `${key} not found`, { objectKey: key });
        if (meta?.uid !== undefined && old.metadata.uid !== meta.uid) {
          if (attempt === 1 && named === undefined) continue; // the local copy may be stale: read the latest
          throw new ApiError('NOT_FOUND', `${key} (uid ${meta.uid}) not found`, { objectKey: key });
        }
        const expected = named ?? Number(old.metadata.resourceVersion);
        const next = { ...old, ...(status === undefined ? {} : { status }) } as ApiObject;
        if (status === undefined) delete (next as { status?: unknown }).status;
        const admitted = admitUpdate(old, next);
        if (!admitted.ok) throw admitted.error;
        const res = await deps.propose(updateTxn(admitted.value, expected));
        if (res.succeeded) return atRevision(admitted.value, res.revision);
        const conflict = conflictOrMissing(key, res, expected);
        if (named !== undefined || conflict.code !== 'ABORTED' || attempt >= STATUS_ATTEMPTS_MAX) throw conflict;
      }
    },
  };
}
