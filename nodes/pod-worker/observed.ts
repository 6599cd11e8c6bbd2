// The worker's view of its pod's containers, updated from what the runtime
// says (start results, listings, inspections) and from exit notices. Exit
// notices and listings race each other, so a container never goes back from
// exited to running here.

import type { ContainerExit, ContainerInfo } from '../runtime/index.js';

/** The container as it is after `exit`. */
export function withExit(info: ContainerInfo, exit: ContainerExit): ContainerInfo {
  if (info.state === 'exited' && info.exitCode !== undefined) return info;
  const { signal: _signal, ...rest } = info;
  return {
    ...rest,
    state: 'exited',
    exitCode: exit.exitCode,
    finishedAtMs: exit.finishedAtMs,
    ...(exit.signal !== undefined ? { signal: exit.signal } : {}),
  };
}

/** The newer of what was known and what was just seen, by state (created < running < exited), ties to what was seen. */
export function mergeInfo(known: ContainerInfo | undefined, seen: ContainerInfo): ContainerInfo {
  if (known === undefined) return seen;
  const rank = { created: 0, running: 1, exited: 2 } as const;
  return rank[known.state] > rank[seen.state] ? known : seen;
}

/**
 * The view after a listing of the pod's containers: what is listed (merged
 * with what was known, and with exits noticed before the container was
 * known); what is not listed is gone.
 */
export function mergeListing(
  known: ReadonlyMap<string, ContainerInfo>,
  listed: readonly ContainerInfo[],
  exits: ReadonlyMap<string, ContainerExit>,
): Map<string, ContainerInfo> {
  const out = new Map<string, ContainerInfo>();
  for (const seen of listed) out.set(seen.id, observe(known.get(seen.id), seen, exits));
  return out;
}

/** What is known of a container after seeing `seen`, given the exits noticed so far. */
export function observe(known: ContainerInfo | undefined, seen: ContainerInfo, exits: ReadonlyMap<string, ContainerExit>): ContainerInfo {
  const merged = mergeInfo(known, seen);
  const exit = exits.get(seen.id);
  return exit !== undefined && merged.state !== 'exited' ? withExit(merged, exit) : merged;
}
