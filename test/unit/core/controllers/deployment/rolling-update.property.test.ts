// The rolling update's bounds under any interleaving of the controllers and
// the node agents: the Deployment and each ReplicaSet reconcile in any
// order, pods start, become ready and finish terminating whenever, time
// passes; the template may change again midway. At every step:
//   pods (active) <= replicas + maxSurge
//   available     >= replicas - maxUnavailable
// and once everything has run its course, the last template runs everywhere.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isActive, isReady, rolloutBudgetOf } from '../../../../../core/controllers/index.js';
import { deployment } from '../fixtures.js';
import { podCounts, reconcileDeploymentIn, reconcileReplicaSetIn, runRollout, setImage, settledCluster } from './drive.js';

type Step =
  | { type: 'deployment' }
  | { type: 'replicaset'; pick: number }
  | { type: 'schedule' }
  | { type: 'ready'; pick: number }
  | { type: 'terminated'; pick: number }
  | { type: 'tick' }
  | { type: 'new-template' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ type: 'deployment' as const }) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ type: 'replicaset' as const, pick })) },
  { weight: 2, arbitrary: fc.constant({ type: 'schedule' as const }) },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ type: 'ready' as const, pick })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ type: 'terminated' as const, pick })) },
  { weight: 1, arbitrary: fc.constant({ type: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'new-template' as const }) },
);

const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));

describe('rolling update bounds (property)', () => {
  it('hold under every interleaving, and the rollout completes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        intOrPercent,
        intOrPercent,
        fc.integer({ min: 0, max: 2 }),
        fc.array(step, { maxLength: 120 }),
        (replicas, maxSurge, maxUnavailable, minReadySeconds, steps) => {
          const d = deployment({ replicas, maxSurge, maxUnavailable, minReadySeconds });
          const c = settledCluster(d);
          c.tick(minReadySeconds * 1_000); // every pod of the settled rollout is available
          const budget = rolloutBudgetOf(d);
          let version = 2;
          setImage(c, `web:${version}`);

          const check = (what: string) => {
            const { active, available } = podCounts(c, minReadySeconds);
            expect(active, `pods after ${what}`).toBeLessThanOrEqual(replicas + budget.maxSurge);
            expect(available, `available after ${what}`).toBeGreaterThanOrEqual(replicas - budget.maxUnavailable);
          };

          for (const s of steps) {
            switch (s.type) {
              case 'deployment':
                reconcileDeploymentIn(c);
                break;
              case 'replicaset': {
                const sets = c.replicaSets();
                const rs = sets[s.pick % sets.length];
                if (rs !== undefined) reconcileReplicaSetIn(c, rs.metadata.name);
                break;
              }
              case 'schedule':
                c.scheduleAll();
                break;
              case 'ready': {
                const waiting = c.pods().filter((p) => isActive(p) && p.spec.nodeName !== undefined && !isReady(p));
                const p = waiting[s.pick % Math.max(1, waiting.length)];
                if (p !== undefined) c.makeReady(p);
                break;
              }
              case 'terminated': {
                const going = c.pods().filter((p) => p.metadata.deletionTimestamp !== undefined);
                const p = going[s.pick % Math.max(1, going.length)];
                if (p !== undefined) c.removePod(p);
                break;
              }
              case 'tick':
                c.tick(1_000);
                break;
              case 'new-template':
                setImage(c, `web:${++version}`);
                break;
            }
            check(s.type);
          }

          runRollout(c, check);
          expect(podCounts(c).runningByImage).toEqual({ [`web:${version}`]: replicas });
        },
      ),
      { numRuns: 150 },
    );
  });
});
