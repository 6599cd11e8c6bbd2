import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { ApiObject } from '../../core/api/index.js';
import { ApiError, type DroverClient } from '../../core/client/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, namespaceFor, reportFailure, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { eventsAbout, eventSelectorFor, formatEventsSection } from './describe-events.js';
import { notFoundMessage } from './get.js';
import { parseResourceRef, type ResourceRef } from './resource-ref.js';
import { formatAge } from './table.js';

export interface DescribeOptions extends MasterOptions {
  /** The kind (`pod`), or the object as `pod/web`. */
  readonly kind: string;
  /** The object, when `kind` is only the kind. */
  readonly name?: string;
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

/** The Events section for `o`: the Events in its namespace (`default` for cluster-scoped objects) that are about it. */
async function eventsSection(client: DroverClient, o: ApiObject, nowMs: number): Promise<string> {
  try {
    const page = await client.list('Event', { namespace: o.metadata.namespace ?? 'default', fieldSelector: eventSelectorFor(o) });
    return formatEventsSection(eventsAbout(o, page.items), nowMs);
  } catch (e) {
    // The object was read; not being able to read its Events should not hide it.
    if (e instanceof ApiError) return formatEventsSection([], nowMs, e.message);
    throw e;
  }
}

/** `drover describe pod/web` (or `pod web`): the object in detail, then its Events. */
export async function runDescribe(opts: DescribeOptions, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  let ref: ResourceRef;
  try {
    ref = parseResourceRef([opts.kind, opts.name]);
  } catch (e) {
    return reportFailure(e, io);
  }
  return runWithClient(
    opts,
    io,
    async (client) => {
      const namespace = namespaceFor(ref.kind, opts.namespace);
      let o: ApiObject;
      try {
        o = await client.get(ref.kind, ref.name, namespace !== undefined ? { namespace } : {});
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new CliError(notFoundMessage(ref.kind, ref.name, namespace), EXIT_FAILED);
        throw e;
      }
      const nowMs = io.now();
      io.out(`${describeObject(o, nowMs)}\n${await eventsSection(client, o, nowMs)}`);
      return EXIT_OK;
    },
    makeClient,
  );
}

export function registerDescribe(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('describe')
    .summary('show one object in detail')
    .argument('<kind>', 'the object as pod/web, or the kind (pods, deploy, ...)')
    .argument('[name]', 'the object, when <kind> is only the kind')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .action(async (kind: string, name: string | undefined, opts: { namespace?: string }, cmd: Command) => {
      done(await runDescribe({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, kind, ...(name !== undefined ? { name } : {}) }, io));
    });
}
