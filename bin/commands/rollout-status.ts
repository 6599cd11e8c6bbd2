// `drover rollout status deployment/web`: prints where the rollout stands,
// a new line each time that changes, until it is done, stuck (its progress
// deadline passed) or --timeout runs out.
import { WallClock, type Clock, type TimerHandle } from '../../actors/index.js';
import { formatSelector, type Deployment, type ReplicaSet } from '../../core/api/index.js';
import { ApiError, type WatchHandle } from '../../core/client/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, namespaceFor, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { parseDurationOption } from './duration.js';
import { notFoundMessage } from './get.js';
import { parseResourceRef, requireKind } from './resource-ref.js';
import { RolloutTracker } from './rollout-tracker.js';
import { type MakeWorkloadClient, type WorkloadClient } from './workload-client.js';

export interface RolloutStatusOptions extends MasterOptions {
  /** `deployment/web`, or `deployment` with `name`. */
  readonly resource: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Default true: watch until the rollout ends; false: print the status once. */
  readonly watch?: boolean;
  /** How long to watch, e.g. `5m`; absent or `0`: no limit. */
  readonly timeout?: string;
  /** Stops watching (Ctrl-C in the binary): exit 1. */
  readonly signal?: AbortSignal;
  /** For the timeout. Default: the wall clock. */
  readonly clock?: Clock;
}

/** How one round of watching ended. */
type WatchOutcome =
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'deleted' }
  | { readonly type: 'timeout' }
  | { readonly type: 'aborted' }
  /** A watch could not resume (its revision was compacted): read again and watch from there. */
  | { readonly type: 'resync' };

interface Snapshot {
  readonly deployment: Deployment;
  readonly replicaSets: readonly ReplicaSet[];
  /** The Deployment's label selector, in its string form ('' when it selects everything). */
  readonly replicaSetSelector: string;
  readonly deploymentRevision: string;
  readonly replicaSetRevision: string;
}

export async function runRolloutStatus(opts: RolloutStatusOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  let ref;
  let timeoutMs: number;
  try {
    ref = requireKind(parseResourceRef([opts.resource, opts.name]), ['Deployment'], 'rollout status');
    timeoutMs = opts.timeout === undefined ? 0 : parseDurationOption('--timeout', opts.timeout);
  } catch (e) {
    return reportFailure(e, io);
  }
  const name = ref.name;
  const clock = opts.clock ?? new WallClock();
  const deadlineMs = timeoutMs > 0 ? clock.now() + timeoutMs : undefined;
  return runWithClient(
    opts,
    io,
    async (client) => {
      const namespace = namespaceFor('Deployment', opts.namespace) ?? 'default';
      let tracker: RolloutTracker | undefined;
      for (;;) {
        const snap = await readSnapshot(client, name, namespace);
        if (tracker === undefined) tracker = new RolloutTracker(snap.deployment, snap.replicaSets);
        else tracker.resync(snap.deployment, snap.replicaSets);
        const step = tracker.step();
        if (step?.status.type === 'failed') throw new CliError(step.status.message, EXIT_FAILED);
        if (step?.line !== undefined) io.out(step.line);
        if (step?.status.type === 'done' || opts.watch === false) return EXIT_OK;
        const outcome = await watchRollout(client, tracker, snap, { name, namespace, clock, deadlineMs, signal: opts.signal, print: (l) => io.out(l) });
        switch (outcome.type) {
          case 'done':
            return EXIT_OK;
          case 'failed':
            throw new CliError(outcome.message, EXIT_FAILED);
          case 'deleted':
            throw new CliError(`deployment "${name}" was deleted during its rollout`, EXIT_FAILED);
          case 'timeout':
            throw new CliError(`timed out after ${opts.timeout ?? ''} waiting for deployment "${name}" to roll out`, EXIT_FAILED);
          case 'aborted':
            return EXIT_FAILED;
          case 'resync':
            continue;
        }
      }
    },
    makeClient,
  );
}

/** The Deployment and the ReplicaSets its selector matches, with the revisions to watch them from. */
async function readSnapshot(client: WorkloadClient, name: string, namespace: string): Promise<Snapshot> {
  const deployments = await client.list('Deployment', { namespace, fieldSelector: `metadata.name=${name}` });
  const deployment = deployments.items.find((o): o is Deployment => o.kind === 'Deployment' && o.metadata.name === name);
  if (deployment === undefined) throw new CliError(notFoundMessage('Deployment', name, namespace), EXIT_FAILED);
  // The Deployment's sets carry its template's labels, which its selector matches: no need to read the namespace's others.
  const selector = formatSelector(deployment.spec.selector);
  const sets = await client.list('ReplicaSet', { namespace, ...(selector ? { selector } : {}) });
  return {
    deployment,
    replicaSetSelector: selector,
    replicaSets: sets.items.filter((o): o is ReplicaSet => o.kind === 'ReplicaSet'),
    deploymentRevision: deployments.resourceVersion,
    replicaSetRevision: sets.resourceVersion,
  };
}

interface WatchParams {
  readonly name: string;
  readonly namespace: string;
  readonly clock: Clock;
  readonly deadlineMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly print: (line: string) => void;
}

/** Watches the Deployment and the ReplicaSets from the snapshot's revisions until the rollout ends one way or another. */
function watchRollout(client: WorkloadClient, tracker: RolloutTracker, snap: Snapshot, p: WatchParams): Promise<WatchOutcome> {
  return new Promise<WatchOutcome>((resolve, reject) => {
    const handles: WatchHandle[] = [];
    let settled = false;
    let timer: TimerHandle | undefined;
    const onAbort = (): void => finish({ type: 'aborted' });
    const finish = (outcome: WatchOutcome | Error): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) p.clock.cancelTimer(timer);
      p.signal?.removeEventListener('abort', onAbort);
      for (const h of handles) h.cancel();
      // Answer once both streams are closed, so the client closes on quiet connections.
      void Promise.allSettled(handles.map((h) => h.done)).then(() => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
    };
    const changed = (): void => {
      const step = tracker.step();
      if (step === undefined) return finish({ type: 'deleted' });
      if (step.status.type === 'failed') return finish({ type: 'failed', message: step.status.message });
      if (step.line !== undefined) p.print(step.line);
      if (step.status.type === 'done') finish({ type: 'done' });
    };
    const ended = (e?: unknown): void => {
      if (settled) return;
      if (e === undefined || (e instanceof ApiError && e.code === 'FAILED_PRECONDITION')) finish({ type: 'resync' });
      else finish(e instanceof Error ? e : new Error(String(e)));
    };
    handles.push(
      client.watch('Deployment', { namespace: p.namespace, fieldSelector: `metadata.name=${p.name}`, resourceVersion: snap.deploymentRevision }, (ev) => {
        if (settled || ev.object.kind !== 'Deployment' || ev.object.metadata.name !== p.name) return;
        tracker.deploymentChanged(ev.type, ev.object);
        changed();
      }),
      client.watch('ReplicaSet', { namespace: p.namespace, ...(snap.replicaSetSelector ? { selector: snap.replicaSetSelector } : {}), resourceVersion: snap.replicaSetRevision }, (ev) => {
        if (settled || ev.object.kind !== 'ReplicaSet') return;
        tracker.replicaSetChanged(ev.type, ev.object);
        changed();
      }),
    );
    for (const h of handles) h.done.then(() => ended(), ended);
    if (p.deadlineMs !== undefined) timer = p.clock.setTimer(Math.max(0, p.deadlineMs - p.clock.now()), () => finish({ type: 'timeout' }));
    if (p.signal?.aborted) onAbort();
    else p.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
