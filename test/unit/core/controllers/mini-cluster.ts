// An in-memory cluster for driving reconciles step by step: it performs
// ControllerActions as the API would (uids, resourceVersions, conflicts,
// graceful pod deletion) and plays the node agents' part on demand.

import type { ApiObject, Deployment, Pod, ReplicaSet } from '../../../../core/api/index.js';
import type { ControllerAction, EventAction } from '../../../../core/controllers/index.js';
import { canonicalJson } from '../../../../core/controllers/index.js';
import { iso, T0 } from './fixtures.js';

const keyOf = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

export class MiniCluster {
  nowMs = T0;
  readonly objects = new Map<string, ApiObject>();
  readonly events: EventAction[] = [];
  private revision = 100;
  private uids = 0;
  private suffixes = 0;

  readonly newSuffix = (): string => (this.suffixes++).toString(36).padStart(5, '0');

  /** Stores `obj` as the API's create does. */
  create<T extends ApiObject>(input: T): T {
    const key = keyOf(input.kind, input.metadata.namespace, input.metadata.name);
    if (this.objects.has(key)) throw new Error(`already exists: ${key}`);
    const obj = structuredClone(input);
    obj.metadata.uid ??= `uid-${++this.uids}`;
    obj.metadata.resourceVersion = String(++this.revision);
    obj.metadata.generation = 1;
    obj.metadata.creationTimestamp = iso(this.nowMs);
    this.objects.set(key, obj);
    return obj;
  }

  /** Replaces a stored object as a client's update would (generation + 1 when the spec changes). */
  write<T extends ApiObject>(next: T): T {
    const key = keyOf(next.kind, next.metadata.namespace, next.metadata.name);
    const old = this.objects.get(key);
    if (old === undefined) throw new Error(`not found: ${key}`);
    const obj = structuredClone(next);
    const specOf = (o: ApiObject): unknown => (o as { spec?: unknown }).spec;
    obj.metadata.generation = (old.metadata.generation ?? 1) + (canonicalJson(specOf(old)) !== canonicalJson(specOf(obj)) ? 1 : 0);
    obj.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key, obj);
    return obj;
  }

  get<T extends ApiObject>(kind: T['kind'], name: string, namespace: string | undefined = 'default'): T | undefined {
    return this.objects.get(keyOf(kind, namespace, name)) as T | undefined;
  }

  list<T extends ApiObject>(kind: T['kind']): T[] {
    return [...this.objects.values()].filter((o): o is T => o.kind === kind).map((o) => structuredClone(o));
  }

  pods(): Pod[] {
    return this.list<Pod>('Pod');
  }

  replicaSets(): ReplicaSet[] {
    return this.list<ReplicaSet>('ReplicaSet');
  }

  deployment(name = 'web'): Deployment {
    const d = this.get<Deployment>('Deployment', name);
    if (d === undefined) throw new Error(`no deployment ${name}`);
    return structuredClone(d);
  }

  /** Performs actions in order, as the drivers do; a conflict is a bug of the reconcile under test and throws. */
  apply(actions: readonly ControllerAction[]): void {
    for (const action of actions) this.applyOne(action);
  }

  private applyOne(action: ControllerAction): void {
    switch (action.type) {
      case 'create':
        this.create(action.object);
        return;
      case 'update':
      case 'updateStatus': {
        const o = action.object;
        const key = keyOf(o.kind, o.metadata.namespace, o.metadata.name);
        const old = this.objects.get(key);
        if (old === undefined) throw new Error(`${action.type}: not found: ${key}`);
        if (o.metadata.resourceVersion !== old.metadata.resourceVersion) {
          throw new Error(`${action.type}: conflict on ${key}: read ${o.metadata.resourceVersion}, stored ${old.metadata.resourceVersion}`);
        }
        if (action.type === 'update') this.write(o);
        else this.write({ ...old, status: (o as { status?: unknown }).status } as ApiObject);
        return;
      }
      case 'delete': {
        const key = keyOf(action.kind, action.namespace, action.name);
        const old = this.objects.get(key);
        if (old === undefined) throw new Error(`delete: not found: ${key}`);
        if (action.uid !== undefined && action.uid !== old.metadata.uid) throw new Error(`delete: uid precondition failed on ${key}`);
        if (action.resourceVersion !== undefined && action.resourceVersion !== old.metadata.resourceVersion) {
          throw new Error(`delete: conflict on ${key}`);
        }
        if (old.kind === 'Pod' && old.spec.nodeName !== undefined && action.gracePeriodSeconds !== 0) {
          const phase = old.status?.phase;
          if (phase !== 'Succeeded' && phase !== 'Failed') {
            if (old.metadata.deletionTimestamp !== undefined) return;
            const grace = action.gracePeriodSeconds ?? old.spec.terminationGracePeriodSeconds ?? 30;
            this.write({ ...old, metadata: { ...old.metadata, deletionTimestamp: iso(this.nowMs + grace * 1_000), deletionGracePeriodSeconds: grace } });
            return;
          }
        }
        this.objects.delete(key);
        return;
      }
      case 'event':
        this.events.push(action);
        return;
    }
  }

  // The node agents' part.

  /** Binds every unbound pod to `node` and starts it (Running, not ready). */
  scheduleAll(node = 'n1'): void {
    for (const p of this.pods()) {
      if (p.spec.nodeName !== undefined || p.metadata.deletionTimestamp !== undefined) continue;
      this.write({ ...p, spec: { ...p.spec, nodeName: node }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } });
    }
  }

  /** The pod's Ready condition turns True now. */
  makeReady(p: Pod): void {
    this.write({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(this.nowMs) }] } });
  }

  /** Every running pod that is not ready becomes ready now. */
  readyAll(): void {
    for (const p of this.pods()) {
      if (p.spec.nodeName === undefined || p.metadata.deletionTimestamp !== undefined) continue;
      if (!(p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) this.makeReady(p);
    }
  }

  /** The agent finishes stopping a terminating pod and removes it. */
  removePod(p: Pod): void {
    this.objects.delete(keyOf('Pod', p.metadata.namespace, p.metadata.name));
  }

  removeTerminating(): void {
    for (const p of this.pods()) if (p.metadata.deletionTimestamp !== undefined) this.removePod(p);
  }

  tick(ms: number): void {
    this.nowMs += ms;
  }
}
