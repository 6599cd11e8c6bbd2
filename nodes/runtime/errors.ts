/**
 * The container runtimes' one error class. Every rejection of a
 * `ContainerRuntime` method is a RuntimeError: its `code` says what went
 * wrong, `op` which method, and `containerId` / `containerName` which
 * container (when one is concerned); the underlying failure (a dockerode
 * error, an errno from the file system) survives as `cause`.
 */

/** What went wrong. */
export type RuntimeErrorCode =
  /** The image (docker) or program (process) does not exist and cannot be had. */
  | 'IMAGE_NOT_FOUND'
  /** A container with the same pod uid, container name and attempt already exists. */
  | 'ALREADY_EXISTS'
  /** The operation needs a running container (exec). */
  | 'NOT_RUNNING'
  /** The operation needs an exited container (remove). */
  | 'STILL_RUNNING'
  /** No such container (logs of an unknown id). */
  | 'NOT_FOUND'
  /** The arguments cannot be used (an empty command, a name unsafe as a path). */
  | 'INVALID_ARGUMENT'
  /** A host port to publish is taken, or no free port could be found. */
  | 'PORT_UNAVAILABLE'
  /** The container engine does not answer (docker). */
  | 'ENGINE_UNAVAILABLE'
  /** Anything else the engine or the operating system refused. */
  | 'FAILED';

/** The runtime method that failed. */
export type RuntimeOp = 'start' | 'stop' | 'remove' | 'list' | 'inspect' | 'exec' | 'logs' | 'events' | 'ping';

/** What a RuntimeError knows of the container concerned. */
export interface RuntimeErrorContext {
  readonly containerId?: string;
  /** The pod's container name (not docker's container name). */
  readonly containerName?: string;
}

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  // `declare`: no field is emitted, so an absent one is absent, not undefined.
  declare readonly containerId?: string;
  declare readonly containerName?: string;

  constructor(
    readonly code: RuntimeErrorCode,
    readonly op: RuntimeOp,
    /** What happened, e.g. `image drover/web:1 is not present and cannot be pulled`. */
    readonly reason: string,
    context: RuntimeErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(`container runtime ${op}${describe(context)}: ${reason}`, options);
    if (context.containerId !== undefined) this.containerId = context.containerId;
    if (context.containerName !== undefined) this.containerName = context.containerName;
  }
}

function describe(context: RuntimeErrorContext): string {
  const parts: string[] = [];
  if (context.containerName !== undefined) parts.push(`container ${context.containerName}`);
  if (context.containerId !== undefined) parts.push(`id ${context.containerId}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** The message of an unknown thrown value, for a reason string. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
