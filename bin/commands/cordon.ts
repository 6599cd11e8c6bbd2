// `drover cordon|uncordon node/n1`: mark a node (un)schedulable;
// drain.ts builds on them.
import type { Command } from 'commander';
import type { Node } from '../../core/api/index.js';
import { EXIT_OK, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { parseResourceRef, requireKind } from './resource-ref.js';
import { readModifyWrite, type MakeWorkloadClient, type WorkloadClient } from './workload-client.js';

export interface CordonOptions extends MasterOptions {
  /** `node/n1`, `node n1`, or just `n1`. */
  readonly resource: string;
  readonly name?: string;
  /** True: cordon (no new pods); false: uncordon. */
  readonly unschedulable: boolean;
}

/** The node's name from `node/n1`, `node n1` or `n1`; a usage error for another kind. */
export function nodeNameOf(resource: string, name: string | undefined, command: string): string {
  return requireKind(parseResourceRef([resource, name], 'Node'), ['Node'], command).name;
}

/** `node` with spec.unschedulable set, or (schedulable being the default) left out. */
export function withUnschedulable(node: Node, unschedulable: boolean): Node {
  const { unschedulable: _old, ...spec } = node.spec ?? {};
  const next = unschedulable ? { ...spec, unschedulable: true } : spec;
  const { spec: _spec, ...rest } = node;
  return { ...rest, ...(Object.keys(next).length > 0 ? { spec: next } : {}) };
}

/** Sets the node's spec.unschedulable; the line to print (`node/n1 cordoned`, `node/n1 already cordoned`). */
export async function setUnschedulable(client: WorkloadClient, nodeName: string, unschedulable: boolean): Promise<string> {
  const outcome = await readModifyWrite(client, 'Node', nodeName, undefined, (node) =>
    (node.spec?.unschedulable === true) === unschedulable ? { type: 'unchanged' } : { type: 'update', object: withUnschedulable(node, unschedulable) },
  );
  const state = unschedulable ? 'cordoned' : 'uncordoned';
  return outcome.type === 'updated' ? `node/${nodeName} ${state}` : `node/${nodeName} already ${state}`;
}

export async function runCordon(opts: CordonOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  let nodeName: string;
  try {
    nodeName = nodeNameOf(opts.resource, opts.name, opts.unschedulable ? 'cordon' : 'uncordon');
  } catch (e) {
    return reportFailure(e, io);
  }
  return runWithClient(
    opts,
    io,
    async (client) => {
      io.out(await setUnschedulable(client, nodeName, opts.unschedulable));
      return EXIT_OK;
    },
    makeClient,
  );
}

/** Registers cordon and uncordon. */
export function registerCordon(program: Command, io: CliIo, done: (code: number) => void, usageExit: (c: Command) => Command): void {
  for (const unschedulable of [true, false]) {
    usageExit(
      program
        .command(unschedulable ? 'cordon' : 'uncordon')
        .summary(unschedulable ? 'keep new pods off a node' : 'let new pods onto a node again')
        .argument('<node>', 'node/n1, node n1, or n1')
        .argument('[name]', 'the node, when <node> is only the kind')
        .action(async (resource: string, name: string | undefined, _opts: object, cmd: Command) => {
          done(await runCordon({ ...(cmd.optsWithGlobals() as MasterOptions), resource, ...(name !== undefined ? { name } : {}), unschedulable }, io));
        }),
    );
  }
}
