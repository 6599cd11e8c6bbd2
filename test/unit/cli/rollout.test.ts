import { beforeEach, describe, expect, it } from 'vitest';
import { runRolloutHistory, runRolloutPause, runRolloutUndo } from '../../../bin/commands/index.js';
import { CHANGE_CAUSE_ANNOTATION, formatHistory, revisionTemplate, rolloutHistory } from '../../../bin/commands/rollout-history.js';
import type { Deployment } from '../../../core/api/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../../core/controllers/index.js';
import { FakeClient } from './fake-client.js';
import { deployment, replicaSet, template } from './objects.js';
import { testIo } from './test-io.js';

// Three revisions of web; the third runs the current template.
const current = deployment({ image: 'nginx:3', annotations: { [CHANGE_CAUSE_ANNOTATION]: 'bump to nginx:3' } });
const rs1 = replicaSet(1, 'nginx:1', { owner: current, annotations: { [CHANGE_CAUSE_ANNOTATION]: 'first' } });
const rs2 = replicaSet(2, 'nginx:2', { owner: current });
const rs3 = replicaSet(3, 'nginx:3', { owner: current, replicas: 3 });
// Another deployment's set, with a revision of its own.
const foreign = { ...replicaSet(5, 'redis:7'), metadata: { ...replicaSet(5, 'redis:7').metadata, name: 'cache-h5', ownerReferences: [{ apiVersion: 'drover/v1', kind: 'Deployment', name: 'cache', uid: 'uid-cache', controller: true }] } };

describe('rollout history (pure)', () => {
  it('lists the revisions of the sets the Deployment controls, oldest first, with their change causes', () => {
    const entries = rolloutHistory(current, [rs3, foreign, rs1, rs2]);
    expect(entries.map((e) => [e.revision, e.changeCause])).toEqual([
      [1, 'first'],
      [2, undefined],
      // The current revision's cause is the Deployment's own when its set has none.
      [3, 'bump to nginx:3'],
    ]);
    expect(formatHistory(current, entries).split('\n')).toEqual(['deployment/web', 'REVISION   CHANGE-CAUSE', '1          first', '2          <none>', '3          bump to nginx:3']);
    expect(formatHistory(current, [])).toBe('deployment/web\nNo rollout history found.');
  });

  it("a revision's template comes without the pod-template-hash label", () => {
    const entries = rolloutHistory(current, [rs1, rs2, rs3]);
    expect(revisionTemplate(entries, 2)).toEqual(template('nginx:2'));
    expect(revisionTemplate(entries, 9)).toBeUndefined();
    expect(rs2.spec.template.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL]).toBe('h2');
  });
});

describe('drover rollout history / undo / pause / resume', () => {
  let client: FakeClient;
  beforeEach(() => {
    client = new FakeClient();
    for (const o of [current, rs1, rs2, rs3, foreign]) client.put(o);
  });
  const stored = (): Deployment => client.stored('Deployment', 'web')!;

  it('history prints the table; --revision=N the pod template as YAML; an unknown revision is exit 1', async () => {
    let io = testIo();
    expect(await runRolloutHistory({ resource: 'deployment/web' }, io, () => client)).toBe(0);
    expect(io.stdout[0]!.split('\n')[1]).toBe('REVISION   CHANGE-CAUSE');
    io = testIo();
    expect(await runRolloutHistory({ resource: 'deployment', name: 'web', revision: 2 }, io, () => client)).toBe(0);
    expect(io.stdout[0]).toBe(
      ['deployment/web with revision #2', 'Pod Template:', '  metadata:', '    labels:', '      app: web', '  spec:', '    containers:', '      - name: c', '        image: nginx:2'].join('\n'),
    );
    io = testIo();
    expect(await runRolloutHistory({ resource: 'deployment/web', revision: 9 }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: deployment "web" has no revision 9 (known: 1, 2, 3)']);
  });

  it('undo writes the previous revision\'s template, at the version read, and drops a change cause about another template', async () => {
    const io = testIo();
    expect(await runRolloutUndo({ resource: 'deployment/web', toRevision: 0 }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['deployment/web rolled back']);
    expect(stored().spec.template).toEqual(template('nginx:2'));
    expect(stored().metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]).toBeUndefined();
    expect(stored().metadata.generation).toBe(2);
  });

  it('undo --to-revision=N takes that revision and its change cause', async () => {
    expect(await runRolloutUndo({ resource: 'deploy/web', toRevision: 1 }, testIo(), () => client)).toBe(0);
    expect(stored().spec.template).toEqual(template('nginx:1'));
    expect(stored().metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]).toBe('first');
  });

  it('undo to the current template changes nothing; an unknown revision or a paused Deployment is exit 1', async () => {
    let io = testIo();
    expect(await runRolloutUndo({ resource: 'deployment/web', toRevision: 3 }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['deployment/web skipped rollback (current template already matches revision 3)']);
    io = testIo();
    expect(await runRolloutUndo({ resource: 'deployment/web', toRevision: 7 }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: deployment "web" has no revision 7 to roll back to (known: 1, 2, 3)']);
    client.put({ ...current, spec: { ...current.spec, paused: true } });
    io = testIo();
    expect(await runRolloutUndo({ resource: 'deployment/web' }, io, () => client)).toBe(1);
    expect(io.stderr[0]).toMatch(/is paused: resume it first/);
    expect(client.calls.filter((c) => c.startsWith('update'))).toEqual([]);
  });

  it('undo reads again after a conflict and keeps the other writer\'s change', async () => {
    let raced = false;
    client.beforeUpdate = () => {
      if (raced) return;
      raced = true;
      client.put({ ...stored(), spec: { ...stored().spec, replicas: 5 } });
    };
    expect(await runRolloutUndo({ resource: 'deployment/web' }, testIo(), () => client)).toBe(0);
    expect(client.calls.filter((c) => c.startsWith('update'))).toHaveLength(2);
    expect(stored().spec.replicas).toBe(5);
    expect(stored().spec.template).toEqual(template('nginx:2'));
  });

  it('pause and resume set spec.paused, and say when it already was', async () => {
    let io = testIo();
    expect(await runRolloutPause({ resource: 'deployment/web', paused: true }, io, () => client)).toBe(0);
    expect(stored().spec.paused).toBe(true);
    expect(await runRolloutPause({ resource: 'deployment/web', paused: true }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['deployment/web paused', 'deployment/web is already paused']);
    io = testIo();
    expect(await runRolloutPause({ resource: 'deployment/web', paused: false }, io, () => client)).toBe(0);
    expect('paused' in stored().spec).toBe(false);
    expect(await runRolloutPause({ resource: 'deployment/web', paused: false }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['deployment/web resumed', 'deployment/web is already resumed']);
    expect(client.calls.filter((c) => c.startsWith('update'))).toHaveLength(2);
  });

  it('works on deployments only', async () => {
    const io = testIo();
    expect(await runRolloutPause({ resource: 'rs/web-h1', paused: true }, io, () => client)).toBe(2);
    expect(io.stderr).toEqual(['error: rollout pause works on deployments, not replicasets']);
  });
});
