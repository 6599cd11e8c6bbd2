import { describe, expect, it } from 'vitest';
import { simulate, type ActorContext, type ActorRef, type ActorSystem, type Simulation } from '../../../actors/index.js';
import type { ApiObject } from '../../../core/api/index.js';
import { apiServer, type ApiReply, type ApiRequest, type WatchMessage } from '../../../core/master/index.js';
import { createKvStore } from '../../../core/store/index.js';
import { replica } from '../../../raft/index.js';
import { MemoryLog } from '../../../raft/storage/index.js';

const IDS = ['m1', 'm2', 'm3'];
const raftPaths = Object.fromEntries(IDS.map((id) => [id, `drover://${id}/user/raft`]));
const apiPaths = Object.fromEntries(IDS.map((id) => [id, `drover://${id}/user/api`]));

async function cluster(sim: Simulation): Promise<ActorSystem> {
  for (const id of IDS) {
    const sys = await sim.system(id);
    const store = createKvStore();
    sys.spawn(replica({ id, peers: raftPaths, voters: IDS, openLog: async () => new MemoryLog(), stateMachine: store }), 'raft');
    sys.spawn(apiServer({ id, store, raftPath: raftPaths[id]!, apiPaths }), 'api');
  }
  const client = await sim.system('client');
  await sim.runFor(3_000);
  return client;
}

const pod = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

describe('watches through the API server (simulated masters)', () => {
  it('stream changes in order, resume from a revision with no gap or duplicate, and honour selectors', async () => {
    await simulate({ seed: 9 }, async (sim) => {
      const client = await cluster(sim);
      const api = client.resolve<ApiRequest>(apiPaths['m2']!);
      const call = <T>(req: ApiRequest) => sim.settle(api.ask<ApiReply<T>>(req, { timeoutMs: 5_000 }));
      const seen: WatchMessage[] = [];
      const webOnly: WatchMessage[] = [];
      const watcher = (into: WatchMessage[]) => (ctx: ActorContext<WatchMessage>) => (m: WatchMessage) => void (into.push(m), ctx);
      const all = client.spawn(watcher(seen), 'all');
      const web = client.spawn(watcher(webOnly), 'web');
      api.tell({ type: 'watch', watchId: 'w-all', kind: 'Pod', namespace: 'default' }, all as ActorRef<never>);
      api.tell({ type: 'watch', watchId: 'w-web', kind: 'Pod', selector: 'app=web' }, web as ActorRef<never>);
      await sim.runFor(100);

      const a = (await call<ApiObject>({ type: 'create', object: pod('a', { app: 'web' }) })) as { value: ApiObject };
      await call({ type: 'create', object: pod('b', { app: 'db' }) });
      await call({ type: 'update', object: { ...a.value, metadata: { ...a.value.metadata, labels: { app: 'other' } } } });
      await call({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'b' });
      await sim.runFor(500);

      // watch-started (the confirmation) is left out: only what the watch delivers.
      const events = (ms: WatchMessage[]) => ms.filter((m) => m.type !== 'watch-started');
      const summary = (ms: WatchMessage[]) => events(ms).map((m) => (m.type === 'watch-event' ? `${m.event} ${m.object.metadata.name}` : m.type === 'watch-error' ? `error ${m.error.code}` : ''));
      expect(summary(seen)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
      // a stopped matching app=web: it leaves that watcher's view as a DELETED.
      expect(summary(webOnly)).toEqual(['ADDED a', 'DELETED a']);
      const revisions = events(seen).map((m) => (m.type === 'watch-event' ? m.revision : 0));
      expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);

      // Resume after the second event, on another master: the rest, once each.
      const resumed: WatchMessage[] = [];
      const again = client.spawn(watcher(resumed), 'again');
      const from = String(revisions[1]);
      client.resolve<ApiRequest>(apiPaths['m3']!).tell({ type: 'watch', watchId: 'w-again', kind: 'Pod', namespace: 'default', resourceVersion: from }, again as ActorRef<never>);
      await sim.runFor(500);
      expect(summary(resumed)).toEqual(['MODIFIED a', 'DELETED b']);
    });
  });
});
