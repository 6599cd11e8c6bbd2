import { describe, expect, it } from 'vitest';
import { reconcileDeployment, RollbackRevisionNotFoundError, rollbackTarget, revisionOf, REVISION_ANNOTATION } from '../../../../../core/controllers/index.js';
import { deployment } from '../fixtures.js';
import type { MiniCluster } from '../mini-cluster.js';
import { podCounts, runRollout, setImage, settledCluster } from './drive.js';

/** Revisions 1, 2, 3 running web:1, web:2, web:3; web:3 is current. */
function threeRevisions(): MiniCluster {
  const c = settledCluster(deployment({ replicas: 2, maxSurge: 1, maxUnavailable: 0 }));
  setImage(c, 'web:2');
  runRollout(c);
  setImage(c, 'web:3');
  runRollout(c);
  return c;
}

const imageOf = (t: { spec: { containers: { image: string }[] } }) => t.spec.containers[0]?.image;

describe('rollbackTarget', () => {
  it('defaults to the previous revision, its template without the hash label', () => {
    const c = threeRevisions();
    const result = rollbackTarget(c.deployment(), c.replicaSets());
    if (!result.ok) throw result.error;
    expect(result.value.revision).toBe(2);
    expect(imageOf(result.value.template)).toBe('web:2');
    expect(result.value.template.metadata?.labels).toEqual({ app: 'web' });
    expect(result.value.isCurrent).toBe(false);
  });

  it('goes to a named revision', () => {
    const c = threeRevisions();
    const result = rollbackTarget(c.deployment(), c.replicaSets(), 1);
    if (!result.ok) throw result.error;
    expect(imageOf(result.value.template)).toBe('web:1');
  });

  it('says when the named revision is the current one', () => {
    const c = threeRevisions();
    const result = rollbackTarget(c.deployment(), c.replicaSets(), 3);
    expect(result.ok && result.value.isCurrent).toBe(true);
  });

  it('is a typed error when there is no such revision', () => {
    const c = threeRevisions();
    const missing = rollbackTarget(c.deployment(), c.replicaSets(), 7);
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.error).toBeInstanceOf(RollbackRevisionNotFoundError);
    expect(missing.error).toMatchObject({ code: 'ROLLBACK_REVISION_NOT_FOUND', deploymentName: 'web', toRevision: 7, knownRevisions: [1, 2, 3] });
    expect(missing.error.message).toBe('deployment "web" has no revision 7 to roll back to (known: 1, 2, 3)');
  });

  it('is a typed error when there is no previous revision', () => {
    const c = settledCluster(deployment());
    const result = rollbackTarget(c.deployment(), c.replicaSets());
    expect(!result.ok && result.error.message).toBe('deployment "web" has no previous revision to roll back to (known: 1)');
  });

  it('ignores sets the deployment does not control', () => {
    const c = threeRevisions();
    const foreign = c.replicaSets().map((rs) => ({ ...rs, metadata: { ...rs.metadata, ownerReferences: [] } }));
    expect(rollbackTarget(c.deployment(), foreign).ok).toBe(false);
  });

  it('undo then rolls forward: the old set is reused under the next revision number', () => {
    const c = threeRevisions();
    const result = rollbackTarget(c.deployment(), c.replicaSets());
    if (!result.ok) throw result.error;
    const d = c.deployment();
    d.spec.template = result.value.template;
    c.write(d);

    const first = reconcileDeployment(c.deployment(), c.replicaSets(), c.pods(), c.nowMs);
    expect(first.actions.filter((a) => a.type === 'create')).toEqual([]);
    runRollout(c);
    expect(podCounts(c).runningByImage).toEqual({ 'web:2': 2 });
    const reused = c.replicaSets().find((rs) => rs.spec.template.spec.containers[0]?.image === 'web:2');
    expect(reused?.metadata.name).toBe(result.value.replicaSetName);
    expect(reused !== undefined && revisionOf(reused)).toBe(4);
    expect(c.deployment().metadata.annotations?.[REVISION_ANNOTATION]).toBe('4');
  });
});
