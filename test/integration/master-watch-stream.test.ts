import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, createLogger, realWorld, type ActorContext, type ActorRef } from '../../actors/index.js';
import type { StreamSink } from '../../core/grpc/index.js';
import type { ApiRequest, WatchMessage } from '../../core/master/index.js';
import { watchStream } from '../../core/master/process/index.js';
import { deferred, sleep } from '../support/async.js';

// The per-call actor behind the Watch RPC, in one local actor system with a
// stand-in API actor and a recording stream sink.

function recordingSink() {
  const closed = deferred<void>();
  const sink = { written: [] as unknown[], ended: 0, write: (m: unknown) => sink.written.push(m), end: () => sink.ended++, fail: () => undefined, closed: closed.promise };
  return { sink: sink as typeof sink & StreamSink, closeByCaller: () => closed.resolve() };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await sleep(10);
  if (!cond()) throw new Error(`not within 1 s: ${what}`);
}

describe('the Watch stream actor', () => {
  let system: ActorSystem;
  const received: { msg: ApiRequest; from: ActorRef<WatchMessage> | null }[] = [];
  let api: ActorRef<ApiRequest>;

  beforeAll(async () => {
    system = await ActorSystem.start({ name: 'watch-stream-test', world: realWorld({ logger: createLogger({ level: 'error' }) }) });
    api = system.spawn((ctx: ActorContext<ApiRequest>) => (msg: ApiRequest) => {
      received.push({ msg, from: ctx.sender as ActorRef<WatchMessage> | null });
    }, 'api');
  });

  afterAll(() => system.terminate());

  it('subscribes, writes each event, and unwatches and stops when the caller goes away', async () => {
    const { sink, closeByCaller } = recordingSink();
    system.spawn(watchStream(api, 'w1', { kind: 'Pod', namespace: 'default', resourceVersion: '7' }, sink), 'watch-1');
    await until(() => received.length === 1, 'the watch request');
    expect(received[0]!.msg).toEqual({ type: 'watch', watchId: 'w1', kind: 'Pod', namespace: 'default', resourceVersion: '7' });
    const subscriber = received[0]!.from!;
    const event = { type: 'watch-event', watchId: 'w1', event: 'ADDED', object: { kind: 'Pod' }, revision: 8 } as unknown as WatchMessage;
    subscriber.tell(event);
    await until(() => sink.written.length === 1, 'the event written');
    expect(sink.written[0]).toEqual(event);

    closeByCaller();
    await until(() => received.length === 2, 'the unwatch');
    expect(received[1]!.msg).toEqual({ type: 'unwatch', watchId: 'w1' });
    await until(() => sink.ended > 0, 'the stream ended');
  });

  it('writes a watch error, then ends the stream', async () => {
    const { sink } = recordingSink();
    const before = received.length;
    system.spawn(watchStream(api, 'w2', { kind: 'Pod' }, sink), 'watch-2');
    await until(() => received.length === before + 1, 'the watch request');
    const error = { type: 'watch-error', watchId: 'w2', error: { code: 'FAILED_PRECONDITION', message: 'compacted', details: {} } } as WatchMessage;
    received[before]!.from!.tell(error);
    await until(() => sink.ended > 0, 'the stream ended');
    expect(sink.written).toEqual([error]);
  });
});
