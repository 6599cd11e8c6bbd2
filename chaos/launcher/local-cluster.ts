import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverClient } from '../../core/client/index.js';
import { removeNodeContainers } from './container-cleanup.js';
import { DroverProcess, type DroverCommand } from './drover-process.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

export interface LocalClusterOptions {
  /** How to run `drover` (`node dist/bin/drover.js`, or tsx on the sources in tests). */
  readonly drover: DroverCommand;
  /** Where the masters' WALs and the nodes' state live (one directory each). */
  readonly baseDir: string;
  /** Default 3. */
  readonly masters?: number;
  /** Default 3. */
  readonly nodes?: number;
  /** The nodes' runtime: auto (docker where an engine answers), docker, process. Default auto. */
  readonly runtime?: 'auto' | 'docker' | 'process';
  /** Extra environment for every process (DROVER_LOG_LEVEL, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra flags for every master (e.g. timing). */
  readonly masterArgs?: readonly string[];
  /** Extra flags for every node. */
  readonly nodeArgs?: readonly string[];
  /** Each process's stderr lines, labelled. */
  readonly onStderr?: (label: string, line: string) => void;
  /** Start-up budget per process. Default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface MasterHandle {
  readonly id: string;
  readonly grpc: string;
  readonly http: string;
  readonly process: DroverProcess;
}

export interface NodeHandle {
  readonly name: string;
  readonly dataDir: string;
  /** What the agent picked: docker or process. */
  runtime: string;
  process: DroverProcess;
}

/**
 * A whole Drover cluster on this machine, every part a process of its own on
 * free loopback ports: a nats-server, masters m1..mN and node agents
 * n1..nK. `stop()` stops the nodes, removes the containers they ran, stops
 * the masters and then nats-server.
 */
export class LocalCluster {
  readonly masters: MasterHandle[] = [];
  readonly nodes = new Map<string, NodeHandle>();
  readonly client: DroverClient;

  private constructor(
    readonly nats: NatsServerHandle,
    private readonly opts: LocalClusterOptions,
    masters: MasterHandle[],
  ) {
    this.masters.push(...masters);
    this.client = new DroverClient({ masters: masters.map((m) => m.grpc) });
  }

  static async start(opts: LocalClusterOptions): Promise<LocalCluster> {
    const nats = await startNatsServer({ dieWithParent: true });
    const ids = Array.from({ length: opts.masters ?? 3 }, (_, i) => `m${i + 1}`);
    const started: MasterHandle[] = [];
    try {
      await Promise.all(
        ids.map(async (id) => {
          const dataDir = join(opts.baseDir, id);
          await mkdir(dataDir, { recursive: true });
          const p = new DroverProcess(opts.drover, ['master', '--id', id, '--peers', ids.join(','), '--nats', nats.url, '--data-dir', dataDir, ...(opts.masterArgs ?? [])], {
            label: id,
            ...(opts.env ? { env: opts.env } : {}),
            ...(opts.onStderr ? { onStderr: (l: string) => opts.onStderr!(id, l) } : {}),
          });
          const e = await p.waitFor('listening', opts.startTimeoutMs ?? 30_000).catch(async (err: unknown) => {
            await p.stop(1_000);
            throw err;
          });
          started.push({ id, grpc: e['grpc'] as string, http: e['http'] as string, process: p });
        }),
      );
    } catch (e) {
      for (const m of started) await m.process.stop(2_000);
      await nats.stop();
      throw e;
    }
    started.sort((a, b) => a.id.localeCompare(b.id));
    const cluster = new LocalCluster(nats, opts, started);
    try {
      await Promise.all(Array.from({ length: opts.nodes ?? 3 }, (_, i) => cluster.startNode(`n${i + 1}`)));
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  get masterIds(): string[] {
    return this.masters.map((m) => m.id);
  }

  /** Starts (or restarts, on the same data dir) node agent `name`; `extraArgs` e.g. `['--hollow', '1000']`. */
  async startNode(name: string, extraArgs: readonly string[] = []): Promise<NodeHandle> {
    const dataDir = join(this.opts.baseDir, name);
    await mkdir(dataDir, { recursive: true });
    const p = new DroverProcess(
      this.opts.drover,
      ['node', '--name', name, '--master-ids', this.masterIds.join(','), '--nats', this.nats.url, '--data-dir', dataDir, '--runtime', this.opts.runtime ?? 'auto', ...(this.opts.nodeArgs ?? []), ...extraArgs],
      { label: name, ...(this.opts.env ? { env: this.opts.env } : {}), ...(this.opts.onStderr ? { onStderr: (l: string) => this.opts.onStderr!(name, l) } : {}) },
    );
    const existing = this.nodes.get(name);
    const handle: NodeHandle = existing ?? { name, dataDir, runtime: 'unknown', process: p };
    handle.process = p;
    this.nodes.set(name, handle);
    const e = await p.waitFor('node-started', this.opts.startTimeoutMs ?? 30_000);
    handle.runtime = String(e['runtime']);
    return handle;
  }

  /** kill -9 of a node agent (its containers keep running, as a real machine's would not: see stop()). */
  async killNode(name: string): Promise<void> {
    await this.nodes.get(name)?.process.kill('SIGKILL');
  }

  /** Stops everything it started, containers included; every step runs even if one fails. */
  async stop(): Promise<void> {
    this.client.close();
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        errors.push(e);
      }
    };
    await Promise.all([...this.nodes.values()].map((n) => attempt(() => n.process.stop(5_000))));
    await Promise.all([...this.nodes.values()].map((n) => attempt(() => removeNodeContainers(n))));
    await Promise.all(this.masters.map((m) => attempt(() => m.process.stop(5_000))));
    await attempt(() => this.nats.stop());
    if (errors.length > 0) throw new AggregateError(errors, `stopping the local cluster: ${errors.length} step(s) failed`);
  }
}
