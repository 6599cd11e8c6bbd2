// What the workload commands (scale, rollout, cordon, drain, logs) share:
// the part of the client they use, and reads and writes that turn the
// expected failures into messages.
import type { Kind, ObjectOfKind } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { CliError, EXIT_FAILED } from './context.js';
import { notFoundMessage } from './get.js';

/** What the workload commands use of a DroverClient (tests pass an in-memory one). */
export type WorkloadClient = Pick<DroverClient, 'get' | 'list' | 'update' | 'delete' | 'watch' | 'close'>;

/** Opens a client to the masters; default a DroverClient. */
export type MakeWorkloadClient = (masters: string[]) => WorkloadClient;

/** The object, or a CliError saying it is not found (exit 1). */
export async function getObject<K extends Kind>(client: WorkloadClient, kind: K, name: string, namespace: string | undefined): Promise<ObjectOfKind<K>> {
  try {
    return await client.get(kind, name, namespace !== undefined ? { namespace } : {});
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new CliError(notFoundMessage(kind, name, namespace), EXIT_FAILED);
    throw e;
  }
}

/** What a read-modify-write makes of the object it read: a new version of it (built from it, so at its resourceVersion), or nothing to do. */
export type Change<T> = { readonly type: 'update'; readonly object: T } | { readonly type: 'unchanged' };

export type WriteOutcome<T> = { readonly type: 'updated' | 'unchanged'; readonly object: T };

/** How often a write that conflicts with another writer is read and tried again. */
export const CONFLICT_ATTEMPTS_MAX = 5;

/**
 * Reads the object, asks `change` what it should become and updates it at
 * the version read. When another writer came in between (ABORTED), reads
 * again and asks again, up to `attemptsMax` times in all. `change` may throw
 * a CliError to refuse (a paused rollout cannot be undone).
 */
export async function readModifyWrite<K extends Kind>(
  client: WorkloadClient,
  kind: K,
  name: string,
  namespace: string | undefined,
  change: (current: ObjectOfKind<K>) => Change<ObjectOfKind<K>>,
  attemptsMax = CONFLICT_ATTEMPTS_MAX,
): Promise<WriteOutcome<ObjectOfKind<K>>> {
  for (let attempt = 1; ; attempt++) {
    const current = await getObject(client, kind, name, namespace);
    const c = change(current);
    if (c.type === 'unchanged') return { type: 'unchanged', object: current };
    try {
      return { type: 'updated', object: await client.update(c.object) };
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'ABORTED') throw e;
      if (attempt >= attemptsMax) {
        throw new CliError(`${kind.toLowerCase()}/${name} kept changing while being updated; gave up after ${attempt} attempts (${e.message})`, EXIT_FAILED);
      }
    }
  }
}
