// A node agent's logs server: a child actor of the agent that reads
// containers' logs from the runtime and streams them to whoever asked (a
// master's Logs stream), in batches, within a bounded window.
//
// Flow control: per stream, the lines sent and not yet acknowledged
// (`logs-ack`) are bounded by `inflightLinesMax` and `inflightCharsMax`.
// While the window is full the server reads nothing more, so a slow or dead
// reader costs at most one window of memory and NATS traffic; the log
// itself waits in the runtime (a file, or the engine's stream). Lines are
// sent in batches of up to `batchLinesMax` lines / about `batchCharsMax`
// characters (one message, far under NATS's 1 MiB payload); a batch that is
// not full goes after `lingerMs`. Longer lines than `lineCharsMax` are cut
// into pieces, so one line never makes a message too big to send.

import type { ActorContext, ActorRef } from '../../actors/index.js';
import type { AgentLogsMessage, AgentLogsRequest, ApiErrorCode, LogsFailure } from '../../core/client/index.js';
import { groupAttempts } from '../pod-worker/index.js';
import { RuntimeError, type ContainerInfo, type ContainerRuntime } from '../runtime/index.js';

export interface LogsServerOptions {
  readonly runtime: ContainerRuntime;
  /** For messages: the node this server runs on. */
  readonly nodeName: string;
  /** Lines per message, at most. Default 500. */
  readonly batchLinesMax?: number;
  /** A batch goes once it holds this many characters (UTF-16 units; msgpack takes <= 3 bytes each). Default 128 Ki. */
  readonly batchCharsMax?: number;
  /** Lines sent and not yet acknowledged, per stream, before reading pauses. Default 2,000; at least batchLinesMax. */
  readonly inflightLinesMax?: number;
  /** Characters sent and not yet acknowledged, per stream, before reading pauses. Default 1 Mi. */
  readonly inflightCharsMax?: number;
  /** How long a batch that is not full waits for more lines. Default 10 ms. */
  readonly lingerMs?: number;
  /** Longer lines are sent as several lines of this many characters. Default 16 Ki. */
  readonly lineCharsMax?: number;
}

/** The internal messages of the server (what its reads and timers tell it). */
type SelfMsg =
  | { readonly type: 'opened'; readonly key: string; readonly iterator: AsyncIterator<string> }
  | { readonly type: 'open-failed'; readonly key: string; readonly error: LogsFailure }
  | { readonly type: 'read'; readonly key: string; readonly result: IteratorResult<string> }
  | { readonly type: 'read-failed'; readonly key: string; readonly error: LogsFailure }
  | { readonly type: 'linger'; readonly key: string }
  | { readonly type: 'requester-gone'; readonly path: string };

export type LogsServerMsg = AgentLogsRequest | SelfMsg;

type LogsQuery = AgentLogsRequest & { type: 'logs' };

/** One stream: a request being answered. */
interface Session {
  readonly key: string;
  readonly requestId: string;
  readonly requester: ActorRef<AgentLogsMessage>;
  iterator: AsyncIterator<string> | undefined;
  /** Invariant: at most one next() of the iterator is pending. */
  reading: boolean;
  batch: string[];
  batchChars: number;
  /** Sent, not yet acknowledged, oldest first. */
  readonly inflight: { readonly seq: number; readonly lines: number; readonly chars: number }[];
  inflightLines: number;
  inflightChars: number;
  seq: number;
}

const DEFAULTS = { batchLinesMax: 500, batchCharsMax: 128 * 1024, inflightLinesMax: 2_000, inflightCharsMax: 1024 * 1024, lingerMs: 10, lineCharsMax: 16 * 1024 };

/** Cuts a line into pieces of at most `max` characters (an empty line stays one empty line). */
export function linePieces(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const pieces: string[] = [];
  for (let i = 0; i < line.length; i += max) pieces.push(line.slice(i, i + max));
  return pieces;
}

/**
 * The container a request reads, among the runtime's containers: the pod's
 * (by uid when given, else the newest pod of that name), the named
 * container, its latest attempt or, for `previous`, the exited one before.
 */
export function containerFor(all: readonly ContainerInfo[], q: LogsQuery, nodeName: string): { readonly type: 'found'; readonly id: string } | { readonly type: 'failed'; readonly error: LogsFailure } {
  const ref = `container "${q.container}" of pod ${q.namespace}/${q.name}`;
  let mine = all.filter((c) => c.podNamespace === q.namespace && c.podName === q.name && c.containerName === q.container && (q.uid === undefined || c.podUid === q.uid));
  if (q.uid === undefined && mine.length > 0) {
    // Without a uid, containers of an older pod of the same name may linger: take the newest pod's.
    const newest = [...mine].sort((a, b) => (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0) || b.attempt - a.attempt)[0]!;
    mine = mine.filter((c) => c.podUid === newest.podUid);
  }
  const { latest, previous } = groupAttempts(mine);
  if (q.previous) {
    if (previous === undefined) return { type: 'failed', error: { code: 'FAILED_PRECONDITION', message: `${ref} has no previous run on node ${nodeName}` } };
    return { type: 'found', id: previous.id };
  }
  if (latest === undefined) return { type: 'failed', error: { code: 'NOT_FOUND', message: `${ref} has not run on node ${nodeName} (yet)` } };
  return { type: 'found', id: latest.id };
}

function failureOf(e: unknown, what: string): LogsFailure {
  let code: ApiErrorCode = 'INTERNAL';
  if (e instanceof RuntimeError) code = e.code === 'NOT_FOUND' ? 'NOT_FOUND' : e.code === 'ENGINE_UNAVAILABLE' ? 'UNAVAILABLE' : 'INTERNAL';
  return { code, message: `${what}: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * The logs server's behaviour (see the top of this file). It answers the
 * sender of each `logs` request, watches it, and ends its streams when it
 * stops; `logs-cancel` ends one stream, and closes its log reader.
 */
export function logsServer(options: LogsServerOptions) {
  const o = { ...DEFAULTS, ...options };
  if (o.batchLinesMax < 1 || o.inflightLinesMax < o.batchLinesMax) throw new RangeError('logs server: need 1 <= batchLinesMax <= inflightLinesMax');
  return (ctx: ActorContext<LogsServerMsg>) => {
    const sessions = new Map<string, Session>();
    const watchedRequesters = new Map<string, number>(); // requester path -> open sessions
    const self = ctx.self;
    const keyOf = (requester: ActorRef<never>, requestId: string): string => `${requester.path}#${requestId}`;

    const canRead = (s: Session): boolean => s.inflightLines + s.batch.length < o.inflightLinesMax && s.inflightChars + s.batchChars < o.inflightCharsMax;

    function readNext(s: Session): void {
      if (s.reading || s.iterator === undefined || !canRead(s)) return;
      s.reading = true;
      s.iterator.next().then(
        (result) => self.tell({ type: 'read', key: s.key, result }),
        (e: unknown) => self.tell({ type: 'read-failed', key: s.key, error: failureOf(e, 'reading the log') }),
      );
    }

    function flush(s: Session): void {
      ctx.timers.cancel(`linger-${s.key}`);
      if (s.batch.length === 0) return;
      const seq = ++s.seq;
      const [first] = s.batch;
      s.requester.tell(
        s.batch.length === 1 && first !== undefined ? { type: 'log-line', requestId: s.requestId, seq, line: first } : { type: 'log-lines', requestId: s.requestId, seq, lines: s.batch },
        self as ActorRef<never>,
      );
      s.inflight.push({ seq, lines: s.batch.length, chars: s.batchChars });
      s.inflightLines += s.batch.length;
      s.inflightChars += s.batchChars;
      s.batch = [];
      s.batchChars = 0;
    }

    function close(s: Session): void {
      sessions.delete(s.key);
      ctx.timers.cancel(`linger-${s.key}`);
      // A pending next() ends with return(); its answer finds no session.
      s.iterator?.return?.().catch(() => undefined);
      const path = s.requester.path;
      const left = (watchedRequesters.get(path) ?? 1) - 1;
      if (left > 0) watchedRequesters.set(path, left);
      else {
        watchedRequesters.delete(path);
        ctx.unwatch(s.requester as ActorRef<never>);
      }
    }

    function end(s: Session, last: AgentLogsMessage): void {
      flush(s);
      s.requester.tell(last, self as ActorRef<never>);
      close(s);
    }

    function open(q: LogsQuery, requester: ActorRef<AgentLogsMessage>): void {
      const key = keyOf(requester as ActorRef<never>, q.requestId);
      if (sessions.has(key)) return; // asked twice: the first stream answers
      const s: Session = { key, requestId: q.requestId, requester, iterator: undefined, reading: false, batch: [], batchChars: 0, inflight: [], inflightLines: 0, inflightChars: 0, seq: 0 };
      sessions.set(key, s);
      const watching = watchedRequesters.get(requester.path) ?? 0;
      if (watching === 0) ctx.watch(requester as ActorRef<never>, { type: 'requester-gone', path: requester.path });
      watchedRequesters.set(requester.path, watching + 1);
      const find = async (): Promise<SelfMsg> => {
        const found = containerFor(await options.runtime.list(), q, o.nodeName);
        if (found.type === 'failed') return { type: 'open-failed', key, error: found.error };
        const iterator = options.runtime.logs(found.id, { follow: q.follow, ...(q.tailLines !== undefined ? { tailLines: q.tailLines } : {}) })[Symbol.asyncIterator]();
        return { type: 'opened', key, iterator };
      };
      find().then(
        (m) => self.tell(m),
        (e: unknown) => self.tell({ type: 'open-failed', key, error: failureOf(e, 'opening the log') }),
      );
    }

    function onRead(s: Session, result: IteratorResult<string>): void {
      s.reading = false;
      if (result.done === true) return end(s, { type: 'log-end', requestId: s.requestId });
      for (const piece of linePieces(result.value, o.lineCharsMax)) {
        s.batch.push(piece);
        s.batchChars += piece.length;
      }
      if (s.batch.length >= o.batchLinesMax || s.batchChars >= o.batchCharsMax) flush(s);
      else if (!ctx.timers.isActive(`linger-${s.key}`)) ctx.timers.startSingle(`linger-${s.key}`, { type: 'linger', key: s.key }, o.lingerMs);
      readNext(s);
    }

    function onAck(s: Session, seq: number): void {
      while (s.inflight.length > 0 && s.inflight[0]!.seq <= seq) {
        const acked = s.inflight.shift()!;
        s.inflightLines -= acked.lines;
        s.inflightChars -= acked.chars;
      }
      readNext(s);
    }

    return {
      receive: (m: LogsServerMsg) => {
        switch (m.type) {
          case 'logs': {
            const sender = ctx.sender;
            if (sender === null) return void ctx.log.warn({ requestId: m.requestId }, 'a logs request without a sender: nobody to answer');
            open(m, sender as ActorRef<AgentLogsMessage>);
            return;
          }
          case 'logs-ack':
          case 'logs-cancel': {
            const s = ctx.sender === null ? undefined : sessions.get(keyOf(ctx.sender, m.requestId));
            if (s === undefined) return;
            if (m.type === 'logs-ack') onAck(s, m.seq);
            else close(s);
            return;
          }
          case 'requester-gone':
            for (const s of [...sessions.values()]) if (s.requester.path === m.path) close(s);
            return;
          default: {
            const s = sessions.get(m.key);
            if (s === undefined) {
              // The stream was closed meanwhile: a log opened too late is closed at once.
              if (m.type === 'opened') m.iterator.return?.().catch(() => undefined);
              return;
            }
            switch (m.type) {
              case 'opened':
                s.iterator = m.iterator;
                s.requester.tell({ type: 'logs-started', requestId: s.requestId }, self as ActorRef<never>);
                readNext(s);
                return;
              case 'open-failed':
              case 'read-failed':
                end(s, { type: 'log-error', requestId: s.requestId, error: m.error });
                return;
              case 'read':
                onRead(s, m.result);
                return;
              case 'linger':
                flush(s);
                return;
            }
          }
        }
      },
      postStop: () => {
        for (const s of [...sessions.values()]) close(s);
      },
    };
  };
}
