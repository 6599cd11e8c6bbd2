import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameError, type ActorRef, type ActorSystem, type NatsTransport } from '../../actors/index.js';
import { Kind, decodeFrame, encodeFrame } from '../../actors/remote/codec.js';
import { deferred, withTimeout } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor, startTestSystem, uniqueSystemName } from '../support/nats.js';
import { echo, type Ping, type Pong } from './fixtures/behaviors.js';
import { CORPUS_MIX, buildCorpus, type CorpusKind } from './fixtures/frame-corpus.js';
import { startPeer, type Peer } from './fixtures/peer-process.js';

// A live system (in the test process) takes 10,000 hostile frames on its own
// subject from a raw nats.js connection: random bytes, truncated frames,
// valid msgpack of the wrong shape, unknown versions, malformed names, and
// well-formed frames for actors that do not exist. It must count each one
// in stats, act on none, and keep serving a system in another process.
// Replay a failure with DROVER_TEST_SEED=<seed printed in the failure>.

const SEED = Number(process.env['DROVER_TEST_SEED'] ?? 0x5eed_f00d);
const SENTINEL_N = 424_242;

describe('bad frames over real NATS', () => {
  const cleanup = new Cleanup();
  let victim: ActorSystem;
  let transport: NatsTransport;
  let liveEcho: ActorRef<Ping>;
  let asker: Peer;
  let raw: NatsConnection;
  /** A name the raw connection answers to, as if it were a system. */
  const proberName = uniqueSystemName('prober');

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    ({ system: victim, transport } = await startTestSystem(cleanup, nats.url, uniqueSystemName('victim')));
    liveEcho = victim.spawn(echo, 'echo');
    asker = await startPeer(cleanup, nats.url, uniqueSystemName('asker'));
    raw = await connect({ servers: nats.url, name: 'bad-frame-publisher' });
    cleanup.add('raw nats connection', () => raw.close());
  });

  afterAll(() => cleanup.run());

  const askFromOtherProcess = (n: number) =>
    asker.process.request<{ reply: Pong }>({ cmd: 'ask', path: liveEcho.path, message: { type: 'Ping', n }, timeoutMs: 20_000 }, 30_000);

  it('counts every bad frame, dead-letters envelopes for missing actors, acts on nothing, and keeps serving', async () => {
    const seedNote = `seed ${SEED} (replay with DROVER_TEST_SEED=${SEED})`;
    const corpus = buildCorpus(SEED, { systemName: victim.name, livePath: liveEcho.path, fromName: proberName });
    const total = Object.values(CORPUS_MIX).reduce((a, b) => a + b, 0);
    expect(corpus).toHaveLength(total);
    expect(total).toBe(10_000);

    // Precondition: the codec, run here, agrees with every label of the corpus.
    const resolveHere = (p: string) => victim.resolve(p) as ActorRef<never>;
    const mislabelled: { kind: CorpusKind; index: number; problem: string }[] = [];
    for (const [index, f] of corpus.entries()) {
      try {
        decodeFrame(f.bytes, resolveHere);
        if (f.expect === 'bad') mislabelled.push({ kind: f.kind, index, problem: 'decodes, but should not' });
      } catch (e) {
        if (!(e instanceof FrameError)) mislabelled.push({ kind: f.kind, index, problem: `threw ${String(e)} instead of a FrameError` });
        else if (f.expect !== 'bad') mislabelled.push({ kind: f.kind, index, problem: `does not decode: ${e.reason}` });
      }
    }
    expect(mislabelled.slice(0, 5), `${mislabelled.length} frames the codec judges differently; ${seedNote}`).toEqual([]);
    const expectedBad = corpus.filter((f) => f.expect === 'bad').length;
    const expectedDead = corpus.reduce((n, f) => n + f.deadLetters, 0);
    const expectedDeaths = corpus.reduce((n, f) => n + f.watchesOfMissing, 0);
    expect(corpus.filter((f) => f.kind === 'random-bytes' && f.bytes.byteLength === 0).length).toBeGreaterThan(0);

    // The raw connection plays a system: whatever the victim sends "back" lands here.
    const pongs: Pong[] = [];
    let deaths = 0;
    let unreadable = 0;
    const sentinel = deferred<Pong>();
    raw.subscribe(transport.subjectOf(proberName), {
      callback: (err, msg) => {
        if (err !== null) return;
        let frame;
        try {
          frame = decodeFrame(msg.data, resolveHere);
        } catch {
          return void unreadable++;
        }
        for (const e of frame.envelopes) {
          if (e[0] === Kind.Death) deaths++;
          if (e[0] !== Kind.User) continue;
          const pong = e[3] as Pong;
          pongs.push(pong);
          if (pong.n === SENTINEL_N) sentinel.resolve(pong);
        }
      },
    });
    await raw.flush();

    const before = victim.stats;
    expect((await askFromOtherProcess(1)).reply).toEqual({ type: 'Pong', n: 1, by: victim.name });

    // The storm, with an ask from the other process in the middle of it.
    const subject = transport.subjectOf(victim.name);
    let midStorm: ReturnType<typeof askFromOtherProcess> | null = null;
    for (const [i, f] of corpus.entries()) {
      raw.publish(subject, f.bytes);
      if (i % 500 === 499) await raw.flush();
      if (i === corpus.length >> 1) midStorm = askFromOtherProcess(2);
    }
    // One valid ping last: NATS keeps one connection's order, so its answer
    // means the victim has handled every frame before it.
    raw.publish(subject, encodeFrame(proberName, [[Kind.User, liveEcho.path, `drover://${proberName}/user/probe`, { type: 'Ping', n: SENTINEL_N }]]));
    await raw.flush();
    expect(await withTimeout(sentinel.promise, 30_000, `the victim's answer to the sentinel ping; ${seedNote}`)).toEqual({ type: 'Pong', n: SENTINEL_N, by: victim.name });

    const after = victim.stats;
    expect(after.badFrames - before.badFrames, `badFrames; ${seedNote}`).toBe(expectedBad);
    expect(after.deadLetters - before.deadLetters, `deadLetters; ${seedNote}`).toBe(expectedDead);
    // Nothing hostile was acted on: the only answer was to the sentinel, and
    // every watch of a missing actor was answered with its death.
    expect(pongs, `replies the victim sent to the prober; ${seedNote}`).toEqual([{ type: 'Pong', n: SENTINEL_N, by: victim.name }]);
    expect(deaths).toBe(expectedDeaths);
    expect(unreadable).toBe(0);

    // Still serving another process, during the storm and after it.
    expect((await midStorm!).reply).toEqual({ type: 'Pong', n: 2, by: victim.name });
    expect((await askFromOtherProcess(3)).reply).toEqual({ type: 'Pong', n: 3, by: victim.name });
    expect(victim.stats.badFrames).toBe(after.badFrames);
  });
});
