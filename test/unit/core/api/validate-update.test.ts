import { describe, expect, it } from 'vitest';
import { admitUpdate, applyDefaults, prepareForUpdate, validateUpdate } from '../../../../core/api/index.js';
import type { ApiObject, Deployment, Pod } from '../../../../core/api/index.js';
import { CREATE, deployment, edit, pod, replicaSet, service } from './fixtures.js';

/** As the store would hold it: defaulted, with a revision. */
function stored<T extends ApiObject>(obj: T): T {
  return edit(applyDefaults(obj, CREATE), (o) => (o.metadata.resourceVersion = '7'));
}

function messagesOf(old: ApiObject, next: unknown): string[] {
  const result = validateUpdate(old, next);
  return result.ok ? [] : result.error.errors.map((e) => `${e.path}: ${e.rule}`);
}

describe('validateUpdate', () => {
  it('accepts an update of mutable fields', () => {
    const old = stored(deployment());
    const next = edit(old, (o) => {
      o.spec.replicas = 10;
      o.spec.template.spec.containers[0].image = 'nginx:1.26';
      o.metadata.labels.release = 'v2';
      o.metadata.annotations = { 'drover.io/change-cause': 'bump nginx' };
    });
    expect(messagesOf(old, next)).toEqual([]);
  });

  it.each<[string, (o: any) => void, string]>([
    ['kind', (o) => (o.kind = 'ReplicaSet'), 'kind: is immutable (was "Deployment")'],
    ['metadata.name', (o) => (o.metadata.name = 'web2'), 'metadata.name: is immutable (was "web")'],
    ['metadata.namespace', (o) => (o.metadata.namespace = 'prod'), 'metadata.namespace: is immutable (was "default")'],
    ['metadata.uid', (o) => (o.metadata.uid = 'other'), `metadata.uid: is immutable (was "${CREATE.uid}")`],
    ['metadata.uid removed', (o) => delete o.metadata.uid, `metadata.uid: is immutable (was "${CREATE.uid}")`],
    ['metadata.creationTimestamp', (o) => (o.metadata.creationTimestamp = '2030-01-01T00:00:00Z'), `metadata.creationTimestamp: is immutable (was "${CREATE.nowIso}")`],
    ['spec.selector', (o) => (o.spec.selector.matchLabels.app = 'api'), 'spec.selector: is immutable (was {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]})'],
  ])('refuses a change of %s', (_field, change, expected) => {
    const old = stored(deployment());
    expect(messagesOf(old, edit(old, change))).toContain(expected);
  });

  it('keeps a ReplicaSet selector fixed too', () => {
    const old = stored(replicaSet());
    expect(messagesOf(old, edit(old, (o) => (o.spec.selector = { matchLabels: { app: 'web', v: '2' } })))[0]).toMatch(/^spec\.selector: is immutable/);
  });

  it('lets a deletionTimestamp be set once, then never changed or removed', () => {
    const old = stored(service());
    const deleting = edit(old, (o) => (o.metadata.deletionTimestamp = '2024-05-02T00:00:00Z'));
    expect(messagesOf(old, deleting)).toEqual([]);
    expect(messagesOf(deleting, edit(deleting, (o) => delete o.metadata.deletionTimestamp))).toEqual([
      'metadata.deletionTimestamp: may not change once set (was "2024-05-02T00:00:00Z")',
    ]);
  });

  it('reports the rules of the new object too', () => {
    const old = stored(deployment());
    const messages = messagesOf(old, edit(old, (o) => {
      o.metadata.name = 'web2';
      o.spec.replicas = -3;
    }));
    expect(messages).toEqual(['metadata.name: is immutable (was "web")', 'spec.replicas: must be >= 0']);
  });

  describe('pods', () => {
    it('may change container images and tolerations, and be bound to a node once', () => {
      const old = stored(pod());
      const next = edit(old, (o) => {
        o.spec.containers[0].image = 'nginx:1.26';
        o.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
        o.spec.nodeName = 'node-1';
        o.status = { phase: 'Running' };
      });
      expect(messagesOf(old, next)).toEqual([]);
    });

    it('may not move to another node', () => {
      const old = stored(edit(pod(), (o) => (o.spec.nodeName = 'node-1')));
      expect(messagesOf(old, edit(old, (o) => (o.spec.nodeName = 'node-2')))).toEqual(['spec.nodeName: may not change once set (was "node-1")']);
    });

    it('may not change anything else in the spec, and says where', () => {
      const old = stored(pod());
      const messages = messagesOf(old, edit(old, (o) => {
        o.spec.containers[0].ports[0].containerPort = 81;
        o.spec.restartPolicy = 'Never';
      }));
      expect(messages.map((m) => m.split(': ')[0])).toEqual(['spec.containers[0].ports[0].containerPort', 'spec.restartPolicy']);
      expect(messages[0]).toMatch(/is immutable: a pod update may only change containers\[\*\]\.image/);
    });
  });
});

describe('prepareForUpdate', () => {
  it('carries the server-owned metadata over when the update leaves it out', () => {
    const old = stored(deployment());
    const applied = deployment(); // the manifest again: no uid, no creationTimestamp
    delete applied.metadata.namespace;
    const next = prepareForUpdate(old, applied);
    expect(next.metadata).toMatchObject({ namespace: 'default', uid: CREATE.uid, creationTimestamp: CREATE.nowIso });
  });

  it('bumps the generation only when the spec changes', () => {
    const old = stored(deployment());
    expect(prepareForUpdate(old, edit(old, (o) => (o.metadata.labels.x = 'y'))).metadata.generation).toBe(1);
    expect(prepareForUpdate(old, edit(old, (o) => (o.status = { replicas: 3 }))).metadata.generation).toBe(1);
    expect(prepareForUpdate(old, edit(old, (o) => (o.spec.replicas = 5))).metadata.generation).toBe(2);
  });

  it('compares specs after defaults, so restating a default is no change', () => {
    const old = stored(deployment()) as Deployment;
    const restated = edit(deployment(), (o) => delete o.spec.replicas); // replicas: 3 -> default 1 is a change...
    expect(prepareForUpdate(old, restated).metadata.generation).toBe(2);
    const same = deployment(); // ...while the manifest as first applied is none
    expect(prepareForUpdate(old, same).metadata.generation).toBe(1);
  });
});

describe('admitUpdate', () => {
  it('re-applying the same manifest is a valid update with no new generation', () => {
    const old = stored(pod());
    const result = admitUpdate(old, pod());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.metadata.generation).toBe(1);
  });

  it('refuses an immutable change made through a manifest', () => {
    const old = stored(pod()) as Pod;
    const result = admitUpdate(old, edit(pod(), (o) => (o.spec.restartPolicy = 'OnFailure')));
    expect(result.ok ? [] : result.error.errors.map((e) => e.path)).toEqual(['spec.restartPolicy']);
  });
});

describe('admitUpdate owns its copy', () => {
  it('never changes the object it was given, with the spec sent back unchanged or not', () => {
    const old = stored(deployment());
    for (const input of [edit(old, (o) => (o.metadata.labels = { changed: 'yes' })), edit(old, (o) => (o.spec.replicas = 9)), edit(old, (o) => (o.status = { replicas: 2 }))]) {
      const { uid: _u, creationTimestamp: _c, generation: _g, ...meta } = input.metadata;
      const sent = { ...input, metadata: meta };
      const before = structuredClone(sent);
      const admitted = admitUpdate(old, sent);
      expect(admitted.ok).toBe(true);
      expect(sent).toEqual(before);
      if (admitted.ok) expect(admitted.value.metadata.generation).toBe(input.spec.replicas === old.spec.replicas ? 1 : 2);
    }
  });
});
