import { describe, expect, it } from 'vitest';
import { controllerOf, controllerRefTo, isControlledBy, isOwnedBy, withoutOwner } from '../../../../core/controllers/index.js';
import { pod, replicaSet } from './fixtures.js';

describe('owner references', () => {
  const rs = replicaSet();

  it('controllerOf finds the controller reference only', () => {
    const p = pod({ owner: null });
    p.metadata.ownerReferences = [
      { apiVersion: 'drover/v1', kind: 'Service', name: 's', uid: 's' },
      { apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true },
    ];
    expect(controllerOf(p)?.uid).toBe('rs-uid');
    expect(controllerOf(pod({ owner: null }))).toBeUndefined();
  });

  it('isOwnedBy any reference, isControlledBy the controller one', () => {
    const p = pod({ owner: null });
    p.metadata.ownerReferences = [{ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid' }];
    expect(isOwnedBy(p, rs)).toBe(true);
    expect(isControlledBy(p, rs)).toBe(false);
    expect(isControlledBy(pod(), rs)).toBe(true);
  });

  it('controllerRefTo needs a stored owner', () => {
    expect(controllerRefTo(rs)).toEqual({ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true });
    const unsaved = { ...rs, metadata: { name: 'x' } };
    expect(() => controllerRefTo(unsaved)).toThrow(TypeError);
  });

  it('withoutOwner drops the references and the empty list', () => {
    expect(withoutOwner(pod(), rs).metadata.ownerReferences).toBeUndefined();
  });
});
