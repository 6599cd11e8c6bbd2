// `drover logs pod/web [-c container] [-f] [--previous] [--tail N]`: prints
// a container's log lines as the masters stream them.
import { InvalidArgumentError, type Command } from 'commander';
import { DroverClient, type LogStream, type LogsMessage, type LogsRequest } from '../../core/client/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, namespaceFor, reportFailure, type CliIo, type MasterOptions, runWithClient } from './context.js';
import { parseResourceRef, requireKind } from './resource-ref.js';
import { getObject, type WorkloadClient } from './workload-client.js';

/** The client's side of `Logs` (DroverClient's; tests pass their own). */
export interface LogsSource {
  logs(request: LogsRequest, onMessage: (message: LogsMessage) => void): LogStream;
}

export type LogsClient = WorkloadClient & Partial<LogsSource>;

export interface LogsOptions extends MasterOptions {
  /** `pod/web`, `pod web`, or just `web`. */
  readonly resource: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly container?: string;
  readonly follow?: boolean;
  readonly previous?: boolean;
  /** Only the last N lines; absent or -1: all. */
  readonly tail?: number;
  /** Ends a follow (Ctrl-C in the binary): exit 0. */
  readonly signal?: AbortSignal;
}

/** The container to read: the one named (which must be the pod's), or the pod's only one. */
export function containerFor(podName: string, containers: readonly string[], named: string | undefined): string {
  if (named !== undefined) {
    if (!containers.includes(named)) throw new CliError(`container "${named}" is not in pod "${podName}" (containers: ${containers.join(', ')})`, EXIT_FAILED);
    return named;
  }
  const [only, ...others] = containers;
  if (only === undefined) throw new CliError(`pod "${podName}" has no containers`, EXIT_FAILED);
  if (others.length > 0) throw new CliError(`pod "${podName}" has several containers: name one with -c (${containers.join(', ')})`, EXIT_FAILED);
  return only;
}

/** The request for `opts`, once the container is known. */
export function logsRequest(opts: LogsOptions, namespace: string, name: string, container: string): LogsRequest {
  return {
    namespace,
    name,
    container,
    ...(opts.follow ? { follow: true } : {}),
    ...(opts.previous ? { previous: true } : {}),
    ...(opts.tail !== undefined && opts.tail >= 0 ? { tailLines: opts.tail } : {}),
  };
}

/** Streams the lines to `io.out` as they come; exit 1 on a log-error. */
export async function streamLogs(source: LogsSource, request: LogsRequest, io: CliIo, signal?: AbortSignal): Promise<number> {
  let failure: { code: string; message: string } | undefined;
  const stream = source.logs(request, (m) => {
    if (m.type === 'log-line') io.out(m.line);
    else if (m.type === 'log-error') failure = m.error;
  });
  const onAbort = (): void => stream.cancel();
  if (signal?.aborted) stream.cancel();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await stream.done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw new CliError(`${failure.message} (${failure.code})`, EXIT_FAILED);
  return EXIT_OK;
}

export async function runLogs(opts: LogsOptions, io: CliIo, makeClient: (masters: string[]) => LogsClient = (masters) => new DroverClient({ masters })): Promise<number> {
  let ref;
  try {
    ref = requireKind(parseResourceRef([opts.resource, opts.name], 'Pod'), ['Pod'], 'logs');
  } catch (e) {
    return reportFailure(e, io);
  }
  const name = ref.name;
  return runWithClient(
    opts,
    io,
    async (client: LogsClient) => {
      const namespace = namespaceFor('Pod', opts.namespace) ?? 'default';
      const pod = await getObject(client, 'Pod', name, namespace);
      const container = containerFor(name, pod.spec.containers.map((c) => c.name), opts.container);
      if (typeof client.logs !== 'function') throw new CliError('these masters cannot stream logs yet (the client has no Logs call)', EXIT_FAILED);
      const source: LogsSource = { logs: client.logs.bind(client) };
      return streamLogs(source, logsRequest(opts, namespace, name, container), io, opts.signal);
    },
    makeClient,
  );
}

function lineCount(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < -1) throw new InvalidArgumentError('expected a number of lines >= 0 (-1: all)');
  return n;
}

export function registerLogs(program: Command, io: CliIo, done: (code: number) => void): Command {
  return program
    .command('logs')
    .summary("print a container's log")
    .argument('<pod>', 'pod/web, pod web, or web')
    .argument('[name]', 'the pod, when <pod> is only the kind')
    .option('-n, --namespace <ns>', 'the namespace (default: default)')
    .option('-c, --container <name>', "the container (needed when the pod has several)")
    .option('-f, --follow', 'keep printing lines as they are written (Ctrl-C ends)')
    .option('-p, --previous', "the log of the container's previous run")
    .option('--tail <lines>', 'only the last lines (-1: all)', lineCount)
    .action(async (resource: string, name: string | undefined, opts: Omit<LogsOptions, 'resource' | 'name'>, cmd: Command) => {
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      const code = await runLogs({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts, resource, ...(name !== undefined ? { name } : {}), signal: ac.signal }, io);
      process.off('SIGINT', onSigint);
      done(code);
    });
}
