import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { ApiObject } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, kindOf, namespaceFor, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { notFoundMessage } from './get.js';
import { formatAge } from './table.js';

export interface DescribeOptions extends MasterOptions {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

function pairs(record: Readonly<Record<string, string>> | undefined): string {
  const e = Object.entries(record ?? {});
  return e.length === 0 ? '<none>' : e.map(([k, v]) => `${k}=${v}`).join('\n' + ' '.repeat(20));
}

function section(title: string, value: unknown): string {
  if (value === undefined) return '';
  const body = stringify(value).trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
  return `${title}:\n${body}\n`;
}

/** A kubectl-like description: identity and metadata as fields, then spec and status as indented YAML. */
export function describeObject(o: ApiObject, nowMs: number): string {
  const m = o.metadata;
  const field = (k: string, v: string): string => `${`${k}:`.padEnd(20)}${v}\n`;
  let text = field('Name', m.name);
  if (m.namespace) text += field('Namespace', m.namespace);
  text += field('Kind', o.kind);
  text += field('Labels', pairs(m.labels));
  text += field('Annotations', pairs(m.annotations));
  text += field('UID', m.uid ?? '<none>');
  text += field('ResourceVersion', m.resourceVersion ?? '<none>');
  text += field('Created', m.creationTimestamp ? `${m.creationTimestamp} (${formatAge(m.creationTimestamp, nowMs)} ago)` : '<unknown>');
  if (m.ownerReferences?.length) text += field('Controlled By', m.ownerReferences.map((r) => `${r.kind}/${r.name}`).join(', '));
  const rest = o as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(rest)) {
    if (['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    text += section(key[0]!.toUpperCase() + key.slice(1), value);
  }
  return text.trimEnd();
}

export async function runDescribe(opts: DescribeOptions, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  return runWithClient(
    opts,
    io,
    async (client) => {
      const kind = kindOf(opts.kind);
      const namespace = namespaceFor(kind, opts.namespace);
      try {
        io.out(describeObject(await client.get(kind, opts.name, namespace !== undefined ? { namespace } : {}), io.now()));
        return EXIT_OK;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new CliError(notFoundMessage(kind, opts.name, namespace), EXIT_FAILED);
        throw e;
      }
    },
    makeClient,
  );
}

export function registerDescribe(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('describe')
    .summary('show one object in detail')
    .argument('<kind>', 'the kind (pods, deploy, ...)')
    .argument('<name>', 'the object')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .action(async (kind: string, name: string, opts: { namespace?: string }, cmd: Command) => {
      done(await runDescribe({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, kind, name }, io));
    });
}
