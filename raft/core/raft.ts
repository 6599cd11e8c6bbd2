import { checkConfChange, applyToConf, decodeConfChange, encodeConfChange } from './confchange.js';
import { resolveConfig, type RaftConfig, type ResolvedConfig } from './config.js';
import { CompactedError, invariant } from './errors.js';
import { RaftLog } from './log.js';
import type { AppendMessage, HeartbeatMessage, Message, ReadState, SnapshotMessage, VoteRequest } from './messages.js';
import { Progress } from './progress.js';
import { committedIndex, hasQuorum, voteResult } from './quorum.js';
import { ReadOnlyQueue } from './read-only.js';
import type { Storage } from './storage.js';
import type { ConfChange, ConfState, Entry, HardState, NodeId, Snapshot } from './types.js';

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** The outcome of a proposal: where it went in the log, or why it did not. */
export type ProposeResult =
  | { readonly type: 'appended'; readonly firstIndex: number; readonly lastIndex: number; readonly term: number }
  | { readonly type: 'not-leader'; readonly leader: NodeId }
  | { readonly type: 'dropped'; readonly reason: string };

export type ReadIndexResult = { readonly type: 'pending' } | { readonly type: 'no-leader' };

/** Volatile facts about a replica, for the driver's logs and metrics. */
export interface SoftState {
  readonly lead: NodeId;
  readonly role: Role;
}

type StepFn = (m: Message) => void;

/**
 * A Raft replica as a pure state machine: no I/O, no clock. Time is ticks;
 * effects are collected (messages, entries to persist, entries to apply,
 * read states) and taken by the driver through `RawNode.ready()`.
 * Roles swap the step and tick functions.
 */
export class Raft {
  readonly id: NodeId;
  readonly cfg: ResolvedConfig;
  readonly log: RaftLog;
  term = 0;
  vote: NodeId = '';
  lead: NodeId = '';
  role: Role = 'follower';
  conf: ConfState;
  readonly prs = new Map<NodeId, Progress>();
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  leadTransferee: NodeId = '';
  pendingConfIndex = 0;
  /**
   * The index of an unapplied entry of our log that removes this replica (0
   * if none). A leader appends nothing after it: it steps down when it
   * applies the change, and the remaining voters, who apply it only once they
   * learn it committed, may still need its vote; a longer log would cost them
   * that vote (with two voters, forever).
   */
  private selfRemovalIndex = 0;
  private readonly votes = new Map<NodeId, boolean>();
  private readonly readOnly = new ReadOnlyQueue();
  private pendingReads: { from: NodeId; context: string }[] = [];
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  /** Fellow pre-candidates refused in this term by the tie-break (see refusesTie). */
  private readonly tiesRefused = new Set<NodeId>();
  private stepFn: StepFn = (m) => this.stepFollower(m);
  private tickFn: () => void = () => this.tickElection();

  constructor(config: RaftConfig, storage: Storage) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    this.log = new RaftLog(storage, this.cfg.maxApplyBytes);
    const { hardState, conf } = storage.initialState();
    this.conf = conf.voters.length > 0 ? conf : { voters: [...this.cfg.voters].sort(), learners: [...this.cfg.learners].sort() };
    // The bootstrap configuration is not in the log: a member that started
    // with none would rebuild one from later changes alone and could come to
    // believe it is the only voter.
    if (this.conf.voters.length === 0) {
      throw new RangeError(`raft config voters: ${this.id} has no configuration in storage, so it needs the cluster's bootstrap voters (a joining member passes those of the cluster it joins)`);
    }
    if (hardState.term > 0 || hardState.commit > 0) this.loadHardState(hardState);
    this.becomeFollower(this.term, '');
  }

  // ---- public API (used through RawNode) ------------------------------------

  tick(): void {
    this.tickFn();
  }

  /** Starts an election now (if this replica may lead). */
  campaignNow(): void {
    this.hup(false);
  }

  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'pre-vote') {
        // Leader lease: while we hear from a leader, ignore disruptive candidates.
        const inLease = this.cfg.checkQuorum && this.lead !== '' && this.electionElapsed < this.cfg.electionTicks;
        if (inLease && !m.transfer) return;
      }
      if (m.type === 'pre-vote' || (m.type === 'pre-vote-resp' && !m.reject)) {
        // A pre-vote never changes terms; a granted one carries the future term.
      } else if (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, '');
      }
    } else if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'app' || m.type === 'heartbeat')) {
        // Tell a stale leader about the newer term so it steps down.
        this.send({ type: 'app-resp', to: m.from, index: 0, reject: false, hintIndex: 0, hintTerm: 0 });
      } else if (m.type === 'pre-vote') {
        this.send({ type: 'pre-vote-resp', to: m.from, reject: true });
      }
      return;
    }
    if (m.type === 'vote' || m.type === 'pre-vote') return this.handleVoteRequest(m);
    this.stepFn(m);
  }

  /** Appends proposals as one batch of entries (leader only). */
  propose(datas: readonly Uint8Array[]): ProposeResult {
    if (this.role !== 'leader') return { type: 'not-leader', leader: this.lead };
    if (this.leadTransferee !== '') return { type: 'dropped', reason: `leadership is moving to ${this.leadTransferee}` };
    if (this.selfRemovalIndex > this.log.applied) return { type: 'dropped', reason: `${this.id} is being removed from the cluster` };
    const first = this.log.lastIndex() + 1;
    const ents: Entry[] = datas.map((data, i) => ({ term: this.term, index: first + i, type: 'normal', data }));
    this.appendEntries(ents);
    return { type: 'appended', firstIndex: first, lastIndex: first + ents.length - 1, term: this.term };
  }

  /** Proposes one membership change; only one may be pending at a time. */
  proposeConfChange(cc: ConfChange): ProposeResult {
    if (this.role !== 'leader') return { type: 'not-leader', leader: this.lead };
    if (this.leadTransferee !== '') return { type: 'dropped', reason: `leadership is moving to ${this.leadTransferee}` };
    // Also covers a new leader until its first entry (of its term) is applied.
    if (this.pendingConfIndex > this.log.applied) return { type: 'dropped', reason: `a membership change (index ${this.pendingConfIndex}) is not applied yet` };
    const why = checkConfChange(this.conf, cc);
    if (why !== null) return { type: 'dropped', reason: why };
    const index = this.log.lastIndex() + 1;
    this.appendEntries([{ term: this.term, index, type: 'conf-change', data: encodeConfChange(cc) }]);
    this.pendingConfIndex = index;
    if (cc.type === 'remove' && cc.node === this.id) this.selfRemovalIndex = index;
    return { type: 'appended', firstIndex: index, lastIndex: index, term: this.term };
  }

  /**
   * Applies a committed membership change (the driver calls this when it
   * applies a conf-change entry) and returns the new configuration.
   */
  applyConfChange(cc: ConfChange): ConfState {
    if (checkConfChange(this.conf, cc) !== null) return this.conf;
    this.conf = applyToConf(this.conf, cc);
    const last = this.log.lastIndex();
    for (const id of [...this.conf.voters, ...this.conf.learners]) {
      const old = this.prs.get(id);
      const learner = this.conf.learners.includes(id);
      if (old === undefined || old.isLearner !== learner) {
        const pr = new Progress(old?.match ?? 0, old?.next ?? last + 1, this.cfg.maxInflightMsgs, learner);
        pr.recentActive = true;
        this.prs.set(id, pr);
      }
    }
    for (const id of [...this.prs.keys()]) if (!this.isMember(id)) this.prs.delete(id);
    if (this.role === 'leader') {
      if (!this.conf.voters.includes(this.id)) this.becomeFollower(this.term, '');
      else {
        if (this.leadTransferee !== '' && !this.conf.voters.includes(this.leadTransferee)) this.leadTransferee = '';
        if (this.maybeCommit()) this.bcastAppend();
        else for (const id of this.prs.keys()) if (id !== this.id) this.sendAppend(id, false);
      }
    }
    return this.conf;
  }

  /** Asks for a linearizable read index; the answer comes as a ReadState. */
  readIndex(context: string): ReadIndexResult {
    if (this.role === 'leader') {
      this.handleReadIndex(this.id, context);
      return { type: 'pending' };
    }
    if (this.lead === '') return { type: 'no-leader' };
    this.send({ type: 'read-index', to: this.lead, context });
    return { type: 'pending' };
  }

  /** Hands leadership to `target` (forwarded to the leader by a follower). */
  transferLeader(target: NodeId): void {
    if (this.role === 'leader') this.handleTransfer(target);
    else if (this.lead !== '') this.send({ type: 'transfer-leader', to: this.lead, target });
  }

  /** The transport could not reach `id`: stop pipelining to it. */
  reportUnreachable(id: NodeId): void {
    const pr = this.prs.get(id);
    if (this.role === 'leader' && pr?.state === 'replicate') pr.becomeProbe();
  }

  /** How sending a snapshot to `id` went. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.prs.get(id);
    if (this.role !== 'leader' || pr?.state !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the next heartbeat response before probing again.
    pr.probeSent = true;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  /** The leader's own entries up to `index` are durable: it counts as a match. */
  selfPersisted(index: number, term: number): void {
    if (this.role !== 'leader' || term !== this.term) return;
    if (this.prs.get(this.id)?.maybeUpdate(index) && this.maybeCommit()) this.bcastAppend();
  }

  // ---- roles ----------------------------------------------------------------

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.stepFn = (m) => this.stepFollower(m);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.role = 'follower';
  }

  private becomePreCandidate(): void {
    invariant(this.role !== 'leader', 'leader -> pre-candidate is not a valid transition');
    // Term and vote stay: a pre-vote changes nothing durable.
    this.votes.clear();
    this.stepFn = (m) => this.stepCandidate(m);
    this.tickFn = () => this.tickElection();
    this.lead = '';
    this.role = 'pre-candidate';
  }

  private becomeCandidate(): void {
    invariant(this.role !== 'leader', 'leader -> candidate is not a valid transition');
    this.reset(this.term + 1);
    this.stepFn = (m) => this.stepCandidate(m);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    invariant(this.role === 'candidate', `${this.role} -> leader is not a valid transition`);
    this.reset(this.term);
    this.stepFn = (m) => this.stepLeader(m);
    this.tickFn = () => this.tickHeartbeat();
    this.lead = this.id;
    this.role = 'leader';
    this.prs.get(this.id)?.becomeReplicate();
    // No membership change until everything before this term's first entry
    // is applied (so no change from an earlier term is still pending).
    this.pendingConfIndex = this.log.lastIndex();
    this.selfRemovalIndex = this.unappliedSelfRemoval();
    // An entry of our own term lets us commit what earlier leaders left.
    this.appendEntries([{ term: this.term, index: this.log.lastIndex() + 1, type: 'normal', data: new Uint8Array() }]);
  }

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = '';
      this.tiesRefused.clear();
    }
    this.lead = '';
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.cfg.random.int(this.cfg.electionTicks);
    this.leadTransferee = '';
    this.votes.clear();
    this.readOnly.reset();
    this.pendingReads = [];
    this.pendingConfIndex = 0;
    this.selfRemovalIndex = 0;
    const last = this.log.lastIndex();
    const stableLast = this.log.unstable.offset - 1;
    this.prs.clear();
    for (const id of [...this.conf.voters, ...this.conf.learners]) {
      const pr = new Progress(0, last + 1, this.cfg.maxInflightMsgs, this.conf.learners.includes(id));
      if (id === this.id) pr.match = Math.min(stableLast, last);
      this.prs.set(id, pr);
    }
  }

  private loadHardState(hs: HardState): void {
    invariant(hs.commit >= this.log.committed && hs.commit <= this.log.lastIndex(), `hard state commit ${hs.commit} outside [${this.log.committed}, ${this.log.lastIndex()}]`);
    this.term = hs.term;
    this.vote = hs.vote;
    this.log.commitTo(hs.commit);
  }

  private isMember(id: NodeId): boolean {
    return this.conf.voters.includes(id) || this.conf.learners.includes(id);
  }

  /** A voter of the current configuration may campaign. */
  private promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  // ---- ticks and elections --------------------------------------------------

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
      return;
    }
    // A voter that still hears from the old leader (its lease) ignores a
    // pre-vote rather than refusing it. Asking again every heartbeat interval
    // gets the vote as soon as that lease runs out, instead of a whole new
    // election timeout later. Safe: a pre-vote changes no term and no vote.
    if (this.role === 'pre-candidate' && this.electionElapsed % this.cfg.heartbeatTicks === 0) this.resendPreVotes();
  }

  private resendPreVotes(): void {
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.conf.voters) {
      if (id !== this.id && !this.votes.has(id)) this.msgs.push({ type: 'pre-vote', from: this.id, to: id, term: this.term + 1, lastIndex, lastTerm, transfer: false });
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) return this.becomeFollower(this.term, '');
      this.leadTransferee = '';
    }
    if (this.role !== 'leader') return;
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat(this.readOnly.lastContext());
    }
  }

  /** Whether a quorum was heard from since the last check; resets the marks. */
  private quorumActive(): boolean {
    const active = hasQuorum(this.conf.voters, (id) => id === this.id || this.prs.get(id)?.recentActive === true);
    for (const [id, pr] of this.prs) if (id !== this.id) pr.recentActive = false;
    return active;
  }

  private hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.promotable()) return;
    // Campaigning with unapplied membership changes could use a stale configuration.
    if (this.hasUnappliedConfChanges()) return;
    if (this.cfg.preVote && !transfer) this.campaign('pre-vote', false);
    else this.campaign('vote', transfer);
  }

  private hasUnappliedConfChanges(): boolean {
    if (this.log.applied >= this.log.committed) return false;
    try {
      return this.log.slice(this.log.applied + 1, this.log.committed + 1, Number.MAX_SAFE_INTEGER).some((e) => e.type === 'conf-change');
    } catch (e) {
      if (e instanceof CompactedError) return false;
      throw e;
    }
  }

  /** The index of the last unapplied conf-change entry of our log that removes us, or 0. */
  private unappliedSelfRemoval(): number {
    const lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    const ents = this.log.slice(lo, this.log.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
    for (let i = ents.length - 1; i >= 0; i--) {
      const e = ents[i]!;
      if (e.type !== 'conf-change') continue;
      const cc = decodeConfChange(e.data);
      if (cc.type === 'remove' && cc.node === this.id) return e.index;
    }
    return 0;
  }

  private campaign(kind: 'pre-vote' | 'vote', transfer: boolean): void {
    let term: number;
    if (kind === 'pre-vote') {
      this.becomePreCandidate();
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      term = this.term;
    }
    this.votes.set(this.id, true);
    if (this.tallyVotes()) return;
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.conf.voters) {
      if (id !== this.id) this.msgs.push({ type: kind, from: this.id, to: id, term, lastIndex, lastTerm, transfer });
    }
  }

  /** Acts on the votes so far; true when the campaign ended. */
  private tallyVotes(): boolean {
    const res = voteResult(this.conf.voters, this.votes);
    if (res === 'won') {
      if (this.role === 'pre-candidate') this.campaign('vote', false);
      else {
        this.becomeLeader();
        this.bcastAppend();
      }
      return true;
    }
    if (res === 'lost') {
      this.becomeFollower(this.term, '');
      return true;
    }
    return false;
  }

  private handleVoteRequest(m: VoteRequest): void {
    const pre = m.type === 'pre-vote';
    const canVote = this.vote === m.from || (this.vote === '' && this.lead === '') || (pre && m.term > this.term);
    const respType = pre ? 'pre-vote-resp' : 'vote-resp';
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm) && !this.refusesTie(m)) {
      // A granted pre-vote answers in the candidate's future term.
      this.msgs.push({ type: respType, from: this.id, to: m.from, term: m.term, reject: false });
      if (!pre) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: respType, to: m.from, reject: true });
    }
  }

  /**
   * Two replicas whose election timers ran out together would both win the
   * pre-vote (each grants the other) and then split the real vote, costing
   * a whole election timeout more. So a pre-candidate refuses a fellow
   * pre-candidate with a log as up to date as its own if that one has the
   * higher id: of the two, only the lower goes on to the real vote. It
   * refuses each peer once per term, then grants as usual: a pre-candidate
   * that cannot win (it reaches no quorum) must not keep a peer that could
   * from winning. A log that is strictly newer is granted as usual. Only
   * pre-votes are affected, and they change no term or vote, so safety
   * does not depend on this.
   */
  private refusesTie(m: VoteRequest): boolean {
    if (m.type !== 'pre-vote' || this.role !== 'pre-candidate' || m.transfer) return false;
    const sameLog = m.lastTerm === this.log.lastTerm() && m.lastIndex === this.log.lastIndex();
    if (!sameLog || m.from < this.id || this.tiesRefused.has(m.from)) return false;
    this.tiesRefused.add(m.from);
    return true;
  }

  // ---- step functions -------------------------------------------------------

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        return this.handleAppend(m);
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        return this.handleHeartbeat(m);
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        return this.handleSnapshot(m);
      case 'timeout-now':
        return this.hup(true);
      case 'transfer-leader':
        if (this.lead !== '') this.send({ type: 'transfer-leader', to: this.lead, target: m.target });
        return;
      case 'read-index-resp':
        this.readStates.push({ index: m.index, context: m.context });
        return;
      default:
        return;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'app':
        this.becomeFollower(m.term, m.from);
        return this.handleAppend(m);
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        return this.handleHeartbeat(m);
      case 'snap':
        this.becomeFollower(m.term, m.from);
        return this.handleSnapshot(m);
      case 'vote-resp':
      case 'pre-vote-resp':
        if ((m.type === 'vote-resp') !== (this.role === 'candidate')) return;
        this.votes.set(m.from, !m.reject);
        this.tallyVotes();
        return;
      default:
        return;
    }
  }

  private stepLeader(m: Message): void {
    const pr = this.prs.get(m.from);
    switch (m.type) {
      case 'transfer-leader':
        return this.handleTransfer(m.target);
      case 'read-index':
        return this.handleReadIndex(m.from, m.context);
      case 'app-resp':
        if (pr === undefined) return;
        pr.recentActive = true;
        return m.reject ? this.handleAppendRejected(m.from, pr, m.index, m.hintIndex, m.hintTerm) : this.handleAppendAccepted(m.from, pr, m.index);
      case 'heartbeat-resp':
        if (pr === undefined) return;
        pr.recentActive = true;
        pr.probeSent = false;
        // If every append filling the window was lost, nothing would ever free it:
        // the follower answered, so let one more append through (as etcd does).
        if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
        if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, true);
        if (m.context !== '') this.releaseReads(this.readOnly.ack(m.context, m.from, this.conf.voters));
        return;
      default:
        return;
    }
  }

  // ---- follower side of replication ------------------------------------------

  private handleAppend(m: AppendMessage): void {
    if (m.index < this.log.committed) {
      return this.send({ type: 'app-resp', to: m.from, index: this.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    }
    const last = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (last !== undefined) return this.send({ type: 'app-resp', to: m.from, index: last, reject: false, hintIndex: 0, hintTerm: 0 });
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send({ type: 'app-resp', to: m.from, index: m.index, reject: true, hintIndex: hint.index, hintTerm: hint.term });
  }

  private handleHeartbeat(m: HeartbeatMessage): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send({ type: 'heartbeat-resp', to: m.from, context: m.context });
  }

  private handleSnapshot(m: SnapshotMessage): void {
    const index = this.restore(m.snapshot) ? this.log.lastIndex() : this.log.committed;
    this.send({ type: 'app-resp', to: m.from, index, reject: false, hintIndex: 0, hintTerm: 0 });
  }

  /** Installs a snapshot from the leader; false if we have it already. */
  private restore(s: Snapshot): boolean {
    if (s.meta.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.meta.index, s.meta.term)) {
      this.log.commitTo(s.meta.index);
      return false;
    }
    this.log.restore(s);
    this.conf = s.meta.conf;
    const last = this.log.lastIndex();
    this.prs.clear();
    for (const id of [...this.conf.voters, ...this.conf.learners]) {
      this.prs.set(id, new Progress(id === this.id ? last : 0, last + 1, this.cfg.maxInflightMsgs, this.conf.learners.includes(id)));
    }
    return true;
  }

  // ---- leader side of replication ---------------------------------------------

  private appendEntries(ents: Entry[]): void {
    this.log.append(ents);
    // The leader's own match moves when the entries are durable (selfPersisted).
    this.bcastAppend();
  }

  private handleAppendAccepted(from: NodeId, pr: Progress, index: number): void {
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(index)) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') pr.inflights.freeLE(index);
    if (this.maybeCommit()) this.bcastAppend();
    else if (wasPaused) this.sendAppend(from, true);
    // Keep the pipeline full while there is more to send.
    while (this.sendAppend(from, false));
    if (from === this.leadTransferee && pr.match === this.log.lastIndex()) this.send({ type: 'timeout-now', to: from });
  }

  private handleAppendRejected(from: NodeId, pr: Progress, rejected: number, hintIndex: number, hintTerm: number): void {
    const next = hintTerm > 0 ? this.log.findConflictByTerm(hintIndex, hintTerm).index : hintIndex;
    if (pr.maybeDecrTo(rejected, next)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      this.sendAppend(from, true);
    }
  }

  private maybeCommit(): boolean {
    const mci = committedIndex(this.conf.voters, (id) => this.prs.get(id)?.match ?? 0);
    if (!this.log.maybeCommit(mci, this.term)) return false;
    this.flushPendingReads();
    return true;
  }

  /** Sends an append (or a snapshot) to `to`; false if nothing was sent. */
  private sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (pr === undefined || to === this.id || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    let ents: Entry[] | undefined;
    try {
      ents = this.log.slice(pr.next, this.log.lastIndex() + 1, this.cfg.maxMsgBytes);
    } catch (e) {
      if (!(e instanceof CompactedError)) throw e;
    }
    if (prevTerm === undefined || ents === undefined) return this.sendSnapshot(to, pr);
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'app', to, index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.log.committed });
    if (ents.length > 0) pr.sentEntries(ents[ents.length - 1]!.index);
    else if (pr.state === 'probe') pr.probeSent = true;
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    // Only to a follower we know is there: snapshots are large.
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    invariant(snapshot.meta.index > 0, `follower ${to} needs entries before ${this.log.firstIndex()} but there is no snapshot`);
    this.send({ type: 'snap', to, snapshot });
    pr.becomeSnapshot(snapshot.meta.index);
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.prs.keys()) if (id !== this.id) this.sendAppend(id, true);
  }

  private bcastHeartbeat(context: string): void {
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      // Never tell a follower to commit beyond what it is known to hold.
      this.send({ type: 'heartbeat', to: id, commit: Math.min(pr.match, this.log.committed), context });
    }
  }

  // ---- reads and transfers ----------------------------------------------------

  private handleReadIndex(from: NodeId, context: string): void {
    // Until an entry of this term commits, the commit index may be behind.
    if (this.log.term(this.log.committed) !== this.term) {
      this.pendingReads.push({ from, context });
      return;
    }
    if (this.conf.voters.length === 1 && this.conf.voters[0] === this.id) {
      return this.releaseReads([{ from, context, index: this.log.committed }]);
    }
    this.readOnly.add(context, this.log.committed, from, this.id);
    this.bcastHeartbeat(context);
  }

  private flushPendingReads(): void {
    if (this.pendingReads.length === 0 || this.log.term(this.log.committed) !== this.term) return;
    const reads = this.pendingReads;
    this.pendingReads = [];
    for (const r of reads) this.handleReadIndex(r.from, r.context);
  }

  private releaseReads(reqs: readonly { from: NodeId; context: string; index: number }[]): void {
    for (const r of reqs) {
      if (r.from === this.id) this.readStates.push({ index: r.index, context: r.context });
      else this.send({ type: 'read-index-resp', to: r.from, index: r.index, context: r.context });
    }
  }

  private handleTransfer(target: NodeId): void {
    const pr = this.prs.get(target);
    if (pr === undefined || pr.isLearner || target === this.id || target === this.leadTransferee) return;
    this.leadTransferee = target;
    // The transfer must finish within one election timeout or it is abandoned.
    this.electionElapsed = 0;
    if (pr.match === this.log.lastIndex()) this.send({ type: 'timeout-now', to: target });
    else this.sendAppend(target, true);
  }

  // ---- output ------------------------------------------------------------------

  /** Queues a message from this replica in the current term. */
  private send(m: DistributiveOmit<Message, 'from' | 'term'>): void {
    this.msgs.push({ ...m, from: this.id, term: this.term } as Message);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
