// `drover drain node/n1`: cordon the node, delete every pod on it
// (gracefully: each gets its grace period to stop), and wait until they are
// gone.
import type { Command } from 'commander';
import { WallClock, type Clock } from '../../actors/index.js';
import type { Pod } from '../../core/api/index.js';
import { ApiError } from '../../core/client/index.js';
import { controllerOf } from '../../core/controllers/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { nodeNameOf, setUnschedulable } from './cordon.js';
import { parseDurationOption } from './duration.js';
import { type MakeWorkloadClient, type WorkloadClient } from './workload-client.js';

export interface DrainOptions extends MasterOptions {
  /** `node/n1`, `node n1`, or just `n1`. */
  readonly resource: string;
  readonly name?: string;
  /** How long to wait for the pods to go, e.g. `5m`; absent or `0`: no limit. */
  readonly timeout?: string;
  /** Seconds each pod gets to stop, as typed; absent or `-1`: each pod's own terminationGracePeriodSeconds. */
  readonly gracePeriod?: string;
  /** Stops waiting (Ctrl-C in the binary): exit 1. */
  readonly signal?: AbortSignal;
  /** For the timeout and the polling. Default: the wall clock. */
  readonly clock?: Clock;
  /** How often to look whether the pods are gone. Default 1,000 ms. */
  readonly pollIntervalMs?: number;
}

export const DRAIN_POLL_INTERVAL_MS = 1_000;

/** `namespace/name`, as drain names pods. */
export function podKey(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

/** Those of `deleted` still among `current`: the same pod (by uid), not a new one of the same name. */
export function podsStillThere(deleted: readonly Pod[], current: readonly Pod[]): Pod[] {
  const present = new Set(current.map((p) => p.metadata.uid ?? podKey(p)));
  return deleted.filter((p) => present.has(p.metadata.uid ?? podKey(p)));
}

function gracePeriodOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '-1') return undefined;
  if (!/^\d+$/.test(text.trim())) throw new CliError(`--grace-period: ${JSON.stringify(text)} is not a number of seconds >= 0 (or -1)`, EXIT_USAGE);
  return Number(text);
}

async function podsOn(client: WorkloadClient, nodeName: string): Promise<Pod[]> {
  const page = await client.list('Pod', { allNamespaces: true, fieldSelector: `spec.nodeName=${nodeName}` });
  return page.items.filter((o): o is Pod => o.kind === 'Pod');
}

/** Resolves after `ms`, or at once (false) when `signal` aborts. */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clock.cancelTimer(timer);
      resolve(false);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function runDrain(opts: DrainOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  let nodeName: string;
  let timeoutMs: number;
  let gracePeriodSeconds: number | undefined;
  try {
    nodeName = nodeNameOf(opts.resource, opts.name, 'drain');
    timeoutMs = opts.timeout === undefined ? 0 : parseDurationOption('--timeout', opts.timeout);
    gracePeriodSeconds = gracePeriodOf(opts.gracePeriod);
  } catch (e) {
    return reportFailure(e, io);
  }
  const clock = opts.clock ?? new WallClock();
  const pollMs = opts.pollIntervalMs ?? DRAIN_POLL_INTERVAL_MS;
  return runWithClient(
    opts,
    io,
    async (client) => {
      io.out(await setUnschedulable(client, nodeName, true));
      const deadlineMs = timeoutMs > 0 ? clock.now() + timeoutMs : undefined;
      let waiting = await podsOn(client, nodeName);
      const unmanaged = waiting.filter((p) => p.metadata.deletionTimestamp === undefined && controllerOf(p) === undefined);
      if (unmanaged.length > 0) io.err(`warning: deleting pods that no controller manages (nothing will recreate them): ${unmanaged.map(podKey).join(', ')}`);
      for (const p of waiting) {
        // One already being deleted keeps its own grace period; drain only waits for it.
        if (p.metadata.deletionTimestamp !== undefined) continue;
        io.out(`deleting pod ${podKey(p)}`);
        try {
          await client.delete('Pod', p.metadata.name, {
            namespace: p.metadata.namespace ?? 'default',
            ...(p.metadata.uid !== undefined ? { uid: p.metadata.uid } : {}),
            ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
          });
        } catch (e) {
          // Gone already (or replaced by a new pod of that name, which is not on this node's list).
          if (!(e instanceof ApiError) || e.code !== 'NOT_FOUND') throw e;
        }
      }
      for (;;) {
        const still = podsStillThere(waiting, await podsOn(client, nodeName));
        for (const p of waiting) if (!still.includes(p)) io.out(`pod/${p.metadata.name} deleted`);
        waiting = still;
        if (waiting.length === 0) break;
        const leftMs = deadlineMs === undefined ? pollMs : deadlineMs - clock.now();
        if (leftMs <= 0) {
          throw new CliError(`timed out after ${opts.timeout ?? ''} waiting for ${waiting.length} pod(s) to leave node ${nodeName}: ${waiting.map(podKey).join(', ')}`, EXIT_FAILED);
        }
        if (!(await sleep(clock, Math.min(pollMs, leftMs), opts.signal))) return EXIT_FAILED;
      }
      io.out(`node/${nodeName} drained`);
      return EXIT_OK;
    },
    makeClient,
  );
}

export function registerDrain(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('drain')
    .summary('cordon a node, then delete its pods and wait until they are gone')
    .argument('<node>', 'node/n1, node n1, or n1')
    .argument('[name]', 'the node, when <node> is only the kind')
    .option('--timeout <duration>', 'give up waiting after this long, e.g. 5m (exit 1); 0: no limit', '0')
    .option('--grace-period <seconds>', "seconds each pod gets to stop; -1: the pod's own terminationGracePeriodSeconds", '-1')
    .action(async (resource: string, name: string | undefined, opts: { timeout: string; gracePeriod: string }, cmd: Command) => {
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      const code = await runDrain({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, resource, ...(name !== undefined ? { name } : {}), signal: ac.signal }, io);
      process.off('SIGINT', onSigint);
      done(code);
    });
}
