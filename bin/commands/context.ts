// What every client command shares: where output goes, how masters are
// found, and how failures become exit codes (0 ok, 1 failed, 2 usage).
import { isNamespaced, resolveKind, type Kind } from '../../core/api/index.js';
import { ApiError, DroverClient } from '../../core/client/index.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** All of standard input (for `-f -`). */
  readStdin(): Promise<string>;
  /** Wall-clock milliseconds, for AGE. */
  now(): number;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  now: () => Date.now(),
};

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A failure with the exit code it means and the message to print. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
  }
}

export interface MasterOptions {
  readonly masters?: string;
}

/** The masters from `--masters` or DROVER_MASTERS. */
export function mastersOf(opts: MasterOptions, io: CliIo): string[] {
  const raw = opts.masters ?? io.env['DROVER_MASTERS'];
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) throw new CliError('no masters: pass --masters host:port,host:port or set DROVER_MASTERS', EXIT_USAGE);
  for (const a of list) if (!/^[^\s:]+:\d+$/.test(a)) throw new CliError(`--masters: ${JSON.stringify(a)} is not host:port`, EXIT_USAGE);
  return list;
}

export function kindOf(name: string): Kind {
  const kind = resolveKind(name);
  if (!kind) throw new CliError(`unknown resource type ${JSON.stringify(name)} (try pods, deployments, replicasets, services, nodes, namespaces, endpoints, events)`, EXIT_USAGE);
  return kind;
}

export function namespaceFor(kind: Kind, namespace: string | undefined): string | undefined {
  return isNamespaced(kind) ? (namespace ?? 'default') : undefined;
}

/** How an API error reads on the command line. */
export function describeApiError(e: ApiError): string {
  const v = e.details.violations;
  if (e.code === 'INVALID_ARGUMENT' && v && v.length > 0) return `error: ${e.message}\n${v.map((x) => `  ${x.path}: ${x.rule}`).join('\n')}`;
  if (e.code === 'INVALID_ARGUMENT' && e.details.field) return `error: ${e.message} (${e.details.field}${e.details.rule ? `: ${e.details.rule}` : ''})`;
  if (e.code === 'UNAVAILABLE' || e.code === 'DEADLINE_EXCEEDED') return `error: no master answered (${e.code}): ${e.message}`;
  return `error: ${e.message}`;
}

/**
 * Runs a command body with a client and turns what it throws into an exit
 * code: a CliError keeps its own, an ApiError is 1, anything else is a bug
 * and is rethrown.
 */
export async function runWithClient<C extends { close(): void } = DroverClient>(
  opts: MasterOptions,
  io: CliIo,
  body: (client: C) => Promise<number>,
  // A DroverClient is every client the commands ask for; a narrower `C` (tests) comes with its own makeClient.
  makeClient: (masters: string[]) => C = (masters) => new DroverClient({ masters }) as unknown as C,
): Promise<number> {
  let client: C | undefined;
  try {
    client = makeClient(mastersOf(opts, io));
    return await body(client);
  } catch (e) {
    return reportFailure(e, io);
  } finally {
    client?.close();
  }
}

export function reportFailure(e: unknown, io: CliIo): number {
  if (e instanceof CliError) {
    io.err(e.message.startsWith('error:') ? e.message : `error: ${e.message}`);
    return e.exitCode;
  }
  if (e instanceof ApiError) {
    io.err(describeApiError(e));
    return EXIT_FAILED;
  }
  throw e;
}
