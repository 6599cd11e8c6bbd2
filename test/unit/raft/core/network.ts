/**
 * A deterministic, in-memory network of raft replicas for the core's unit
 * tests: N RawNodes, each over its own MemoryStorage, driven exactly as the
 * Ready contract says (persist, then send, then apply, then advance).
 *
 * Fault model: a message can be dropped (by a filter, a cut link or because
 * its target is down) and held back (nothing is delivered until a test asks);
 * `deliverAt` lets a test reorder. A crash loses only what is not in storage:
 * `processReady` persists a whole Ready at once, so there are no torn writes
 * here (the WAL's tests cover those).
 *
 * Like etcd's transport, the network tells a leader how each snapshot it sent
 * went (`reportSnapshot`): the core leaves the snapshot state only through
 * that or the follower's answer, so a silently lost snapshot would stall the
 * follower for good. Tests that report by hand turn this off.
 *
 * Safety is checked as the network runs (see `checkSafety`): at most one
 * leader per term, no two replicas apply different entries at one index, and
 * a new leader holds every entry applied anywhere in an earlier term.
 */
import { SeededRandom } from '../../../../actors/world/random.js';
import {
  MemoryStorage,
  RawNode,
  decodeConfChange,
  encodeConfChange,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type ProposeResult,
  type Raft,
  type RaftConfig,
  type ReadIndexResult,
  type ReadState,
} from '../../../../raft/core/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (s: string): Uint8Array => encoder.encode(s);
export const text = (b: Uint8Array): string => decoder.decode(b);

/** The tunables a test may set; id, voters and random come from the network. */
export type NodeConfig = Partial<Omit<RaftConfig, 'id' | 'voters' | 'learners' | 'random'>>;

export interface NetworkOptions {
  /** Replica ids; all voters unless listed in `learners`, or `voters` is given. Default ['1', '2', '3']. */
  readonly ids?: readonly NodeId[];
  /** The bootstrap voters; replicas in neither list start outside the cluster (members to be added). */
  readonly voters?: readonly NodeId[];
  readonly learners?: readonly NodeId[];
  /** Root seed: each replica's election timeouts come from a fork of it. */
  readonly seed?: number;
  readonly config?: NodeConfig;
  /** Storage to start a replica from (a pre-built log); default empty. */
  readonly storage?: (id: NodeId) => MemoryStorage | undefined;
  /** Report each snapshot's delivery or loss to its sender (default true). */
  readonly reportSnapshots?: boolean;
}

/** One applied entry as the test state machine keeps it. */
export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly type: Entry['type'];
  readonly data: string;
}

/** A replica: its RawNode, its durable storage and its (volatile) state machine. */
export interface TestNode {
  readonly id: NodeId;
  raw: RawNode;
  readonly storage: MemoryStorage;
  /** Every entry applied, index i at [i - 1]: the state machine. Rebuilt from the snapshot on restart. */
  sm: AppliedEntry[];
  /** Every read answered to this replica's driver (kept across restarts: a record, not state). */
  readStates: ReadState[];
  up: boolean;
}

/** Drop a message when this returns true. */
export type DropFilter = (m: Message) => boolean;

/** Builds a MemoryStorage holding entries of the given terms at indexes 1.. and a hard state. */
export function storageWithLog(terms: readonly number[], hard: Partial<HardState> = {}): MemoryStorage {
  const s = new MemoryStorage();
  s.append(terms.map((term, i) => ({ term, index: i + 1, type: 'normal' as const, data: bytes(`t${term}i${i + 1}`) })));
  const last = terms[terms.length - 1] ?? 0;
  s.setHardState({ term: last, vote: '', commit: 0, ...hard });
  return s;
}

const key = (e: AppliedEntry): string => `${e.term}/${e.type}/${e.data}`;

function encodeSm(sm: readonly AppliedEntry[]): Uint8Array {
  return bytes(JSON.stringify(sm));
}

function decodeSm(data: Uint8Array): AppliedEntry[] {
  return data.byteLength === 0 ? [] : (JSON.parse(text(data)) as AppliedEntry[]);
}

export class Network {
  readonly ids: NodeId[];
  readonly bootstrapVoters: NodeId[];
  readonly bootstrapLearners: NodeId[];
  /** Messages sent and not yet delivered or dropped, oldest first. */
  queue: Message[] = [];
  /** Every message any replica sent, in order (for tests that count). */
  readonly sent: Message[] = [];
  readonly dropped: Message[] = [];
  /** Turn off to build unsafe situations on purpose. */
  checkSafety = true;
  readonly reportSnapshots: boolean;

  private readonly nodes = new Map<NodeId, TestNode>();
  private readonly filters = new Set<DropFilter>();
  private readonly cutLinks = new Set<string>();
  private readonly root: SeededRandom;
  private readonly config: NodeConfig;
  /** Safety records across the whole run (they survive restarts). */
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly appliedAt = new Map<number, { key: string; entry: AppliedEntry; minTerm: number }>();

  constructor(opts: NetworkOptions = {}) {
    this.ids = [...(opts.ids ?? ['1', '2', '3'])];
    this.bootstrapLearners = [...(opts.learners ?? [])];
    this.bootstrapVoters = [...(opts.voters ?? this.ids.filter((id) => !this.bootstrapLearners.includes(id)))];
    this.root = new SeededRandom(opts.seed ?? 1);
    this.config = opts.config ?? {};
    this.reportSnapshots = opts.reportSnapshots ?? true;
    for (const id of this.ids) this.addNode(id, opts.storage?.(id));
  }

  // ---- replicas ---------------------------------------------------------------

  /**
   * Starts a replica (a new member joins with an empty storage). It is given
   * the bootstrap configuration, like every replica: the configuration is not
   * in the log, so replaying the log must start from the same place.
   */
  addNode(id: NodeId, storage = new MemoryStorage(), config: NodeConfig = {}): TestNode {
    if (!this.ids.includes(id)) this.ids.push(id);
    const n: TestNode = { id, raw: this.newRawNode(id, storage, config), storage, sm: decodeSm(storage.snapshot().data), readStates: [], up: true };
    this.nodes.set(id, n);
    return n;
  }

  private newRawNode(id: NodeId, storage: MemoryStorage, config: NodeConfig): RawNode {
    const cfg: RaftConfig = {
      ...this.config,
      ...config,
      id,
      voters: this.bootstrapVoters,
      learners: this.bootstrapLearners,
      random: this.root.fork(`raft/${id}`),
    };
    return new RawNode(cfg, storage);
  }

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no replica ${id}`);
    return n;
  }

  raw(id: NodeId): RawNode {
    return this.node(id).raw;
  }

  raft(id: NodeId): Raft {
    return this.node(id).raw.raft;
  }

  /** The up replica that is leader in the highest term, if any. */
  leader(): NodeId | undefined {
    let best: Raft | undefined;
    for (const n of this.nodes.values()) {
      const r = n.raw.raft;
      if (n.up && r.role === 'leader' && (best === undefined || r.term > best.term)) best = r;
    }
    return best?.id;
  }

  /** A crash: the replica stops; messages to it are lost. Its storage survives. */
  crash(id: NodeId): void {
    this.node(id).up = false;
  }

  /**
   * Restarts a replica from its storage, as after a crash: a new RawNode on
   * the same MemoryStorage, the state machine reloaded from the snapshot.
   */
  restart(id: NodeId, config: NodeConfig = {}): void {
    const n = this.node(id);
    n.raw = this.newRawNode(id, n.storage, config);
    n.sm = decodeSm(n.storage.snapshot().data);
    n.up = true;
  }

  /** Log compaction: snapshots the state machine at `index` (default: applied) and drops the log up to it. */
  compact(id: NodeId, index?: number): void {
    const n = this.node(id);
    const at = index ?? n.raw.raft.log.applied;
    if (at > n.raw.raft.log.applied) throw new Error(`compact ${id}: ${at} is not applied yet (applied ${n.raw.raft.log.applied})`);
    // The configuration as of `at`: conf changes take effect when applied.
    const conf: ConfState = at === n.raw.raft.log.applied ? n.raw.raft.conf : this.confAt(n, at);
    n.storage.createSnapshot(at, conf, encodeSm(n.sm.slice(0, at)));
    n.storage.compact(at);
  }

  private confAt(n: TestNode, index: number): ConfState {
    let conf: ConfState = n.storage.snapshot().meta.conf;
    if (conf.voters.length === 0) conf = { voters: [...this.bootstrapVoters].sort(), learners: [...this.bootstrapLearners].sort() };
    for (const e of n.sm.slice(0, index)) {
      if (e.type !== 'conf-change' || e.index <= n.storage.snapshot().meta.index) continue;
      const cc = decodeConfChange(bytes(e.data));
      const without = (ids: readonly NodeId[]): NodeId[] => ids.filter((x) => x !== cc.node);
      if (cc.type === 'add-voter') conf = { voters: [...without(conf.voters), cc.node].sort(), learners: without(conf.learners) };
      else if (cc.type === 'add-learner') conf = { voters: conf.voters, learners: [...without(conf.learners), cc.node].sort() };
      else conf = { voters: without(conf.voters), learners: without(conf.learners) };
    }
    return conf;
  }

  // ---- driving one replica -------------------------------------------------------

  /**
   * Handles one Ready of `id`, following the contract: persist (hard state,
   * snapshot, entries), then queue the messages, then apply (snapshot, then
   * committed entries; conf changes go back into the core), then advance.
   * Returns false when there was nothing to do.
   */
  processReady(id: NodeId): boolean {
    const n = this.node(id);
    if (!n.up || !n.raw.hasReady()) return false;
    const rd = n.raw.ready();
    // 1. Persist.
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    if (rd.entries.length > 0) n.storage.append(rd.entries);
    // 2. Send.
    for (const m of rd.messages) {
      this.sent.push(m);
      this.queue.push(m);
    }
    // 3. Apply.
    if (rd.snapshot) n.sm = decodeSm(rd.snapshot.data);
    for (const e of rd.committedEntries) this.apply(n, e);
    n.readStates.push(...rd.readStates);
    // 4. Acknowledge.
    n.raw.advance(rd);
    this.observe(id);
    return true;
  }

  /** Handles the Ready of every replica that has one; true if any had. */
  processAllReady(): boolean {
    let any = false;
    for (const id of this.ids) if (this.processReady(id)) any = true;
    return any;
  }

  private apply(n: TestNode, e: Entry): void {
    if (e.index !== n.sm.length + 1) throw new Error(`replica ${n.id} applies index ${e.index} after ${n.sm.length}`);
    const applied: AppliedEntry = { index: e.index, term: e.term, type: e.type, data: text(e.data) };
    n.sm.push(applied);
    if (e.type === 'conf-change') n.raw.applyConfChange(decodeConfChange(e.data));
    if (!this.checkSafety) return;
    const k = key(applied);
    const seen = this.appliedAt.get(e.index);
    if (seen === undefined) this.appliedAt.set(e.index, { key: k, entry: applied, minTerm: n.raw.raft.term });
    else if (seen.key !== k) throw new Error(`safety: replica ${n.id} applies ${k} at index ${e.index}, another applied ${seen.key}`);
    else seen.minTerm = Math.min(seen.minTerm, n.raw.raft.term);
  }

  /** Records leadership after any change to `id`, and checks it. */
  private observe(id: NodeId): void {
    const r = this.raft(id);
    if (!this.checkSafety || r.role !== 'leader') return;
    const prev = this.leaderOfTerm.get(r.term);
    if (prev === r.id) return;
    if (prev !== undefined) throw new Error(`safety: two leaders in term ${r.term}: ${prev} and ${r.id}`);
    this.leaderOfTerm.set(r.term, r.id);
    this.checkLeaderCompleteness(id);
  }

  /**
   * Leader completeness (§5.4): an entry applied by a replica that was then
   * in term t was committed in a term <= t, so a leader of any later term
   * must hold it (in its log, or under its snapshot).
   */
  checkLeaderCompleteness(id: NodeId): void {
    const n = this.node(id);
    const r = n.raw.raft;
    for (const [index, { key: k, entry, minTerm }] of this.appliedAt) {
      if (minTerm >= r.term) continue;
      let have: string | undefined;
      if (index >= r.log.firstIndex()) {
        const e = index <= r.log.lastIndex() ? r.log.slice(index, index + 1, Number.MAX_SAFE_INTEGER)[0] : undefined;
        have = e && key({ index, term: e.term, type: e.type, data: text(e.data) });
      } else {
        const e = n.sm[index - 1];
        have = e && key(e);
      }
      if (have !== k) {
        throw new Error(`safety: leader ${id} of term ${r.term} lacks ${k} at index ${index} (applied in term ${minTerm}; it has ${have ?? 'nothing'}) [entry ${JSON.stringify(entry)}]`);
      }
    }
  }

  /** Log matching (§5.3): two logs with an entry of the same index and term are identical up to it. */
  checkLogMatching(): void {
    const logs = this.ids.map((id) => {
      const log = this.raft(id).log;
      const first = log.firstIndex();
      const ents = log.slice(first, log.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
      return { id, first, ents };
    });
    for (const a of logs) {
      for (const b of logs) {
        if (a.id >= b.id) continue;
        // The highest common index where the terms agree: everything both hold below it must agree.
        let agreeAt = 0;
        for (const e of a.ents) {
          const f = b.ents[e.index - b.first];
          if (f !== undefined && f.term === e.term) agreeAt = e.index;
        }
        for (const e of a.ents) {
          if (e.index > agreeAt) break;
          const f = b.ents[e.index - b.first];
          if (f !== undefined && (f.term !== e.term || text(f.data) !== text(e.data))) {
            throw new Error(`safety: logs of ${a.id} and ${b.id} agree at ${agreeAt} but differ at ${e.index}`);
          }
        }
      }
    }
  }

  /** Delivered to a replica directly (a test playing another replica). */
  step(id: NodeId, m: Message): void {
    const n = this.node(id);
    if (!n.up) return;
    n.raw.step(m);
    this.observe(id);
  }

  // ---- the network ---------------------------------------------------------------

  /** Whether `m` would be lost now (filter, cut link, target down). */
  isDropped(m: Message): boolean {
    if (this.nodes.get(m.to)?.up !== true) return true;
    if (this.cutLinks.has(`${m.from}->${m.to}`)) return true;
    for (const f of this.filters) if (f(m)) return true;
    return false;
  }

  /** Hands `m` to its target, or loses it if the network says so; true if delivered. */
  private transmit(m: Message): boolean {
    if (this.isDropped(m)) {
      this.lose(m);
      return false;
    }
    this.step(m.to, m);
    if (m.type === 'snap' && this.reportSnapshots) this.raw(m.from).reportSnapshot(m.to, true);
    return true;
  }

  /** Records `m` as lost (a message taken off the queue without delivery). */
  lose(m: Message): void {
    this.dropped.push(m);
    const sender = this.nodes.get(m.from);
    if (m.type === 'snap' && this.reportSnapshots && sender?.up === true) sender.raw.reportSnapshot(m.to, false);
  }

  /** Delivers the queued message at position `i` (or drops it if the network says so). */
  deliverAt(i: number): Message | undefined {
    const [m] = this.queue.splice(i, 1);
    if (m !== undefined) this.transmit(m);
    return m;
  }

  /** Delivers (in order) the queued messages matching `pred`; returns how many reached their target. */
  deliver(pred: (m: Message) => boolean = () => true): number {
    const batch = this.queue.filter(pred);
    this.queue = this.queue.filter((m) => !pred(m));
    let n = 0;
    for (const m of batch) if (this.transmit(m)) n++;
    return n;
  }

  /** Removes queued messages matching `pred` without delivering them (they are lost). */
  discard(pred: (m: Message) => boolean = () => true): Message[] {
    const gone = this.queue.filter(pred);
    this.queue = this.queue.filter((m) => !pred(m));
    for (const m of gone) this.lose(m);
    return gone;
  }

  /** Queued messages matching `pred`. */
  queued<T extends Message>(pred: (m: Message) => m is T): T[];
  queued(pred?: (m: Message) => boolean): Message[];
  queued(pred: (m: Message) => boolean = () => true): Message[] {
    return this.queue.filter(pred);
  }

  /**
   * Runs until no replica has a Ready and no message is queued: handles every
   * Ready, then delivers everything queued, and again. Throws if it does not
   * settle within `maxRounds`.
   */
  stabilize(maxRounds = 1000): void {
    for (let round = 0; round < maxRounds; round++) {
      const worked = this.processAllReady();
      if (!worked && this.queue.length === 0) return;
      this.deliver();
    }
    throw new Error(`network did not settle in ${maxRounds} rounds (${this.queue.length} messages queued)`);
  }

  /** Adds a drop filter; returns a function that removes it. */
  drop(filter: DropFilter): () => void {
    this.filters.add(filter);
    return () => this.filters.delete(filter);
  }

  /** Drops every message of these types (until the returned function is called). */
  dropTypes(...types: Message['type'][]): () => void {
    return this.drop((m) => types.includes(m.type));
  }

  /** Cuts the link between a and b, both ways. */
  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}->${b}`);
    this.cutLinks.add(`${b}->${a}`);
  }

  /** Cuts `id` off from every other replica. */
  isolate(id: NodeId): void {
    for (const other of this.ids) if (other !== id) this.cut(id, other);
  }

  /** Cuts every link between replicas of different groups; replicas in no group are cut from all. */
  partition(...groups: readonly (readonly NodeId[])[]): void {
    const groupOf = (id: NodeId) => groups.findIndex((g) => g.includes(id));
    for (const a of this.ids) {
      for (const b of this.ids) {
        if (a !== b && (groupOf(a) === -1 || groupOf(a) !== groupOf(b))) this.cut(a, b);
      }
    }
  }

  /** Restores every link and removes every filter. */
  heal(): void {
    this.cutLinks.clear();
    this.filters.clear();
  }

  // ---- time and requests ------------------------------------------------------------

  /** Ticks one replica n times (nothing is delivered). */
  tick(id: NodeId, n = 1): void {
    const node = this.node(id);
    if (!node.up) return;
    for (let i = 0; i < n; i++) {
      node.raw.tick();
      this.observe(id);
    }
  }

  /** n rounds of: tick every up replica once, then stabilize. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const id of this.ids) this.tick(id);
      this.stabilize();
    }
  }

  /** Ticks every replica until one is leader (stabilizing each round); returns it. */
  electSomeone(maxRounds = 200): NodeId {
    for (let i = 0; i < maxRounds; i++) {
      const l = this.leader();
      if (l !== undefined && this.raft(l).log.committed >= this.raft(l).log.lastIndex()) return l;
      this.tickAll();
    }
    throw new Error(`no leader after ${maxRounds} rounds`);
  }

  /** `id` starts an election (pre-vote first when configured); nothing is delivered. */
  campaign(id: NodeId): void {
    this.raw(id).campaign();
    this.observe(id);
  }

  /** Campaigns and stabilizes; returns the replica's role afterwards. */
  elect(id: NodeId): Raft['role'] {
    this.campaign(id);
    this.stabilize();
    return this.raft(id).role;
  }

  propose(id: NodeId, ...datas: string[]): ProposeResult {
    return this.raw(id).propose(datas.map(bytes));
  }

  proposeConfChange(id: NodeId, cc: ConfChange): ProposeResult {
    return this.raw(id).proposeConfChange(cc);
  }

  readIndex(id: NodeId, context: string): ReadIndexResult {
    return this.raw(id).readIndex(context);
  }

  transferLeader(id: NodeId, target: NodeId): void {
    this.raw(id).transferLeader(target);
  }

  // ---- inspection -------------------------------------------------------------------

  /** The data of the normal, non-empty entries `id` applied, in order. */
  applied(id: NodeId): string[] {
    return this.node(id).sm.filter((e) => e.type === 'normal' && e.data !== '').map((e) => e.data);
  }

  /** The terms of `id`'s log from its first index (compacted entries are left out). */
  logTerms(id: NodeId): number[] {
    const log = this.raft(id).log;
    const out: number[] = [];
    for (let i = log.firstIndex(); i <= log.lastIndex(); i++) out.push(log.term(i) ?? -1);
    return out;
  }

  /** Messages sent so far matching `pred` (delivered, dropped or queued). */
  sentWhere<T extends Message>(pred: (m: Message) => m is T): T[];
  sentWhere(pred: (m: Message) => boolean): Message[];
  sentWhere(pred: (m: Message) => boolean): Message[] {
    return this.sent.filter(pred);
  }
}

/** A conf-change entry's data, for tests that look at logs. */
export const confChangeData = (cc: ConfChange): string => text(encodeConfChange(cc));
