import type { ApiErrorCode } from '../grpc/index.js';

// `Logs`: a container's output, from the node agent that runs it, through a
// master, to a client. Two legs, each plain data:
//   client --gRPC Logs--> master: LogsRequest, answered by a stream of LogsMessages;
//   master --NATS--> node agent: AgentLogsRequest, answered by AgentLogsMessages.

/** What the `Logs` server-stream method takes (msgpack). */
export interface LogsRequest {
  readonly namespace: string;
  /** The pod. */
  readonly name: string;
  /** The container; the pod's only one when absent. */
  readonly container?: string;
  /** Keep streaming lines as the container writes them, until cancelled or the container exits. */
  readonly follow?: boolean;
  /** The log of the container's previous run (the attempt before the latest). */
  readonly previous?: boolean;
  /** Only the last this many lines (before following). */
  readonly tailLines?: number;
}

/** Why a log stream ended early: an ApiErrorCode and a message for people. */
export interface LogsFailure {
  readonly code: ApiErrorCode;
  readonly message: string;
}

/**
 * One message of the `Logs` stream: lines, then exactly one `log-end` or
 * `log-error`, after which the stream ends. A follow that is cancelled ends
 * with neither.
 */
export type LogsMessage =
  | { readonly type: 'log-line'; readonly line: string }
  | { readonly type: 'log-end' }
  | { readonly type: 'log-error'; readonly error: LogsFailure };

/**
 * What a node agent's logs server accepts (sent to the agent, which routes
 * it). Answers go to the sender of `logs`, which the server also watches: a
 * sender that stops ends its streams.
 */
export type AgentLogsRequest =
  | {
      readonly type: 'logs';
      /** Unique per sender; every answer carries it. */
      readonly requestId: string;
      readonly namespace: string;
      readonly name: string;
      /** The pod's uid: containers of an older pod of the same name are not this one's. */
      readonly uid?: string;
      readonly container: string;
      readonly follow: boolean;
      readonly previous: boolean;
      readonly tailLines?: number;
    }
  /**
   * The sender has taken every batch up to and including `seq`: the server
   * keeps a bounded window of unacknowledged lines and stops reading while
   * it is full.
   */
  | { readonly type: 'logs-ack'; readonly requestId: string; readonly seq: number }
  /** Stops the stream (a follow, or a read still going); nothing more is sent. */
  | { readonly type: 'logs-cancel'; readonly requestId: string };

/**
 * A logs server's answers to one `logs` request: `logs-started` once the
 * container's log is open, then batches of lines numbered from 1 (one line
 * as `log-line`, several as `log-lines`), then one `log-end` or
 * `log-error`.
 */
export type AgentLogsMessage =
  | { readonly type: 'logs-started'; readonly requestId: string }
  | { readonly type: 'log-line'; readonly requestId: string; readonly seq: number; readonly line: string }
  | { readonly type: 'log-lines'; readonly requestId: string; readonly seq: number; readonly lines: readonly string[] }
  | { readonly type: 'log-end'; readonly requestId: string }
  | { readonly type: 'log-error'; readonly requestId: string; readonly error: LogsFailure };

/**
 * The agent actor of a (real) node: each `drover node` runs an actor system
 * named for the node with the agent at `/user/agent-<node>`. Hollow nodes
 * live in other systems and keep no logs.
 */
export const agentPathOf = (nodeName: string): string => `drover://${nodeName}/user/${agentActorName(nodeName)}`;

/** The name of the node agent's actor in its system (a hollow process holds many agents, so the name carries the node's). */
export const agentActorName = (nodeName: string): string => `agent-${nodeName}`;
