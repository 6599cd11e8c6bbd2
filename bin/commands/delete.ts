import type { Command } from 'commander';
import { kindInfo, type Kind } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { collect } from './apply.js';
import { CliError, describeApiError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, kindOf, namespaceFor, reportFailure, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { notFoundMessage } from './get.js';
import { readManifests } from './manifest-sources.js';

export interface DeleteOptions extends MasterOptions {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly filename?: readonly string[];
}

/** `drover delete <kind> <name>` or `-f`: prints `pod "web" deleted`; a missing object is exit 1. */
export async function runDelete(opts: DeleteOptions, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  const byFile = (opts.filename?.length ?? 0) > 0;
  if (byFile === (opts.kind !== undefined)) return reportFailure(new CliError('delete needs <kind> <name> or -f <file>, not both', EXIT_USAGE), io);
  if (!byFile && opts.name === undefined) return reportFailure(new CliError('delete needs a name: delete <kind> <name>', EXIT_USAGE), io);
  return runWithClient(
    opts,
    io,
    async (client) => {
      const targets: { kind: Kind; name: string; namespace: string | undefined }[] = byFile
        ? (await readManifests(opts.filename ?? [], io)).map((o) => ({ kind: o.kind, name: o.metadata.name, namespace: namespaceFor(o.kind, o.metadata.namespace ?? opts.namespace) }))
        : [{ kind: kindOf(opts.kind!), name: opts.name!, namespace: namespaceFor(kindOf(opts.kind!), opts.namespace) }];
      let code = EXIT_OK;
      for (const t of targets) {
        try {
          await client.delete(t.kind, t.name, t.namespace !== undefined ? { namespace: t.namespace } : {});
          io.out(`${t.kind.toLowerCase()} "${t.name}" deleted`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          io.err(e.code === 'NOT_FOUND' ? notFoundMessage(t.kind, t.name, t.namespace) : `${describeApiError(e)}\n  (deleting ${kindInfo(t.kind).plural}/${t.name})`);
          code = EXIT_FAILED;
        }
      }
      return code;
    },
    makeClient,
  );
}

export function registerDelete(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('delete')
    .summary('delete objects by kind and name, or those in manifests')
    .argument('[kind]', 'the kind (pods, deploy, ...)')
    .argument('[name]', 'the object')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .option('-f, --filename <path>', 'delete the objects in a file, a folder or - (repeatable)', collect, [])
    .action(async (kind: string | undefined, name: string | undefined, opts: { namespace?: string; filename: string[] }, cmd: Command) => {
      done(await runDelete({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, ...(kind !== undefined ? { kind } : {}), ...(name !== undefined ? { name } : {}) }, io));
    });
}
