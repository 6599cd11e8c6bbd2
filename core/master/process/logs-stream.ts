import { AskTimeoutError, type ActorContext, type ActorRef } from '../../../actors/index.js';
import type { Node, Pod } from '../../api/index.js';
import type { StreamSink } from '../../grpc/index.js';
import type { ApiReply, ApiRequest } from '../api-protocol.js';
import { agentPathOf, type AgentLogsMessage, type AgentLogsRequest, type LogsFailure, type LogsMessage, type LogsRequest } from '../logs-protocol.js';
import { logTarget, type LogTarget, type LogTargetResult } from './logs-target.js';

export interface LogsStreamOptions {
  /** The local API actor: the pod and its node are read through it. */
  readonly api: ActorRef<ApiRequest>;
  /** Unique among this master's Logs calls; the agent's answers carry it. */
  readonly requestId: string;
  readonly request: LogsRequest;
  readonly sink: StreamSink;
  /** Per read of the API actor, and how long the node agent has to open the log (its `logs-started`). */
  readonly requestTimeoutMs: number;
}

type LogsStreamMsg =
  | AgentLogsMessage
  | LogTargetResult
  | { readonly type: 'agent-gone' }
  | { readonly type: 'start-timeout' }
  /** The gRPC caller cancelled or went away. */
  | { readonly type: 'caller-gone' };

/**
 * One actor per Logs call. It reads the pod (and its node) through the API
 * actor, asks the agent of the pod's node for the container's log with
 * itself as the sender, and writes each line it gets to the gRPC stream,
 * acknowledging each batch so the agent sends more (the agent bounds what
 * is unacknowledged). It watches the agent: a node that dies or is cut off
 * ends the stream with UNAVAILABLE. When the caller cancels, it tells the
 * agent to stop and stops; its stopping alone would also end the agent's
 * stream, as the agent watches it.
 */
export function logsStream(opts: LogsStreamOptions) {
  return (ctx: ActorContext<LogsStreamMsg>) => {
    const { request, requestId, sink } = opts;
    const self = ctx.self;
    let target: LogTarget | undefined;
    let agent: ActorRef<AgentLogsRequest> | undefined;
    let finished = false;

    const get = async <T>(req: ApiRequest & { type: 'get' }): Promise<{ ok: true; value: T } | { ok: false; error: LogsFailure }> => {
      try {
        const reply = await ctx.ask<ApiReply<T>>(opts.api, req, { timeoutMs: opts.requestTimeoutMs });
        return reply.ok ? reply : { ok: false, error: { code: reply.error.code, message: reply.error.message } };
      } catch (e) {
        if (!(e instanceof AskTimeoutError)) throw e;
        return { ok: false, error: { code: 'DEADLINE_EXCEEDED', message: `Logs: no answer from the API server within ${opts.requestTimeoutMs} ms` } };
      }
    };

    const locate = async (): Promise<LogTargetResult> => {
      const pod = await get<Pod>({ type: 'get', kind: 'Pod', namespace: request.namespace, name: request.name });
      if (!pod.ok) return { type: 'failed', error: pod.error };
      const nodeName = pod.value.spec.nodeName;
      // The node only tells whether it is hollow: when it cannot be read, the agent is asked anyway.
      const node = nodeName !== undefined && nodeName !== '' ? await get<Node>({ type: 'get', kind: 'Node', name: nodeName }) : undefined;
      return logTarget(request, pod.value, node?.ok === true ? node.value : undefined);
    };

    /** Writes the last message and stops: the stream ends in postStop. */
    const finish = (last: LogsMessage | undefined): void => {
      if (finished) return;
      finished = true;
      if (last !== undefined) sink.write(last);
      ctx.stop();
    };

    const fail = (error: LogsFailure): void => finish({ type: 'log-error', error });

    const cancelAgent = (): void => agent?.tell({ type: 'logs-cancel', requestId }, self as ActorRef<never>);

    const ask = (t: LogTarget): void => {
      target = t;
      agent = ctx.resolve<AgentLogsRequest>(agentPathOf(t.nodeName));
      ctx.watch(agent as ActorRef<never>, { type: 'agent-gone' });
      ctx.timers.startSingle('start', { type: 'start-timeout' }, opts.requestTimeoutMs);
      agent.tell(
        {
          type: 'logs',
          requestId,
          namespace: request.namespace,
          name: request.name,
          ...(t.uid !== undefined ? { uid: t.uid } : {}),
          container: t.container,
          follow: request.follow === true,
          previous: request.previous === true,
          ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
        },
        self as ActorRef<never>,
      );
    };

    const write = (seq: number, lines: readonly string[]): void => {
      ctx.timers.cancel('start');
      for (const line of lines) sink.write({ type: 'log-line', line } satisfies LogsMessage);
      // gRPC buffers what the caller has not read yet; the agent's window bounds what is on the way here.
      agent?.tell({ type: 'logs-ack', requestId, seq }, self as ActorRef<never>);
    };

    return {
      preStart: () => {
        // Promise callbacks outside the actor: they only tell the actor.
        void sink.closed.then(() => self.tell({ type: 'caller-gone' }));
        locate().then(
          (r) => self.tell(r),
          (e: unknown) => self.tell({ type: 'failed', error: { code: 'INTERNAL', message: `Logs: ${e instanceof Error ? e.message : String(e)}` } }),
        );
      },
      receive: (m: LogsStreamMsg) => {
        if (finished) return;
        // Answers of another request (which a correct agent never sends here).
        if ('requestId' in m && m.requestId !== requestId) return;
        switch (m.type) {
          case 'target':
            ask(m);
            return;
          case 'failed':
            fail(m.error);
            return;
          case 'logs-started':
            ctx.timers.cancel('start');
            return;
          case 'log-line':
            write(m.seq, [m.line]);
            return;
          case 'log-lines':
            write(m.seq, m.lines);
            return;
          case 'log-end':
            finish({ type: 'log-end' });
            return;
          case 'log-error':
            finish({ type: 'log-error', error: m.error });
            return;
          case 'agent-gone':
            fail({ code: 'UNAVAILABLE', message: `the agent of node ${target?.nodeName ?? '?'} is gone (the node is down or cut off)` });
            return;
          case 'start-timeout':
            cancelAgent();
            fail({ code: 'UNAVAILABLE', message: `the agent of node ${target?.nodeName ?? '?'} did not answer within ${opts.requestTimeoutMs} ms` });
            return;
          case 'caller-gone':
            cancelAgent();
            finish(undefined);
            return;
        }
      },
      postStop: () => sink.end(),
    };
  };
}
