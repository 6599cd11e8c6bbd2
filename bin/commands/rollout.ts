// `drover rollout status|history|undo|pause|resume deployment/web`.
import { InvalidArgumentError, type Command } from 'commander';
import type { Deployment, ObjectMeta, ReplicaSet } from '../../core/api/index.js';
import { rollbackTarget, type RollbackTarget } from '../../core/controllers/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, namespaceFor, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { parseResourceRef, requireKind, type ResourceRef } from './resource-ref.js';
import { CHANGE_CAUSE_ANNOTATION, formatHistory, formatRevision, revisionTemplate, rolloutHistory } from './rollout-history.js';
import { runRolloutStatus, type RolloutStatusOptions } from './rollout-status.js';
import { getObject, readModifyWrite, type MakeWorkloadClient, type WorkloadClient } from './workload-client.js';

export interface RolloutOptions extends MasterOptions {
  /** `deployment/web`, or `deployment` with `name`. */
  readonly resource: string;
  readonly name?: string;
  readonly namespace?: string;
}

export interface RolloutHistoryOptions extends RolloutOptions {
  /** Show this revision's pod template instead of the table. */
  readonly revision?: number;
}

export interface RolloutUndoOptions extends RolloutOptions {
  /** The revision to go back to; absent (or 0, as kubectl takes it): the one before the current template. */
  readonly toRevision?: number;
}

/** The Deployment a rollout command names, or a usage error (exit 2). */
function deploymentRef(opts: RolloutOptions, verb: string): ResourceRef & { readonly kind: 'Deployment' } {
  return requireKind(parseResourceRef([opts.resource, opts.name]), ['Deployment'], `rollout ${verb}`);
}

async function replicaSetsIn(client: WorkloadClient, namespace: string | undefined): Promise<ReplicaSet[]> {
  const page = await client.list('ReplicaSet', namespace !== undefined ? { namespace } : {});
  return page.items.filter((o): o is ReplicaSet => o.kind === 'ReplicaSet');
}

/** Runs `body` with the named Deployment's ref and namespace; usage errors before any client is made. */
async function withDeployment(
  opts: RolloutOptions,
  verb: string,
  io: CliIo,
  makeClient: MakeWorkloadClient | undefined,
  body: (client: WorkloadClient, name: string, namespace: string | undefined) => Promise<number>,
): Promise<number> {
  let ref;
  try {
    ref = deploymentRef(opts, verb);
  } catch (e) {
    return reportFailure(e, io);
  }
  const name = ref.name;
  return runWithClient(opts, io, (client) => body(client, name, namespaceFor('Deployment', opts.namespace)), makeClient);
}

/** `rollout history`: REVISION / CHANGE-CAUSE, or with `revision` that revision's pod template. */
export async function runRolloutHistory(opts: RolloutHistoryOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  return withDeployment(opts, 'history', io, makeClient, async (client, name, namespace) => {
    const deployment = await getObject(client, 'Deployment', name, namespace);
    const entries = rolloutHistory(deployment, await replicaSetsIn(client, namespace));
    if (opts.revision === undefined) {
      io.out(formatHistory(deployment, entries));
      return EXIT_OK;
    }
    const template = revisionTemplate(entries, opts.revision);
    if (template === undefined) {
      const known = entries.map((e) => e.revision).join(', ');
      throw new CliError(`deployment "${name}" has no revision ${opts.revision}${known ? ` (known: ${known})` : ''}`, EXIT_FAILED);
    }
    io.out(formatRevision(deployment, opts.revision, template));
    return EXIT_OK;
  });
}

/** The metadata of a Deployment rolled back to `target`: the change cause becomes the target set's (or none), since the old one was about another template. */
function metadataRolledBackTo(meta: ObjectMeta, replicaSets: readonly ReplicaSet[], target: RollbackTarget): ObjectMeta {
  const cause = replicaSets.find((rs) => rs.metadata.name === target.replicaSetName)?.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
  const { [CHANGE_CAUSE_ANNOTATION]: _old, ...others } = meta.annotations ?? {};
  const annotations = cause !== undefined ? { ...others, [CHANGE_CAUSE_ANNOTATION]: cause } : others;
  const { annotations: _annotations, ...rest } = meta;
  return { ...rest, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
}

/**
 * `rollout undo`: writes the template of the previous revision (or of
 * `toRevision`) into the Deployment at the version read; the controller then
 * rolls forward to it. Prints `deployment/web rolled back`.
 */
export async function runRolloutUndo(opts: RolloutUndoOptions, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  return withDeployment(opts, 'undo', io, makeClient, async (client, name, namespace) => {
    const replicaSets = await replicaSetsIn(client, namespace);
    let skipped: RollbackTarget | undefined;
    const outcome = await readModifyWrite(client, 'Deployment', name, namespace, (d: Deployment) => {
      if (d.spec.paused === true) throw new CliError(`deployment "${name}" is paused: resume it first (drover rollout resume deployment/${name}), then undo`, EXIT_FAILED);
      const target = rollbackTarget(d, replicaSets, opts.toRevision === 0 ? undefined : opts.toRevision);
      if (!target.ok) throw new CliError(target.error.message, EXIT_FAILED);
      skipped = target.value.isCurrent ? target.value : undefined;
      if (skipped !== undefined) return { type: 'unchanged' };
      return { type: 'update', object: { ...d, metadata: metadataRolledBackTo(d.metadata, replicaSets, target.value), spec: { ...d.spec, template: target.value.template } } };
    });
    if (outcome.type === 'unchanged' && skipped !== undefined) io.out(`deployment/${name} skipped rollback (current template already matches revision ${skipped.revision})`);
    else io.out(`deployment/${name} rolled back`);
    return EXIT_OK;
  });
}

/** `rollout pause` / `rollout resume`: sets spec.paused; says so when it already was. */
export async function runRolloutPause(opts: RolloutOptions & { readonly paused: boolean }, io: CliIo, makeClient?: MakeWorkloadClient): Promise<number> {
  const verb = opts.paused ? 'pause' : 'resume';
  return withDeployment(opts, verb, io, makeClient, async (client, name, namespace) => {
    const outcome = await readModifyWrite(client, 'Deployment', name, namespace, (d: Deployment) => {
      if ((d.spec.paused === true) === opts.paused) return { type: 'unchanged' };
      // Resumed is the default: the field is left out rather than set to false.
      const { paused: _paused, ...spec } = d.spec;
      return { type: 'update', object: { ...d, spec: opts.paused ? { ...spec, paused: true } : spec } };
    });
    const state = opts.paused ? 'paused' : 'resumed';
    io.out(outcome.type === 'updated' ? `deployment/${name} ${state}` : `deployment/${name} is already ${state}`);
    return EXIT_OK;
  });
}

function revisionNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a revision number >= 1');
  return n;
}

function revisionOrPrevious(value: string): number {
  return value === '0' ? 0 : revisionNumber(value);
}

function booleanFlag(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('expected true or false');
}

export function registerRollout(program: Command, io: CliIo, done: (code: number) => void, usageExit: (c: Command) => Command): Command {
  const rollout = usageExit(program.command('rollout').summary("manage a deployment's rollout: status, history, undo, pause, resume"));
  const target = (c: Command): Command =>
    c.argument('<resource>', 'deployment/web, or deployment web').argument('[name]', 'the deployment, when <resource> is only its kind').option('-n, --namespace <ns>', 'the namespace (default: default)');
  const named = <O extends object>(resource: string, name: string | undefined, opts: O, cmd: Command): RolloutOptions & O => ({
    ...(cmd.optsWithGlobals() as MasterOptions),
    ...opts,
    resource,
    ...(name !== undefined ? { name } : {}),
  });

  usageExit(
    target(rollout.command('status').summary('watch a rollout until it finishes'))
      .option('-w, --watch [bool]', 'keep watching until the rollout ends (--watch=false: print the status once)', booleanFlag, true)
      .option('--timeout <duration>', 'give up after this long, e.g. 5m (exit 1); 0: no limit')
      .action(async (resource: string, name: string | undefined, opts: { watch: boolean; timeout?: string }, cmd: Command) => {
        const ac = new AbortController();
        const onSigint = (): void => ac.abort();
        process.once('SIGINT', onSigint);
        const code = await runRolloutStatus({ ...named(resource, name, opts, cmd), signal: ac.signal } satisfies RolloutStatusOptions, io);
        process.off('SIGINT', onSigint);
        done(code);
      }),
  );
  usageExit(
    target(rollout.command('history').summary('list the revisions of a deployment'))
      .option('--revision <n>', "show this revision's pod template", revisionNumber)
      .action(async (resource: string, name: string | undefined, opts: { revision?: number }, cmd: Command) => {
        done(await runRolloutHistory(named(resource, name, opts, cmd), io));
      }),
  );
  usageExit(
    target(rollout.command('undo').summary('roll a deployment back to an earlier revision'))
      .option('--to-revision <n>', 'the revision to go back to (default, or 0: the previous one)', revisionOrPrevious)
      .action(async (resource: string, name: string | undefined, opts: { toRevision?: number }, cmd: Command) => {
        done(await runRolloutUndo(named(resource, name, opts, cmd), io));
      }),
  );
  for (const paused of [true, false]) {
    usageExit(
      target(rollout.command(paused ? 'pause' : 'resume').summary(paused ? 'stop rolling out template changes' : 'roll out template changes again'))
        .action(async (resource: string, name: string | undefined, opts: object, cmd: Command) => {
          done(await runRolloutPause({ ...named(resource, name, opts, cmd), paused }, io));
        }),
    );
  }
  return rollout;
}

