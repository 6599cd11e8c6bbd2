import type { Command } from 'commander';
import { CliError, EXIT_OK, EXIT_USAGE, namespaceFor, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { parseResourceRef, refText, requireKind } from './resource-ref.js';
import { readModifyWrite, type MakeWorkloadClient } from './workload-client.js';

export interface ScaleOptions extends MasterOptions {
  /** `deployment/web`, or `deployment` with `name`. */
  readonly resource: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The new spec.replicas, as typed (a whole number >= 0). */
  readonly replicas?: string;
}

/** The replicas of `--replicas`, or a usage error. */
export function parseReplicas(text: string | undefined): number {
  if (text === undefined) throw new CliError('scale needs --replicas=<count>', EXIT_USAGE);
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new CliError(`--replicas: ${JSON.stringify(text)} is not a whole number >= 0`, EXIT_USAGE);
  return n;
}

/**
 * `drover scale deployment/web --replicas=5`: sets spec.replicas at the
 * version read (reading again after a conflict) and prints
 * `deployment/web scaled`.
 */
export async function runScale(opts: ScaleOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  let ref;
  let replicas: number;
  try {
    ref = requireKind(parseResourceRef([opts.resource, opts.name]), ['Deployment', 'ReplicaSet'], 'scale');
    replicas = parseReplicas(opts.replicas);
  } catch (e) {
    return reportFailure(e, io);
  }
  const target = ref;
  return runWithClient(
    opts,
    io,
    async (client) => {
      const namespace = namespaceFor(target.kind, opts.namespace);
      await readModifyWrite(client, target.kind, target.name, namespace, (current) =>
        current.spec.replicas === replicas ? { type: 'unchanged' } : { type: 'update', object: { ...current, spec: { ...current.spec, replicas } } },
      );
      io.out(`${refText(target)} scaled`);
      return EXIT_OK;
    },
    makeClient,
  );
}

export function registerScale(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('scale')
    .summary('set the replicas of a deployment or replica set')
    .argument('<resource>', 'deployment/web, or deployment web (also replicaset, rs, deploy)')
    .argument('[name]', 'the object, when <resource> is only its kind')
    .requiredOption('--replicas <count>', 'the new number of replicas')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .action(async (resource: string, name: string | undefined, opts: { replicas: string; namespace?: string }, cmd: Command) => {
      done(await runScale({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, resource, ...(name !== undefined ? { name } : {}) }, io));
    });
}
