// The container runtime interface: what a node agent needs of whatever runs
// its pods' containers. One interface, three implementations: `docker`
// (dockerode against the local engine), `process` (child processes in their
// own process group) and `hollow` (nothing runs; for scale tests and the
// simulated world). The runtime is an adapter at the edge: it holds no pod
// logic (restart policy, probes, back-off live in the pod worker).

/** Which runtime runs a node's containers. */
export type RuntimeName = 'docker' | 'process' | 'hollow';

/** A published port: `hostPort` on 127.0.0.1 of the node forwards to `containerPort`. */
export interface PortMapping {
  readonly containerPort: number;
  /** Absent: not published. The docker runtime publishes on 127.0.0.1 only. */
  readonly hostPort?: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Everything a runtime needs to start one container of a pod. */
export interface ContainerConfig {
  /** The pod's uid: with `containerName` and `attempt`, it names the container uniquely. */
  readonly podUid: string;
  readonly podNamespace: string;
  readonly podName: string;
  readonly containerName: string;
  /** 0 for the first start, then the restart count. */
  readonly attempt: number;
  /** A docker image reference, or for the process runtime the program to run (looked up on PATH). */
  readonly image: string;
  /**
   * Replaces the image's entrypoint (docker). For the process runtime the
   * program runs as `command ++ args` when a command is given, else as
   * `image ++ args`.
   */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly ports: readonly PortMapping[];
  /** Enforced where the runtime can (docker: cgroups; process: best effort). */
  readonly limits: { readonly cpuMillis?: number; readonly memoryBytes?: number };
}

export type ContainerRunState = 'created' | 'running' | 'exited';

/** What the runtime knows of one container. Times are ms since the epoch. */
export interface ContainerInfo {
  /** The runtime's own id (docker container id; for processes a stable id of the runtime's choosing). */
  readonly id: string;
  /** `docker://<id>`, `process://<id>` or `hollow://<id>`. */
  readonly containerID: string;
  readonly podUid: string;
  readonly podNamespace: string;
  readonly podName: string;
  readonly containerName: string;
  readonly attempt: number;
  readonly image: string;
  readonly state: ContainerRunState;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  /** Set once exited. */
  readonly exitCode?: number;
  /** The signal that ended it, if one did (e.g. 9 for SIGKILL). */
  readonly signal?: number;
  /** Host ports actually published, by container port. */
  readonly hostPorts?: Readonly<Record<number, number>>;
}

/** Told when a container the runtime manages exits (or is found exited). */
export interface ContainerExit {
  readonly type: 'exited';
  readonly id: string;
  readonly podUid: string;
  readonly containerName: string;
  readonly attempt: number;
  readonly exitCode: number;
  readonly signal?: number;
  readonly finishedAtMs: number;
}

export interface ExecResult {
  readonly exitCode: number;
  /** stdout and stderr together, truncated to a few KiB. */
  readonly output: string;
  readonly timedOut: boolean;
}

export interface LogOptions {
  /** Keep streaming new lines until the returned iterator is closed. */
  readonly follow?: boolean;
  /** Only the last N lines of what is there. */
  readonly tailLines?: number;
}

/** Narrows list(): a pod worker asks only for its own pod's containers. */
export interface ListFilter {
  readonly podUid?: string;
}

/**
 * A container runtime. Every container it starts carries its pod's uid,
 * namespace, name, container name and attempt (docker: labels; process: a
 * state file), so `list()` finds them again after the agent restarts.
 * Methods reject with RuntimeError (nodes/runtime/errors.ts) naming the
 * container and the operation.
 */
export interface ContainerRuntime {
  readonly name: RuntimeName;
  /** E.g. `docker://24.0.7`, `process://drover-0.1.0`: the Node's containerRuntimeVersion. */
  readonly version: string;
  /** Creates and starts a container; resolves once it runs (or has already exited). */
  start(config: ContainerConfig): Promise<ContainerInfo>;
  /**
   * Stops a container: SIGTERM (docker: its stop signal), then SIGKILL after
   * `gracePeriodMs` if it still runs. Resolves when it has exited. Stopping an
   * exited or unknown container does nothing.
   */
  stop(id: string, gracePeriodMs: number): Promise<void>;
  /** Removes an exited container and what it holds (the process runtime keeps its logs until remove). */
  remove(id: string): Promise<void>;
  /** Every container this runtime manages on this node, running or exited; with a filter, only those it selects. */
  list(filter?: ListFilter): Promise<ContainerInfo[]>;
  inspect(id: string): Promise<ContainerInfo | undefined>;
  /** Runs a command in a running container (exec probes). */
  exec(id: string, command: readonly string[], timeoutMs: number): Promise<ExecResult>;
  /** The container's output (stdout and stderr), line by line. */
  logs(id: string, options?: LogOptions): AsyncIterable<string>;
  /** Listens for exits; returns the unsubscribe. */
  onExit(listener: (e: ContainerExit) => void): () => void;
  /** Releases what the runtime holds (connections, watchers); leaves containers running. */
  close(): Promise<void>;
}
