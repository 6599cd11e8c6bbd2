import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentStatus } from '../../../../../core/api/index.js';
import { rolloutStatus } from '../../../../../core/controllers/index.js';
import { deployment } from '../fixtures.js';
import { reconcileDeploymentIn, reconcileReplicaSetsIn, setImage, settledCluster } from './drive.js';

function withStatus(status: DeploymentStatus, over: Partial<Deployment['metadata']> = {}): Deployment {
  const d = deployment({ replicas: 3 });
  return { ...d, metadata: { ...d.metadata, ...over }, status };
}

describe('rolloutStatus', () => {
  it.each<[string, DeploymentStatus, { generation?: number }, { type: string; message: string }]>([
    [
      'the controller has not seen the spec yet',
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      { generation: 2 },
      { type: 'waiting', message: 'Waiting for deployment "web" spec update to be observed...' },
    ],
    [
      'too few updated',
      { observedGeneration: 1, replicas: 4, updatedReplicas: 1, availableReplicas: 3 },
      {},
      { type: 'waiting', message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' },
    ],
    [
      'old pods remain',
      { observedGeneration: 1, replicas: 5, updatedReplicas: 3, availableReplicas: 3 },
      {},
      { type: 'waiting', message: 'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...' },
    ],
    [
      'updated pods not available yet',
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 1 },
      {},
      { type: 'waiting', message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...' },
    ],
    [
      'done',
      { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      {},
      { type: 'done', message: 'deployment "web" successfully rolled out' },
    ],
    [
      'past the deadline',
      {
        observedGeneration: 1,
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
      {},
      { type: 'failed', message: 'deployment "web" exceeded its progress deadline' },
    ],
  ])('%s', (_, status, meta, expected) => {
    expect(rolloutStatus(withStatus(status, meta), [])).toEqual(expected);
  });

  it('follows a real rollout from start to end', () => {
    const c = settledCluster(deployment({ replicas: 2, maxSurge: 1, maxUnavailable: 0 }));
    expect(rolloutStatus(c.deployment(), c.replicaSets()).type).toBe('done');
    setImage(c, 'web:2');
    expect(rolloutStatus(c.deployment(), c.replicaSets()).message).toMatch(/spec update to be observed/);
    reconcileDeploymentIn(c);
    reconcileReplicaSetsIn(c);
    reconcileDeploymentIn(c);
    expect(rolloutStatus(c.deployment(), c.replicaSets()).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...',
    );
  });

  it('a paused deployment whose template has not rolled out waits to be resumed', () => {
    const c = settledCluster(deployment({ replicas: 2 }));
    const d = c.deployment();
    d.spec.paused = true;
    c.write(d);
    setImage(c, 'web:2');
    reconcileDeploymentIn(c);
    expect(rolloutStatus(c.deployment(), c.replicaSets())).toEqual({
      type: 'waiting',
      message: 'Waiting for deployment "web" to be resumed: its template has not rolled out...',
    });
  });
});
