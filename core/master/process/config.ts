import type { Behavior } from '../../../actors/index.js';
import type { NodeId } from '../../../raft/index.js';
import type { NodeLifecycleOptions } from '../../controllers/index.js';

/** Everything `drover master` needs, after the command line is parsed. */
export interface MasterConfig {
  /** This master's id: its actor system's name and its raft id. */
  readonly id: NodeId;
  /** Every master's id (this one among them): the raft voters. */
  readonly peers: readonly NodeId[];
  /** The NATS servers, comma-separated, e.g. `nats://127.0.0.1:4222`. */
  readonly natsUrl: string;
  /** Where the WAL and snapshots live (created if missing). */
  readonly dataDir: string;
  /** 0: a free port chosen by the OS. */
  readonly grpcPort: number;
  /** 0: a free port chosen by the OS. */
  readonly httpPort: number;
  /** Default 127.0.0.1. */
  readonly host: string;
  /** Milliseconds per raft tick. */
  readonly tickMs: number;
  /** Raft ticks without a leader before an election. */
  readonly electionTicks: number;
  /** How long a gRPC call waits for the API actor. */
  readonly requestTimeoutMs: number;
  /** The leader compacts the store's history this often, keeping at least one interval of it; 0: never. */
  readonly compactionIntervalMs: number;
  /** Run the scheduler and the controllers while this master leads. Default true. */
  readonly controlPlane?: boolean;
  /** The node lifecycle controller's timing (heartbeat grace, eviction timeout). */
  readonly nodeLifecycle?: Partial<NodeLifecycleOptions>;
  /** More actors that run only while this master leads, by name. */
  readonly leaderWorkers?: Readonly<Record<string, Behavior<never>>>;
}

export const DEFAULT_MASTER_CONFIG = {
  grpcPort: 0,
  httpPort: 0,
  host: '127.0.0.1',
  // Elections after 450-900 ms without a leader (randomized in [9, 18) ticks):
  // with the election itself and the first commit after it, a leader's death
  // costs writes under a second. A heartbeat goes every tick.
  tickMs: 50,
  electionTicks: 9,
  requestTimeoutMs: 8_000,
  compactionIntervalMs: 300_000,
} as const satisfies Partial<MasterConfig>;

export const raftPathOf = (id: NodeId): string => `drover://${id}/user/raft`;
export { apiPathOf } from '../api-protocol.js';

const ID_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parses `--peers`: `m1,m2,m3`, or `m1=<anything>,m2=...` (the part after `=`
 * is ignored: masters find each other by name over NATS). Throws a message
 * fit for the command line.
 */
export function parsePeers(value: string): NodeId[] {
  const ids = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => p.split('=')[0]!.trim());
  if (ids.length === 0) throw new Error('--peers: expected ids such as m1,m2,m3');
  for (const id of ids) if (!ID_RE.test(id)) throw new Error(`--peers: ${JSON.stringify(id)} is not a valid id (lowercase letters, digits, dashes)`);
  if (new Set(ids).size !== ids.length) throw new Error(`--peers: an id is repeated in ${value}`);
  return ids;
}

/** Checks a whole config; returns it or throws a message naming the flag. */
export function checkMasterConfig(c: MasterConfig): MasterConfig {
  if (!ID_RE.test(c.id)) throw new Error(`--id: ${JSON.stringify(c.id)} is not a valid id (lowercase letters, digits, dashes)`);
  if (!c.peers.includes(c.id)) throw new Error(`--peers: must include this master's id ${c.id}`);
  if (c.dataDir === '') throw new Error('--data-dir: required');
  for (const [flag, v] of [['--grpc-port', c.grpcPort], ['--http-port', c.httpPort]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 65_535) throw new Error(`${flag}: expected a port 0..65535, got ${v}`);
  }
  if (!(c.tickMs > 0)) throw new Error(`--tick-ms: expected > 0, got ${c.tickMs}`);
  return c;
}
