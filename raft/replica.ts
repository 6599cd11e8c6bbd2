import type { ActorContext, ActorRef } from '../actors/index.js';
import { decodeConfChange } from './core/confchange.js';
import type { Message } from './core/messages.js';
import type { ProposeResult } from './core/raft.js';
import { RawNode, type Ready } from './core/raw-node.js';
import { MemoryStorage } from './core/storage.js';
import type { ConfChange, ConfState, Entry, NodeId, Snapshot } from './core/types.js';
import { StorageFailedError } from './errors.js';
import { PendingProposals } from './pending-proposals.js';
import type { Leadership, ReplicaMsg, ReplicaReply, SnapshotChunk } from './protocol.js';
import { SnapshotReceiver, SnapshotSender } from './snapshot-transfer.js';
import type { StateMachine } from './state-machine.js';
import type { DurableLog } from './storage/durable-log.js';

export interface ReplicaOptions {
  readonly id: NodeId;
  /** Every member's replica actor path, e.g. `{ m2: 'drover://m2/user/raft' }`. */
  readonly peers: Readonly<Record<NodeId, string>>;
  /** The voters at bootstrap (ignored once the log holds a configuration). */
  readonly voters: readonly NodeId[];
  readonly learners?: readonly NodeId[];
  /** Opens the durable log; called again on every (re)start. */
  readonly openLog: () => Promise<DurableLog>;
  readonly stateMachine: StateMachine;
  /** Milliseconds per raft tick. Default 100. */
  readonly tickMs?: number;
  /** Default 10 ticks (so 1 to 2 s at 100 ms). */
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Applied entries between snapshots. Default 10,000. */
  readonly snapshotEveryEntries?: number;
  /** Entries kept behind a snapshot for slow followers. Default 1,000. */
  readonly keepEntriesAfterSnapshot?: number;
  /** A learner is promoted to voter only once it lags the leader by at most this. Default 100 entries. */
  readonly promoteLagEntriesMax?: number;
  /** Hooks for checkers (simulation tests, the chaos harness); never for logic. */
  readonly probe?: ReplicaProbe;
}

/** What a checker may watch of a replica, as it happens. */
export interface ReplicaProbe {
  /** After each Ready is persisted and applied. */
  readyDone?(id: NodeId, node: RawNode): void;
  roleChanged?(id: NodeId, term: number, role: string, lead: NodeId): void;
  applied?(id: NodeId, entry: Entry): void;
  /** Entries just made durable and appended to the replica's log (which `node` shows). */
  appended?(id: NodeId, entries: readonly Entry[], node: RawNode): void;
  started?(id: NodeId, node: RawNode): void;
  /** The state machine was replaced by a snapshot from the leader. */
  snapshotRestored?(id: NodeId, index: number): void;
}

/** A leader's messages that promise nothing about its own disk. */
const sendsBeforePersist = (m: Message): boolean => m.type === 'app' || m.type === 'heartbeat';

const reply = (to: ActorRef<never> | null, r: ReplicaReply): void => (to as ActorRef<ReplicaReply> | null)?.tell(r);

/**
 * The replica actor: drives a RawNode with the actor's clock, persists each
 * Ready through the durable log BEFORE sending its messages or answering
 * anyone, applies committed entries in order, and answers proposers once
 * their entry is applied. Work that arrives while a Ready is being persisted
 * is stepped meanwhile and goes out in the next Ready: proposals that arrive
 * together share one fsync.
 */
export function replica(opts: ReplicaOptions) {
  return (ctx: ActorContext<ReplicaMsg>) => {
    let log: DurableLog;
    let storage: MemoryStorage;
    let node: RawNode;
    let inFlight: Ready | null = null;
    // Of the Ready in flight: how many committed entries were applied before
    // its fsync, and whether its leader messages went out already.
    let pendingApplied = 0;
    let sentEarly = false;
    // Distinct per incarnation: a late "persisted" from before a restart must not match.
    let generation = ctx.random.int(1_000_000_000);
    let snapshotIndex = 0;
    let conf: ConfState;
    let readSeq = 0;
    const proposals = new PendingProposals();
    const reads = new Map<string, ActorRef<never>>();
    const readyReads: { index: number; replyTo: ActorRef<never> }[] = [];
    const peerRefs = new Map<NodeId, ActorRef<ReplicaMsg>>();
    const leadershipSubscribers: ActorRef<Leadership>[] = [];
    const receiver = new SnapshotReceiver();
    const sender = new SnapshotSender(opts.id, (to, chunk) => peer(to)?.tell(chunk));
    const sm = opts.stateMachine;
    const snapshotEvery = opts.snapshotEveryEntries ?? 10_000;
    const keepEntries = opts.keepEntriesAfterSnapshot ?? 1_000;

    function peer(id: NodeId): ActorRef<ReplicaMsg> | undefined {
      let ref = peerRefs.get(id);
      const path = opts.peers[id];
      if (ref === undefined && path !== undefined) peerRefs.set(id, (ref = ctx.resolve<ReplicaMsg>(path)));
      return ref;
    }

    function notLeader(to: ActorRef<never> | null): void {
      const leader = node.raft.lead;
      reply(to, { ok: false, code: 'NOT_LEADER', leader, leaderPath: opts.peers[leader] ?? '' });
    }

    /** Answers a proposal that was not appended: NOT_LEADER with the hint, or DROPPED with the reason. */
    function refused(r: Exclude<ProposeResult, { type: 'appended' }>, to: ActorRef<never> | null): void {
      if (r.type === 'not-leader') notLeader(to);
      else reply(to, { ok: false, code: 'DROPPED', reason: r.reason });
    }

    async function start(): Promise<void> {
      log = await opts.openLog();
      for (const repair of log.repairs ?? []) ctx.log.warn({ id: opts.id, repair }, 'durable log repaired on open');
      const rec = log.recovered;
      storage = new MemoryStorage();
      if (rec.snapshot) {
        storage.applySnapshot(rec.snapshot);
        sm.restore(rec.snapshot.data);
        snapshotIndex = rec.snapshot.meta.index;
      }
      storage.append(rec.entries);
      storage.setHardState(rec.hardState);
      node = new RawNode(
        {
          id: opts.id,
          voters: opts.voters,
          learners: opts.learners ?? [],
          electionTicks: opts.electionTicks ?? 10,
          heartbeatTicks: opts.heartbeatTicks ?? 1,
          random: ctx.random,
        },
        storage,
      );
      conf = node.raft.conf;
      ctx.log.info({ id: opts.id, term: rec.hardState.term, commit: rec.hardState.commit, lastIndex: storage.lastIndex(), snapshot: snapshotIndex }, 'raft replica started');
      opts.probe?.started?.(opts.id, node);
      ctx.timers.startPeriodic('tick', { type: 'tick' }, opts.tickMs ?? 100);
      processReady();
    }

    /** Takes the next Ready, if any, and starts persisting it. */
    function processReady(): void {
      if (inFlight !== null || !node.hasReady()) return;
      const rd = node.ready();
      inFlight = rd;
      const gen = ++generation;
      if (rd.softState) {
        ctx.log.info({ role: rd.softState.role, lead: rd.softState.lead, term: node.raft.term }, 'raft role changed');
        opts.probe?.roleChanged?.(opts.id, node.raft.term, rd.softState.role, rd.softState.lead);
        for (const sub of leadershipSubscribers) sub.tell(leadership());
        // Reads in flight belonged to the old leadership: the core dropped them.
        for (const to of reads.values()) notLeader(to);
        reads.clear();
        if (rd.softState.role !== 'leader') sender.cancelAll();
      }
      // Two things need not wait for this Ready's fsync (Raft thesis §10.2.1):
      // a leader's appends and heartbeats (the core counts the leader's own
      // copy only after advance), and committed entries this replica holds
      // durably already. Everything else (votes, acknowledgements) waits.
      const early = node.raft.role === 'leader';
      for (const m of rd.messages) if (early && sendsBeforePersist(m)) sendRaft(m);
      let applied = 0;
      if (rd.snapshot === null) {
        const stableLast = storage.lastIndex();
        for (const e of rd.committedEntries) {
          if (e.index > stableLast) break;
          applyEntry(e);
          applied++;
        }
      }
      const writes: Promise<void>[] = [];
      if (rd.snapshot) writes.push(log.saveSnapshot(rd.snapshot));
      if (rd.hardState || rd.entries.length > 0) writes.push(log.save(rd.hardState, rd.entries));
      pendingApplied = applied;
      sentEarly = early;
      if (writes.length === 0) return afterPersist(rd);
      Promise.all(writes).then(
        () => ctx.self.tell({ type: 'persisted', generation: gen }),
        (error: unknown) => ctx.self.tell({ type: 'persist-failed', error }),
      );
    }

    /** The Ready is durable: mirror it, send, apply, answer, advance. */
    function afterPersist(rd: Ready): void {
      if (rd.hardState) storage.setHardState(rd.hardState);
      if (rd.snapshot) storage.applySnapshot(rd.snapshot);
      storage.append(rd.entries);
      if (rd.entries.length > 0) opts.probe?.appended?.(opts.id, rd.entries, node);
      for (const m of rd.messages) if (!(sentEarly && sendsBeforePersist(m))) sendRaft(m);
      if (rd.snapshot) {
        sm.restore(rd.snapshot.data);
        snapshotIndex = rd.snapshot.meta.index;
        conf = rd.snapshot.meta.conf;
        proposals.failUpTo(rd.snapshot.meta.index, 'replaced by a snapshot');
        opts.probe?.snapshotRestored?.(opts.id, rd.snapshot.meta.index);
      }
      for (let i = pendingApplied; i < rd.committedEntries.length; i++) applyEntry(rd.committedEntries[i]!);
      for (const rs of rd.readStates) {
        const to = reads.get(rs.context);
        reads.delete(rs.context);
        if (to) readyReads.push({ index: rs.index, replyTo: to });
      }
      node.advance(rd);
      inFlight = null;
      opts.probe?.readyDone?.(opts.id, node);
      serveReads();
      maybeSnapshot();
      processReady();
    }

    function applyEntry(e: Entry): void {
      let result: unknown;
      if (e.type === 'conf-change') {
        conf = node.applyConfChange(decodeConfChange(e.data));
        ctx.log.info({ index: e.index, voters: conf.voters, learners: conf.learners }, 'membership changed');
      } else if (e.data.byteLength > 0) {
        result = sm.apply(e);
      }
      opts.probe?.applied?.(opts.id, e);
      proposals.applied(e.index, e.term, result);
    }

    function serveReads(): void {
      const applied = node.raft.log.applied;
      for (let i = readyReads.length - 1; i >= 0; i--) {
        const r = readyReads[i]!;
        if (r.index > applied) continue;
        readyReads.splice(i, 1);
        reply(r.replyTo, { ok: true, index: r.index });
      }
    }

    function maybeSnapshot(): void {
      const applied = node.raft.log.applied;
      if (applied - snapshotIndex < snapshotEvery) return;
      const snap: Snapshot = storage.createSnapshot(applied, conf, sm.snapshot());
      snapshotIndex = applied;
      log.saveSnapshot(snap).then(
        () => {
          const upTo = snap.meta.index - keepEntries;
          if (upTo > storage.firstIndex()) storage.compact(upTo);
        },
        (error: unknown) => ctx.self.tell({ type: 'persist-failed', error }),
      );
    }

    function sendRaft(m: Message): void {
      if (m.type === 'snap') {
        sender.start(m.to, m.snapshot, m.term, ctx.clock.now());
        return;
      }
      const ref = peer(m.to);
      if (ref === undefined) ctx.log.warn({ to: m.to }, 'no path for raft peer');
      else ref.tell({ type: 'raft', msg: m });
    }

    function onChunk(c: SnapshotChunk): void {
      const { received, snapshot } = receiver.accept(c);
      peer(c.from)?.tell({ type: 'snap-ack', from: opts.id, index: c.meta.index, received });
      if (snapshot) node.step({ type: 'snap', from: c.from, to: opts.id, term: c.term, snapshot });
    }

    function leadership(): Leadership {
      const r = node.raft;
      return { type: 'leadership', replica: opts.id, role: r.role, term: r.term, leader: r.lead, leaderPath: opts.peers[r.lead] ?? '' };
    }

    /** How far a learner about to be promoted lags, if too far to promote it safely yet. */
    function learnerLag(change: ConfChange): number | null {
      if (change.type !== 'add-voter' || node.raft.role !== 'leader' || !conf.learners.includes(change.node)) return null;
      const pr = node.raft.prs.get(change.node);
      const lag = node.raft.log.lastIndex() - (pr?.match ?? 0);
      return lag > (opts.promoteLagEntriesMax ?? 100) ? lag : null;
    }

    function handle(m: ReplicaMsg): void {
      switch (m.type) {
        case 'tick':
          node.tick();
          for (const id of sender.check(ctx.clock.now())) node.reportSnapshot(id, false);
          break;
        case 'raft':
          if (m.msg.to === opts.id) node.step(m.msg);
          break;
        case 'snap-chunk':
          onChunk(m);
          break;
        case 'snap-ack':
          // Without this report the leader would wait in the snapshot state
          // forever if the follower's answer to the snapshot were lost.
          if (sender.ack(m.from, m.index, m.received, ctx.clock.now())) node.reportSnapshot(m.from, true);
          break;
        case 'propose': {
          if (proposals.isDuplicate(ctx.sender)) break;
          const r = node.propose([m.data]);
          if (r.type === 'appended') proposals.add(r.firstIndex, r.term, ctx.sender!);
          else refused(r, ctx.sender);
          break;
        }
        case 'propose-batch': {
          const to = ctx.sender;
          if (proposals.isDuplicate(to)) break;
          if (m.datas.length === 0 || to === null) {
            reply(to, { ok: false, code: 'DROPPED', reason: 'an empty batch' });
            break;
          }
          const r = node.propose(m.datas);
          if (r.type === 'appended') proposals.addBatch(r.firstIndex, r.term, m.datas.length, to);
          else refused(r, to);
          break;
        }
        case 'conf-change': {
          const lag = learnerLag(m.change);
          if (lag !== null) {
            reply(ctx.sender, { ok: false, code: 'DROPPED', reason: `learner ${m.change.node} is not caught up (${lag} entries behind)` });
            break;
          }
          const r = node.proposeConfChange(m.change);
          if (r.type === 'appended') proposals.add(r.firstIndex, r.term, ctx.sender!);
          else refused(r, ctx.sender);
          break;
        }
        case 'read-index': {
          const context = `${opts.id}:${readSeq++}`;
          if (node.readIndex(context).type === 'no-leader') notLeader(ctx.sender);
          else if (ctx.sender) reads.set(context, ctx.sender);
          break;
        }
        case 'transfer-leader':
          node.transferLeader(m.target);
          reply(ctx.sender, { ok: true, index: 0 });
          break;
        case 'subscribe-leadership':
          if (ctx.sender) {
            const sub = ctx.sender as ActorRef<Leadership>;
            leadershipSubscribers.push(sub);
            sub.tell(leadership());
          }
          break;
        case 'unsubscribe-leadership': {
          const i = leadershipSubscribers.findIndex((s) => ctx.sender !== null && s.equals(ctx.sender));
          if (i >= 0) leadershipSubscribers.splice(i, 1);
          break;
        }
        case 'campaign':
          node.campaign();
          reply(ctx.sender, { ok: true, index: 0 });
          break;
        case 'status': {
          const s = node.status();
          ctx.reply({ ...s, progress: Object.fromEntries(s.progress), snapshotIndex, inFlight: inFlight !== null });
          break;
        }
        case 'persisted':
          if (inFlight !== null && m.generation === generation) afterPersist(inFlight);
          return;
        case 'persist-failed':
          throw new StorageFailedError(opts.id, { cause: m.error });
      }
      processReady();
    }

    return {
      preStart: start,
      postStop: async () => {
        sender.cancelAll();
        await log?.close();
      },
      receive: handle,
    };
  };
}
