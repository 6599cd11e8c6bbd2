import { describe, expect, it } from 'vitest';
import { admitCreate, applyDefaults, validate } from '../../../../core/api/index.js';
import type { Deployment, Event, Namespace, Pod, ReplicaSet, Service } from '../../../../core/api/index.js';
import { CREATE, deployment, edit, endpoints, event, namespace, NOW, pod, replicaSet, service } from './fixtures.js';

describe('applyDefaults on create', () => {
  it('sets the server-owned metadata from the context and drops what the author may not set', () => {
    const input = edit(pod(), (o) => {
      o.metadata.uid = 'from-the-author';
      o.metadata.resourceVersion = '42';
      o.metadata.generation = 7;
      o.metadata.creationTimestamp = '2000-01-01T00:00:00Z';
      o.metadata.deletionTimestamp = '2000-01-01T00:00:00Z';
    });
    const out = applyDefaults(input, CREATE);
    expect(out.metadata.uid).toBe(CREATE.uid);
    expect(out.metadata.creationTimestamp).toBe(NOW);
    expect(out.metadata.generation).toBe(1);
    expect(out.metadata).not.toHaveProperty('resourceVersion');
    expect(out.metadata).not.toHaveProperty('deletionTimestamp');
  });

  it('does not modify its input', () => {
    const input = pod();
    const before = structuredClone(input);
    applyDefaults(input, CREATE);
    expect(input).toEqual(before);
  });

  it('puts namespaced objects without a namespace in default, and leaves cluster-scoped ones alone', () => {
    expect(applyDefaults(edit(pod(), (o) => delete o.metadata.namespace), CREATE).metadata.namespace).toBe('default');
    expect(applyDefaults(edit(pod(), (o) => (o.metadata.namespace = 'prod')), CREATE).metadata.namespace).toBe('prod');
    expect(applyDefaults(namespace(), CREATE).metadata).not.toHaveProperty('namespace');
  });

  it('defaults a pod spec', () => {
    const input: Pod = {
      apiVersion: 'drover/v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry.local:5000/app:1.2',
            ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }],
            resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m' } },
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 },
          },
          { name: 'latest', image: 'busybox:latest' },
          { name: 'untagged', image: 'registry.local:5000/busybox' },
          { name: 'digest', image: 'busybox@sha256:abcd' },
        ],
        tolerations: [{ key: 'dedicated', value: 'db' }],
      },
    };
    const out = applyDefaults(input, CREATE);
    expect(out.spec.restartPolicy).toBe('Always');
    expect(out.spec.terminationGracePeriodSeconds).toBe(30);
    expect(out.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'db' }]);
    const [app, latest, untagged, digest] = out.spec.containers;
    expect(app?.imagePullPolicy).toBe('IfNotPresent');
    expect(latest?.imagePullPolicy).toBe('Always');
    expect(untagged?.imagePullPolicy).toBe('Always');
    expect(digest?.imagePullPolicy).toBe('IfNotPresent');
    expect(app?.ports).toEqual([
      { containerPort: 8080, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    // A limit without a request reserves the limit; a request given stays.
    expect(app?.resources?.requests).toEqual({ cpu: '100m', memory: '1Gi' });
    expect(app?.livenessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(app?.readinessProbe?.periodSeconds).toBe(2);
    expect(out.status).toEqual({ phase: 'Pending' });
  });

  it('keeps what the author chose', () => {
    const input = edit(pod(), (o) => {
      o.spec.restartPolicy = 'Never';
      o.spec.terminationGracePeriodSeconds = 0;
      o.spec.containers[0].imagePullPolicy = 'Never';
    });
    const out = applyDefaults(input, CREATE);
    expect(out.spec.restartPolicy).toBe('Never');
    expect(out.spec.terminationGracePeriodSeconds).toBe(0);
    expect(out.spec.containers[0]?.imagePullPolicy).toBe('Never');
  });

  it('defaults a ReplicaSet: replicas 1 and its template', () => {
    const out = applyDefaults(edit(replicaSet(), (o) => delete o.spec.replicas), CREATE) as ReplicaSet;
    expect(out.spec.replicas).toBe(1);
    expect(out.spec.template.spec.restartPolicy).toBe('Always');
    expect(out.spec.template.spec.containers[0]?.ports?.[0]?.protocol).toBe('TCP');
  });

  it('defaults a Deployment: replicas 1, RollingUpdate 25% / 25%, history 10, deadline 600', () => {
    const input = edit(deployment(), (o) => {
      delete o.spec.replicas;
      delete o.spec.strategy;
    });
    const out = applyDefaults(input, CREATE) as Deployment;
    expect(out.spec.replicas).toBe(1);
    expect(out.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(out.spec.revisionHistoryLimit).toBe(10);
    expect(out.spec.progressDeadlineSeconds).toBe(600);
    expect(out.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('fills a partial rolling update and leaves Recreate alone', () => {
    const partial = applyDefaults(edit(deployment(), (o) => (o.spec.strategy = { rollingUpdate: { maxSurge: 2 } })), CREATE) as Deployment;
    expect(partial.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '25%' } });
    const recreate = applyDefaults(edit(deployment(), (o) => (o.spec.strategy = { type: 'Recreate' })), CREATE) as Deployment;
    expect(recreate.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('defaults a Service: ClusterIP, TCP, targetPort = port', () => {
    const out = applyDefaults(edit(service(), (o) => (o.spec.ports = [{ port: 80 }])), CREATE) as Service;
    expect(out.spec.type).toBe('ClusterIP');
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  });

  it('defaults Endpoints ports to TCP', () => {
    const out = applyDefaults(endpoints(), CREATE);
    expect(out.kind === 'Endpoints' && out.subsets?.[0]?.ports?.[0]?.protocol).toBe('TCP');
  });

  it('defaults a Namespace to Active', () => {
    expect((applyDefaults(namespace(), CREATE) as Namespace).status).toEqual({ phase: 'Active' });
  });

  it("defaults an Event: Normal, count 1, both timestamps now, and its involved object's namespace", () => {
    const input = edit(event(), (o) => {
      delete o.metadata.namespace;
      o.involvedObject.namespace = 'prod';
    });
    const out = applyDefaults(input, CREATE) as Event;
    expect(out.type).toBe('Normal');
    expect(out.count).toBe(1);
    expect(out.firstTimestamp).toBe(NOW);
    expect(out.lastTimestamp).toBe(NOW);
    expect(out.metadata.namespace).toBe('prod');
    const clusterScoped = applyDefaults(edit(event(), (o) => {
      delete o.metadata.namespace;
      o.involvedObject = { kind: 'Node', name: 'node-1' };
    }), CREATE);
    expect(clusterScoped.metadata.namespace).toBe('default');
  });

  it('is idempotent on content: defaulting a defaulted object changes only nothing', () => {
    const once = applyDefaults(deployment(), CREATE);
    expect(applyDefaults(once, CREATE)).toEqual(once);
  });
});

describe('admitCreate', () => {
  it('validates as written, defaults, and validates as stored', () => {
    const result = admitCreate(edit(deployment(), (o) => delete o.metadata.namespace), CREATE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.metadata).toMatchObject({ namespace: 'default', uid: CREATE.uid, generation: 1, creationTimestamp: NOW });
    expect(validate(result.value).ok).toBe(true);
  });

  it('returns the errors of the object as written', () => {
    const result = admitCreate(edit(deployment(), (o) => (o.spec.replicas = -1)), CREATE);
    expect(result.ok ? '' : result.error.message).toBe('Deployment default/web is invalid: spec.replicas: must be >= 0');
  });

  it('refuses a rolling update whose explicit zeros would stall, even though defaults exist', () => {
    const result = admitCreate(edit(deployment(), (o) => (o.spec.strategy = { rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } })), CREATE);
    expect(result.ok ? [] : result.error.errors.map((e) => e.path)).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
  });
});
