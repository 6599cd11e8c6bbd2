import type { Clock } from '../../actors/index.js';
import { ApiError, GrpcConnection } from '../grpc/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC } from '../master/index.js';

/** What the client needs of a connection to one master (a GrpcConnection, or a test's fake). */
export interface MasterConnection {
  unary<T>(method: string, request: unknown, options?: { deadlineMs?: number }): Promise<T>;
  stream<T>(method: string, request: unknown, onMessage: (m: T) => void): { cancel(): void; readonly done: Promise<void> };
  close(): void;
}

export interface RetryPolicy {
  /** Attempts per call, the first included. Default 8. */
  readonly attemptsMax: number;
  /** First back-off; doubles per attempt up to `backoffMaxMs`. Default 50 ms. */
  readonly backoffBaseMs: number;
  /** Default 1,000 ms. */
  readonly backoffMaxMs: number;
  /** Per-call deadline. Default 10,000 ms. */
  readonly deadlineMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attemptsMax: 8, backoffBaseMs: 50, backoffMaxMs: 1_000, deadlineMs: 10_000 };

/**
 * How a failed call ends:
 * - `redirect`: the master refused and named the leader; the call was not
 *   done, so any call may go again, to the leader, at once.
 * - `not-sent`: no connection; the call never left, so any call may go again
 *   to another master after a back-off.
 * - `unknown`: the call may or may not have taken effect (a deadline, a
 *   connection lost mid-call): only idempotent calls go again.
 * - `final`: the master's answer; surfaced as it is.
 */
export type FailureClass = 'redirect' | 'not-sent' | 'unknown' | 'final';

export function classifyFailure(e: ApiError): FailureClass {
  if (e.code === 'UNAVAILABLE') {
    if (e.details.leaderAddress !== undefined || e.details.leader !== undefined) return 'redirect';
    // grpc-js reports a connection that was never established this way; the request was not sent.
    if (/No connection established|ECONNREFUSED|failed to connect|Name resolution failed/i.test(e.message)) return 'not-sent';
    return 'unknown';
  }
  if (e.code === 'DEADLINE_EXCEEDED' || e.code === 'CANCELLED') return 'unknown';
  return 'final';
}

/**
 * The masters a client knows and which one it talks to: the last that
 * answered, or the leader one of them named. Connections open on first use.
 */
export class MasterSet {
  private readonly addresses: string[];
  private readonly connections = new Map<string, MasterConnection>();
  private currentIndex = 0;

  constructor(
    addresses: readonly string[],
    private readonly clock: Clock,
    private readonly connect: (address: string) => MasterConnection = (a) => new GrpcConnection(a, API_SERVICE_NAME, API_SERVICE_SPEC, clock),
  ) {
    if (addresses.length === 0) throw new ApiError('INVALID_ARGUMENT', 'no master addresses given');
    this.addresses = [...new Set(addresses)];
  }

  get current(): string {
    // Invariant: 0 <= currentIndex < addresses.length, and addresses is never empty.
    return this.addresses[this.currentIndex]!;
  }

  get all(): readonly string[] {
    return this.addresses;
  }

  connection(address: string = this.current): MasterConnection {
    let c = this.connections.get(address);
    if (!c) {
      c = this.connect(address);
      this.connections.set(address, c);
    }
    return c;
  }

  /** Talk to `address` next (a leader hint); learns it if it was not known. */
  moveTo(address: string): void {
    let i = this.addresses.indexOf(address);
    if (i < 0) i = this.addresses.push(address) - 1;
    this.currentIndex = i;
  }

  /** Talk to the next master in the list next. */
  moveOn(): void {
    this.currentIndex = (this.currentIndex + 1) % this.addresses.length;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }

  close(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }
}

/**
 * The gRPC address in a leader hint, if it is one. Masters name the leader by
 * whatever they know it by (an actor path inside the cluster); only a
 * `host:port` can be dialled.
 */
export function dialableHint(hint: string | undefined): string | undefined {
  return hint !== undefined && /^[^\s/:]+:\d+$/.test(hint) ? hint : undefined;
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.min(attempt, 20));
}
