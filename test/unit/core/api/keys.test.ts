import { describe, expect, it } from 'vitest';
import { isNamespaced, keyFor, keyOf, KINDS, kindInfo, parseKey, prefixFor, resolveKind } from '../../../../core/api/index.js';
import { node, pod } from './fixtures.js';

describe('storage keys', () => {
  it.each([
    ['Pod', 'default', 'web-1', '/registry/pods/default/web-1'],
    ['ReplicaSet', 'prod', 'web-5d8f', '/registry/replicasets/prod/web-5d8f'],
    ['Deployment', 'prod', 'web', '/registry/deployments/prod/web'],
    ['Service', 'default', 'web', '/registry/services/default/web'],
    ['Endpoints', 'default', 'web', '/registry/endpoints/default/web'],
    ['Event', 'default', 'web-1.17c2', '/registry/events/default/web-1.17c2'],
    ['Namespace', undefined, 'team-a', '/registry/namespaces/team-a'],
    ['Node', undefined, 'node-1', '/registry/nodes/node-1'],
  ] as const)('%s %s/%s -> %s', (kind, namespace, name, key) => {
    expect(keyFor(kind, namespace, name)).toBe(key);
    expect(parseKey(key)).toEqual(namespace === undefined ? { kind, name } : { kind, namespace, name });
  });

  it('keys an object by its kind, namespace and name', () => {
    expect(keyOf(pod())).toBe('/registry/pods/default/web-1');
    expect(keyOf(node())).toBe('/registry/nodes/node-1');
  });

  it('prefixes end in / so that one namespace never covers another', () => {
    expect(prefixFor('Pod')).toBe('/registry/pods/');
    expect(prefixFor('Pod', 'a')).toBe('/registry/pods/a/');
    expect(keyFor('Pod', 'ab', 'x').startsWith(prefixFor('Pod', 'a'))).toBe(false);
    expect(keyFor('Pod', 'a', 'x').startsWith(prefixFor('Pod', 'a'))).toBe(true);
    expect(prefixFor('Node')).toBe('/registry/nodes/');
  });

  it('throws on a scope mismatch (a bug in the caller)', () => {
    expect(() => keyFor('Pod', undefined, 'x')).toThrow(/namespaced/);
    expect(() => keyFor('Node', 'default', 'x')).toThrow(/cluster-scoped/);
    expect(() => prefixFor('Namespace', 'default')).toThrow(/cluster-scoped/);
    expect(() => keyFor('Pod', 'default', 'a/b')).toThrow(/contain no '\/'/);
    expect(() => keyFor('Pod', '', 'x')).toThrow(/non-empty/);
  });

  it('parseKey refuses what is not an object key', () => {
    for (const key of ['/registry/pods/default', '/registry/pods/default/x/y', '/registry/widgets/a/b', '/other/pods/a/b', '/registry/nodes/a/b', '/registry/pods//x']) {
      expect(parseKey(key), key).toBeUndefined();
    }
  });
});

describe('kinds', () => {
  it('knows which kinds are cluster-scoped', () => {
    expect(KINDS.filter((k) => !isNamespaced(k))).toEqual(['Namespace', 'Node']);
    expect(kindInfo('Endpoints').plural).toBe('endpoints');
  });

  it.each([
    ['pods', 'Pod'],
    ['po', 'Pod'],
    ['Pod', 'Pod'],
    ['deploy', 'Deployment'],
    ['DEPLOYMENTS', 'Deployment'],
    ['rs', 'ReplicaSet'],
    ['svc', 'Service'],
    ['ep', 'Endpoints'],
    ['ns', 'Namespace'],
    ['no', 'Node'],
    ['ev', 'Event'],
    ['widgets', undefined],
  ])('resolveKind(%j) -> %s', (name, kind) => {
    expect(resolveKind(name)).toBe(kind);
  });
});
