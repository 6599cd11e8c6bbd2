import type { ActorSystem, Simulation } from '../../../actors/index.js';
import { ReplicaClient, replica, type Entry, type NodeId, type RawNode, type ReplicaProbe } from '../../../raft/index.js';
import { FileWal, SimDisk } from '../../../raft/storage/index.js';
import { KvStateMachine } from './kv.js';

/** A violation of a Raft safety property, with what was seen. */
export class SafetyViolation extends Error {
  override readonly name = 'SafetyViolation';
}

/**
 * Watches every replica as it runs (through the replica's probe) and throws
 * at the first broken safety property:
 * - election safety: at most one leader per term;
 * - state machine safety: no two replicas apply different entries at an index
 *   (so a committed entry is never lost or changed);
 * - each replica applies a gap-free sequence of indexes in each incarnation;
 * - log matching, after every append: an entry (index, term) is the same
 *   everywhere and always follows the same term at index - 1, so by induction
 *   two logs that share an entry share the whole prefix before it.
 * A full pairwise log comparison is also available on demand.
 */
export class SafetyChecker {
  readonly leaders = new Map<number, NodeId>();
  /** index -> the entry every replica must apply there. */
  readonly committed = new Map<number, { term: number; data: string }>();
  private readonly lastApplied = new Map<NodeId, number>();
  /** `index:term` -> the term before it and the entry's data, as first appended anywhere. */
  private readonly appendedAt = new Map<string, { prevTerm: number | undefined; data: string }>();
  readonly nodes = new Map<NodeId, RawNode>();

  started(id: NodeId, node: RawNode): void {
    this.nodes.set(id, node);
    this.lastApplied.set(id, node.raft.log.applied);
  }

  roleChanged(id: NodeId, term: number, role: string): void {
    if (role !== 'leader') return;
    const other = this.leaders.get(term);
    if (other !== undefined && other !== id) throw new SafetyViolation(`two leaders in term ${term}: ${other} and ${id}`);
    this.leaders.set(term, id);
  }

  onApplied(id: NodeId, e: Entry): void {
    const prev = this.lastApplied.get(id) ?? 0;
    if (e.index !== prev + 1 && prev !== 0) throw new SafetyViolation(`${id} applied ${e.index} after ${prev}`);
    this.lastApplied.set(id, e.index);
    const data = Buffer.from(e.data).toString('base64');
    const seen = this.committed.get(e.index);
    if (seen === undefined) this.committed.set(e.index, { term: e.term, data });
    else if (seen.term !== e.term || seen.data !== data) {
      throw new SafetyViolation(`${id} applied index ${e.index} as term ${e.term}, another replica applied term ${seen.term}${seen.data !== data ? ' with other data' : ''}`);
    }
  }

  onAppended(id: NodeId, entries: readonly Entry[], node: RawNode): void {
    for (const e of entries) {
      const prevTerm = node.raft.log.term(e.index - 1);
      const data = Buffer.from(e.data).toString('base64');
      const key = `${e.index}:${e.term}`;
      const seen = this.appendedAt.get(key);
      if (seen === undefined) {
        this.appendedAt.set(key, { prevTerm, data });
        continue;
      }
      if (seen.data !== data) throw new SafetyViolation(`${id} appended entry ${key} with other data than another replica`);
      if (seen.prevTerm !== undefined && prevTerm !== undefined && seen.prevTerm !== prevTerm) {
        throw new SafetyViolation(`log matching: ${id} holds entry ${key} after term ${prevTerm} at ${e.index - 1}, another replica after term ${seen.prevTerm}`);
      }
    }
  }

  /** A new incarnation: it starts again from its snapshot. */
  restarted(id: NodeId): void {
    this.lastApplied.delete(id);
  }

  /** A snapshot from the leader replaced the state machine: applied jumps. */
  snapshotRestored(id: NodeId, index: number): void {
    this.lastApplied.set(id, index);
  }

  /** Log matching: if two logs hold an entry with the same index and term, they agree up to it. */
  checkLogMatching(): void {
    const logs = [...this.nodes.entries()];
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) {
        const [ia, na] = logs[a]!;
        const [ib, nb] = logs[b]!;
        const la = na.raft.log;
        const lb = nb.raft.log;
        const lo = Math.max(la.firstIndex(), lb.firstIndex());
        const hi = Math.min(la.lastIndex(), lb.lastIndex());
        let matchedAbove = false;
        for (let i = hi; i >= lo; i--) {
          const same = la.term(i) === lb.term(i) && la.term(i) !== undefined;
          if (same) matchedAbove = true;
          else if (matchedAbove) throw new SafetyViolation(`logs of ${ia} and ${ib} match at a later index but differ at ${i}`);
        }
      }
    }
  }
}

export interface ReplicaSlot {
  readonly id: NodeId;
  disk: SimDisk;
  system: ActorSystem | null;
  sm: KvStateMachine;
}

export interface SimRaftCluster {
  readonly ids: NodeId[];
  readonly slots: Map<NodeId, ReplicaSlot>;
  readonly checker: SafetyChecker;
  readonly client: ReplicaClient;
  readonly clientSystem: ActorSystem;
  start(id: NodeId): Promise<void>;
  crash(id: NodeId): void;
}

/** n replicas on simulated disks (file WAL), plus a client system. */
export async function simRaftCluster(sim: Simulation, n: number, opts: Partial<{ snapshotEveryEntries: number; keepEntriesAfterSnapshot: number }> = {}): Promise<SimRaftCluster> {
  const ids = Array.from({ length: n }, (_, i) => `m${i + 1}`);
  const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
  const checker = new SafetyChecker();
  const slots = new Map<NodeId, ReplicaSlot>(ids.map((id) => [id, { id, disk: new SimDisk(), system: null, sm: new KvStateMachine() }]));
  const probe: ReplicaProbe = {
    started: (id, node) => checker.started(id, node),
    roleChanged: (id, term, role) => checker.roleChanged(id, term, role),
    applied: (id, e) => checker.onApplied(id, e),
    appended: (id, entries, node) => checker.onAppended(id, entries, node),
    snapshotRestored: (id, index) => checker.snapshotRestored(id, index),
  };
  const start = async (id: NodeId): Promise<void> => {
    const slot = slots.get(id)!;
    // A new process: its memory (the state machine) starts empty.
    slot.sm = new KvStateMachine();
    checker.restarted(id);
    const system = await sim.system(id);
    slot.system = system;
    const disk = slot.disk;
    system.spawn(
      replica({ id, peers, voters: ids, openLog: () => FileWal.open(disk), stateMachine: slot.sm, tickMs: 100, electionTicks: 10, snapshotEveryEntries: opts.snapshotEveryEntries ?? 50, keepEntriesAfterSnapshot: opts.keepEntriesAfterSnapshot ?? 10, probe }),
      'raft',
    );
  };
  const crash = (id: NodeId): void => {
    const slot = slots.get(id)!;
    if (slot.system === null) return;
    sim.crash(id);
    slot.system = null;
    slot.disk = slot.disk.crash(sim.random.fork(`disk:${id}:${sim.events}`));
    checker.nodes.delete(id);
  };
  for (const id of ids) await start(id);
  const clientSystem = await sim.system('client');
  const client = new ReplicaClient(clientSystem, Object.values(peers), { timeoutMs: 1_000 });
  return { ids, slots, checker, client, clientSystem, start, crash };
}
