import type { Command } from 'commander';
import { isNamespaced } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { CliError, describeApiError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportFailure, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { readManifests } from './manifest-sources.js';
import { nameOf } from './printers.js';

export interface ApplyOptions extends MasterOptions {
  readonly filename: readonly string[];
  readonly namespace?: string;
}

/** `drover apply -f`: prints `pod/web created|configured|unchanged` per object; exit 1 if any failed. */
export async function runApply(opts: ApplyOptions, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  if (opts.filename.length === 0) return reportFailure(new CliError('apply needs -f <file|folder|->', EXIT_USAGE), io);
  return runWithClient(
    opts,
    io,
    async (client) => {
      const objects = await readManifests(opts.filename, io);
      let code = EXIT_OK;
      for (const o of objects) {
        const obj = opts.namespace && isNamespaced(o.kind) && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: opts.namespace } } : o;
        try {
          const r = await client.apply(obj);
          io.out(`${nameOf(obj)} ${r.action}`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          io.err(`${describeApiError(e)}\n  (applying ${nameOf(obj)})`);
          code = EXIT_FAILED;
        }
      }
      return code;
    },
    makeClient,
  );
}

export function registerApply(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('apply')
    .summary('create or update objects from manifests')
    .description('Create or update objects from manifests: YAML (several documents with ---) or JSON,\nfrom files, folders (their .yaml, .yml and .json files) or - for standard input.')
    .option('-f, --filename <path>', 'a file, a folder or - (repeatable)', collect, [])
    .option('-n, --namespace <ns>', 'namespace for objects that name none')
    .action(async (opts: { filename: string[]; namespace?: string }, cmd: Command) => {
      done(await runApply({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts }, io));
    });
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
