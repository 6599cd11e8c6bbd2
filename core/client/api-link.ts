import { AskTimeoutError } from '../../actors/index.js';
import { ApiError } from '../grpc/index.js';
import { apiPathOf, type ApiReply, type ApiRequest } from '../master/index.js';
import { classifyFailure } from './masters.js';

export interface ApiLinkOptions {
  /** The masters' ids (their actor systems' names). */
  readonly masters: readonly string[];
  /** Asks one master's API actor (an actor context's ask, over NATS or the simulated network). */
  readonly ask: (path: string, request: ApiRequest, timeoutMs: number) => Promise<ApiReply>;
  /** Waits on the caller's clock (ctx.delay). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Per attempt. Default 3,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, the first included. Default 6. */
  readonly attemptsMax?: number;
  /** Back-off between attempts after a failure that named no leader. Default 200 ms. */
  readonly backoffMs?: number;
  /**
   * Index into `masters` of the one asked first. Default 0. Many links (a
   * thousand node agents) should each start at a random one, so their
   * requests and watches spread over the masters instead of all landing on
   * the first.
   */
  readonly firstMaster?: number;
}


/**
 * The masters' API as actor messages, for code that runs as actors (node
 * agents; the simulated world's clients): the same ApiRequest protocol the
 * gRPC edge maps onto, sent to one master's API actor and, when it does not
 * answer or names another leader, to the next. Any master takes any request
 * (a follower forwards writes), so the link only moves on failure.
 *
 * Calls marked idempotent are retried after an unknown outcome (a timeout);
 * others fail with DEADLINE_EXCEEDED so the caller decides.
 */
export class ApiLink {
  private index = 0;
  private readonly timeoutMs: number;
  private readonly attemptsMax: number;
  private readonly backoffMs: number;

  constructor(private readonly opts: ApiLinkOptions) {
    if (opts.masters.length === 0) throw new TypeError('ApiLink: no masters');
    this.timeoutMs = opts.requestTimeoutMs ?? 3_000;
    this.attemptsMax = opts.attemptsMax ?? 6;
    this.backoffMs = opts.backoffMs ?? 200;
    this.index = (opts.firstMaster ?? 0) % opts.masters.length;
  }

  /** The master the next request goes to. */
  get current(): string {
    return this.opts.masters[this.index % this.opts.masters.length]!;
  }

  /** Moves to the next master (e.g. when the current one's watch stream died). */
  moveOn(): void {
    this.index = (this.index + 1) % this.opts.masters.length;
  }

  async call<T>(request: ApiRequest, idempotent: boolean): Promise<T> {
    let last: ApiError | undefined;
    for (let attempt = 0; attempt < this.attemptsMax; attempt++) {
      let reply: ApiReply;
      try {
        reply = await this.opts.ask(apiPathOf(this.current), request, this.timeoutMs);
      } catch (e) {
        if (!(e instanceof AskTimeoutError)) throw e;
        last = new ApiError('DEADLINE_EXCEEDED', `${request.type}: master ${this.current} did not answer within ${this.timeoutMs} ms`, {}, { cause: e });
        this.moveOn();
        if (!idempotent) throw last;
        continue;
      }
      if (reply.ok) return reply.value as T;
      const e = new ApiError(reply.error.code, reply.error.message, reply.error.details);
      const kind = classifyFailure(e);
      if (kind === 'final' || (kind === 'unknown' && !idempotent)) throw e;
      last = e;
      const leader = e.details.leader;
      if (kind === 'redirect' && leader !== undefined && leader !== '' && this.opts.masters.includes(leader) && leader !== this.current) {
        this.index = this.opts.masters.indexOf(leader);
        continue;
      }
      this.moveOn();
      await this.opts.sleep(this.backoffMs);
    }
    throw last ?? new ApiError('UNAVAILABLE', `${request.type}: no master answered`);
  }
}
