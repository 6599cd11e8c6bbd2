import type { Command } from 'commander';
import { kindInfo, type ApiObject, type Kind } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, kindOf, namespaceFor, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { columnsFor } from './columns.js';
import { columnWidths, formatRow } from './table.js';
import { isOutputFormat, nameOf, OUTPUT_FORMATS, printObjects, type OutputFormat } from './printers.js';

export interface GetOptions extends MasterOptions {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly selector?: string;
  readonly output?: string;
  readonly watch?: boolean;
  /** Ends `--watch` (Ctrl-C in the binary). */
  readonly signal?: AbortSignal;
}

export function notFoundMessage(kind: Kind, name: string, namespace: string | undefined): string {
  return `error: ${kindInfo(kind).plural} "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`;
}

/** `drover get <kind> [name]`: a table, or -o yaml|json|wide|name; -w keeps printing changes. */
export async function runGet(opts: GetOptions, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  return runWithClient(
    opts,
    io,
    async (client) => {
      const kind = kindOf(opts.kind);
      const format: OutputFormat = opts.output === undefined ? 'table' : isOutputFormat(opts.output) && opts.output !== 'table' ? opts.output : usage(`-o must be one of ${OUTPUT_FORMATS.slice(1).join(', ')}`);
      if (opts.name !== undefined && (opts.allNamespaces || opts.selector)) usage('a name cannot go with -A or -l');
      const namespace = opts.allNamespaces ? undefined : namespaceFor(kind, opts.namespace);
      const allNamespaces = Boolean(opts.allNamespaces) && kindInfo(kind).namespaced;
      const print = (objects: ApiObject[], single: boolean): void => {
        const text = printObjects(kind, objects, format, { single, allNamespaces, nowMs: io.now() });
        if (text) io.out(text);
      };

      let objects: ApiObject[];
      let revision: string;
      if (opts.name !== undefined) {
        try {
          const o = await client.get(kind, opts.name, namespace !== undefined ? { namespace } : {});
          objects = [o];
          revision = o.metadata.resourceVersion ?? '0';
        } catch (e) {
          if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new CliError(notFoundMessage(kind, opts.name, namespace), EXIT_FAILED);
          throw e;
        }
      } else {
        objects = [];
        revision = '0';
        const listOpts = { ...(namespace !== undefined ? { namespace } : {}), ...(opts.allNamespaces ? { allNamespaces: true } : {}), ...(opts.selector ? { selector: opts.selector } : {}), limit: 500 };
        for await (const page of client.listPages(kind, listOpts)) {
          objects.push(...page.items);
          if (revision === '0') revision = page.resourceVersion;
        }
      }
      if (objects.length === 0 && (format === 'table' || format === 'wide') && !opts.watch) {
        io.err(allNamespaces || !kindInfo(kind).namespaced ? 'No resources found' : `No resources found in ${namespace ?? 'default'} namespace.`);
      } else {
        print(objects, opts.name !== undefined && !opts.watch);
      }
      if (!opts.watch) return EXIT_OK;
      return watchAndPrint(client, kind, objects, { ...opts, format, revision, namespace, allNamespaces }, io);
    },
    makeClient,
  );
}

async function watchAndPrint(
  client: DroverClient,
  kind: Kind,
  listed: readonly ApiObject[],
  o: Omit<GetOptions, 'namespace'> & { format: OutputFormat; revision: string; namespace: string | undefined; allNamespaces: boolean },
  io: CliIo,
): Promise<number> {
  const cols = columnsFor(kind, { wide: o.format === 'wide', withNamespace: o.allNamespaces });
  // Rows that come later line up with the table printed first (or with a header printed with the first row).
  const widths = columnWidths(cols.headers, listed.map((x) => cols.row(x, io.now())));
  let headerPrinted = listed.length > 0;
  const w = client.watch(kind, { ...(o.namespace !== undefined ? { namespace: o.namespace } : {}), ...(o.selector ? { selector: o.selector } : {}), resourceVersion: o.revision }, (ev) => {
    if (o.name !== undefined && ev.object.metadata.name !== o.name) return;
    if (o.format === 'table' || o.format === 'wide') {
      if (!headerPrinted) io.out(formatRow(cols.headers, widths));
      headerPrinted = true;
      io.out(formatRow(cols.row(ev.object, io.now()), widths) + (ev.type === 'DELETED' ? '   (deleted)' : ''));
    } else if (o.format === 'name') io.out(nameOf(ev.object));
    else io.out(printObjects(kind, [ev.object], o.format, { single: true, allNamespaces: o.allNamespaces, nowMs: io.now() }) + (o.format === 'yaml' ? '\n---' : ''));
  });
  o.signal?.addEventListener('abort', () => w.cancel(), { once: true });
  await w.done;
  return EXIT_OK;
}

function usage(message: string): never {
  throw new CliError(message, EXIT_USAGE);
}

export function registerGet(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('get')
    .summary('list objects, or show one')
    .argument('<kind>', 'pods (po), deployments (deploy), replicasets (rs), services (svc), nodes (no), namespaces (ns), endpoints (ep), events (ev)')
    .argument('[name]', 'one object')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-l, --selector <selector>', 'a label selector, e.g. app=web,tier!=db')
    .option('-o, --output <format>', 'yaml, json, wide or name')
    .option('-w, --watch', 'after printing, keep printing changes (Ctrl-C ends)')
    .action(async (kind: string, name: string | undefined, opts: Omit<GetOptions, 'kind' | 'name'>, cmd: Command) => {
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      const code = await runGet({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, kind, ...(name !== undefined ? { name } : {}), signal: ac.signal }, io);
      process.off('SIGINT', onSigint);
      done(code);
    });
}
