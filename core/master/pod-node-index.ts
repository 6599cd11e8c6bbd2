import { prefixFor } from '../api/index.js';
import type { KvStore, StoreNotification } from '../store/index.js';
import { decodeNotified, decodeObject } from './registry.js';

const PODS = prefixFor('Pod');

/**
 * Which pods are bound to each node, kept current from the store's
 * notifications: a node agent's list (`spec.nodeName=n1`) reads its own
 * pods instead of decoding every pod of the cluster. As the Kubernetes API
 * server's watch cache indexes pods by node for the kubelets.
 */
export class PodNodeIndex {
  private readonly keysByNode = new Map<string, Set<string>>();
  private readonly nodeByKey = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: KvStore) {
    this.rebuild();
    this.unsubscribe = store.subscribe((n) => this.onStore(n));
  }

  /** The keys of the pods bound to `nodeName` now, sorted. */
  keysOf(nodeName: string): string[] {
    return [...(this.keysByNode.get(nodeName) ?? [])].sort();
  }

  close(): void {
    this.unsubscribe();
  }

  private set(key: string, nodeName: string | undefined): void {
    const was = this.nodeByKey.get(key);
    if (was === nodeName) return;
    if (was !== undefined) {
      const keys = this.keysByNode.get(was)!;
      keys.delete(key);
      if (keys.size === 0) this.keysByNode.delete(was);
      this.nodeByKey.delete(key);
    }
    if (nodeName === undefined) return;
    this.nodeByKey.set(key, nodeName);
    let keys = this.keysByNode.get(nodeName);
    if (keys === undefined) this.keysByNode.set(nodeName, (keys = new Set()));
    keys.add(key);
  }

  private rebuild(): void {
    this.keysByNode.clear();
    this.nodeByKey.clear();
    let startAfter: string | undefined;
    for (;;) {
      const page = this.store.range({ prefix: PODS, limit: 1_000, ...(startAfter !== undefined ? { startAfter } : {}) });
      for (const kv of page.kvs) this.set(kv.key, (decodeObject(kv) as { spec?: { nodeName?: string } }).spec?.nodeName);
      if (!page.more || page.kvs.length === 0) return;
      startAfter = page.kvs[page.kvs.length - 1]!.key;
    }
  }

  private onStore(n: StoreNotification): void {
    if (n.type === 'restored') return this.rebuild();
    if (n.type !== 'events') return;
    for (const ev of n.events) {
      if (!ev.kv.key.startsWith(PODS)) continue;
      if (ev.type === 'DELETE') this.set(ev.kv.key, undefined);
      else this.set(ev.kv.key, (decodeNotified(n, ev.kv) as { spec?: { nodeName?: string } }).spec?.nodeName);
    }
  }
}
