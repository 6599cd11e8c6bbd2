// Every validation rule, one row each: the object breaks the rule, and the
// error names the field path and the rule (`spec.replicas: must be >= 0`).

import { describe, expect, it } from 'vitest';
import { validate, ValidationError } from '../../../../core/api/index.js';
import type { ApiObject } from '../../../../core/api/index.js';
import { deployment, edit, endpoints, event, namespace, node, pod, replicaSet, service } from './fixtures.js';

function messagesOf(input: unknown, beforeDefaults = false): string[] {
  const result = validate(input, { beforeDefaults });
  return result.ok ? [] : result.error.errors.map((e) => `${e.path}: ${e.rule}`);
}

describe('valid objects of every kind pass', () => {
  it.each<[string, () => ApiObject]>([
    ['Pod', pod],
    ['ReplicaSet', replicaSet],
    ['Deployment', deployment],
    ['Service', service],
    ['Endpoints', endpoints],
    ['Node', node],
    ['Namespace', namespace],
    ['Event', event],
  ])('%s', (_kind, make) => {
    const obj = make();
    const result = validate(obj);
    expect(result.ok ? [] : result.error.errors).toEqual([]);
    // The result is a typed copy of the input, equal to it.
    if (result.ok) {
      expect(result.value).toEqual(obj);
      expect(result.value).not.toBe(obj);
    }
  });
});

// [what, input, expected `path: rule` (a prefix of the rule is enough)]
const RULES: [string, unknown, string][] = [
  // The type fields.
  ['not an object', 'hello', '<root>: must be an object'],
  ['missing apiVersion', edit(pod(), (o) => delete o.apiVersion), 'apiVersion: is required'],
  ['unknown apiVersion', edit(pod(), (o) => (o.apiVersion = 'apps/v1')), 'apiVersion: must be "drover/v1"'],
  ['missing kind', edit(pod(), (o) => delete o.kind), 'kind: is required'],
  ['unknown kind', edit(pod(), (o) => (o.kind = 'CronJob')), 'kind: must be one of Namespace, Node, Pod, ReplicaSet, Deployment, Service, Endpoints, Event'],
  ['unknown top-level field', edit(pod(), (o) => (o.spek = {})), 'spek: is not a known field'],
  ['unknown nested field (a typo)', edit(deployment(), (o) => (o.spec.replica = 3)), 'spec.replica: is not a known field'],

  // Metadata.
  ['missing metadata', edit(pod(), (o) => delete o.metadata), 'metadata: is required'],
  ['missing name', edit(pod(), (o) => delete o.metadata.name), 'metadata.name: is required'],
  ['name not a DNS-1123 subdomain', edit(pod(), (o) => (o.metadata.name = 'Web_1')), 'metadata.name: must be a DNS-1123 subdomain'],
  ['name too long', edit(pod(), (o) => (o.metadata.name = 'a'.repeat(254))), 'metadata.name: must be a DNS-1123 subdomain'],
  ['namespace name not a DNS-1123 label', edit(namespace(), (o) => (o.metadata.name = 'team.a')), 'metadata.name: must be a DNS-1123 label'],
  ['service name not a DNS-1123 label', edit(service(), (o) => (o.metadata.name = 'web.internal')), 'metadata.name: must be a DNS-1123 label'],
  ['namespace required for namespaced kinds', edit(pod(), (o) => delete o.metadata.namespace), 'metadata.namespace: is required for kind Pod'],
  ['namespace forbidden for cluster-scoped kinds', edit(node(), (o) => (o.metadata.namespace = 'default')), 'metadata.namespace: must not be set: kind Node is cluster-scoped'],
  ['namespace not a DNS-1123 label', edit(pod(), (o) => (o.metadata.namespace = 'Prod')), 'metadata.namespace: must be a DNS-1123 label'],
  ['label key with a bad name part', edit(pod(), (o) => (o.metadata.labels = { '-app': 'web' })), 'metadata.labels[-app]: key must be a qualified name'],
  ['label key with a bad prefix', edit(pod(), (o) => (o.metadata.labels = { 'Drover.IO/app': 'web' })), 'metadata.labels[Drover.IO/app]: key must be a qualified name'],
  ['label key name part over 63', edit(pod(), (o) => (o.metadata.labels = { ['a'.repeat(64)]: 'x' })), `metadata.labels.${'a'.repeat(64)}: key must be a qualified name`],
  ['label value over 63', edit(pod(), (o) => (o.metadata.labels = { app: 'a'.repeat(64) })), 'metadata.labels.app: value must be empty or at most 63'],
  ['label value with a space', edit(pod(), (o) => (o.metadata.labels = { app: 'my app' })), 'metadata.labels.app: value must be empty or at most 63'],
  ['label value not a string', edit(pod(), (o) => (o.metadata.labels = { replicas: 3 })), 'metadata.labels.replicas: must be a string'],
  ['annotation key syntax', edit(pod(), (o) => (o.metadata.annotations = { 'a b': 'x' })), 'metadata.annotations[a b]: key must be a qualified name'],
  ['annotations too large', edit(pod(), (o) => (o.metadata.annotations = { big: 'x'.repeat(300_000) })), 'metadata.annotations: must total at most 262144 bytes'],
  ['resourceVersion not a revision', edit(pod(), (o) => (o.metadata.resourceVersion = 'abc')), 'metadata.resourceVersion: must be a store revision in decimal'],
  ['resourceVersion as a number', edit(pod(), (o) => (o.metadata.resourceVersion = 12)), 'metadata.resourceVersion: must be a string'],
  ['generation 0', edit(pod(), (o) => (o.metadata.generation = 0)), 'metadata.generation: must be >= 1'],
  ['creationTimestamp not RFC 3339', edit(pod(), (o) => (o.metadata.creationTimestamp = 'yesterday')), 'metadata.creationTimestamp: must be an RFC 3339 timestamp'],
  [
    'two controller owners',
    edit(pod(), (o) => {
      o.metadata.ownerReferences = [
        { apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'a', uid: 'u1', controller: true },
        { apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'b', uid: 'u2', controller: true },
      ];
    }),
    'metadata.ownerReferences: must have at most one reference with controller: true',
  ],
  ['owner reference without uid', edit(pod(), (o) => (o.metadata.ownerReferences = [{ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'a' }])), 'metadata.ownerReferences[0].uid: is required'],
  ['finalizer syntax', edit(pod(), (o) => (o.metadata.finalizers = ['not a name'])), 'metadata.finalizers[0]: must be a qualified name'],
  ['duplicate finalizer', edit(pod(), (o) => (o.metadata.finalizers = ['drover.io/gc', 'drover.io/gc'])), 'metadata.finalizers[1]: must be unique'],

  // Pod.
  ['no containers', edit(pod(), (o) => (o.spec.containers = [])), 'spec.containers: must have at least one container'],
  ['duplicate container names', edit(pod(), (o) => o.spec.containers.push({ name: 'web', image: 'busybox' })), 'spec.containers[1].name: must be unique (container name "web" is also at [0])'],
  ['container name not a DNS-1123 label', edit(pod(), (o) => (o.spec.containers[0].name = 'Web')), 'spec.containers[0].name: must be a DNS-1123 label'],
  ['empty image', edit(pod(), (o) => (o.spec.containers[0].image = '')), 'spec.containers[0].image: must not be empty'],
  ['missing image', edit(pod(), (o) => delete o.spec.containers[0].image), 'spec.containers[0].image: is required'],
  ['containerPort 0', edit(pod(), (o) => (o.spec.containers[0].ports[0].containerPort = 0)), 'spec.containers[0].ports[0].containerPort: must be an integer between 1 and 65535'],
  ['containerPort 65536', edit(pod(), (o) => (o.spec.containers[0].ports[0].containerPort = 65536)), 'spec.containers[0].ports[0].containerPort: must be an integer between 1 and 65535'],
  ['containerPort as text', edit(pod(), (o) => (o.spec.containers[0].ports[0].containerPort = '80')), 'spec.containers[0].ports[0].containerPort: must be an integer between 1 and 65535'],
  ['hostPort 70000', edit(pod(), (o) => (o.spec.containers[0].ports[0].hostPort = 70000)), 'spec.containers[0].ports[0].hostPort: must be an integer between 1 and 65535'],
  ['protocol SCTP', edit(pod(), (o) => (o.spec.containers[0].ports[0].protocol = 'SCTP')), 'spec.containers[0].ports[0].protocol: must be one of "TCP", "UDP"'],
  ['port name syntax', edit(pod(), (o) => (o.spec.containers[0].ports[0].name = 'http-metrics-port')), 'spec.containers[0].ports[0].name: must be a port name'],
  [
    'duplicate port names in the pod',
    edit(pod(), (o) => o.spec.containers.push({ name: 'side', image: 'envoy', ports: [{ name: 'http', containerPort: 9000 }] })),
    'spec.containers[1].ports[0].name: must be unique in the pod (port name "http" is also at containers[0].ports[0])',
  ],
  ['duplicate containerPort', edit(pod(), (o) => o.spec.containers[0].ports.push({ containerPort: 80 })), 'spec.containers[0].ports[1].containerPort: must be unique (port "80/TCP" is also at [0])'],
  [
    'duplicate hostPort in the pod',
    edit(pod(), (o) => {
      o.spec.containers[0].ports = [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 81, hostPort: 8080 },
      ];
    }),
    'spec.containers[0].ports[1].hostPort: must be unique in the pod (host port 8080/TCP is also at containers[0].ports[0])',
  ],
  ['bad CPU quantity', edit(pod(), (o) => (o.spec.containers[0].resources.limits.cpu = '5x')), 'spec.containers[0].resources.limits.cpu: must be a CPU quantity'],
  ['memory in millibytes', edit(pod(), (o) => (o.spec.containers[0].resources.limits.memory = '128m')), "spec.containers[0].resources.limits.memory: must be a memory quantity: bytes (1e9, 1048576) or with a suffix (128Mi, 1Gi, 100M, 512k); 'm' means 1e-3 bytes"],
  ['negative memory', edit(pod(), (o) => (o.spec.containers[0].resources.requests.memory = '-1Gi')), 'spec.containers[0].resources.requests.memory: must not be negative'],
  ['quantity of the wrong type', edit(pod(), (o) => (o.spec.containers[0].resources.requests.cpu = true)), 'spec.containers[0].resources.requests.cpu: must be a quantity'],
  ['unknown resource', edit(pod(), (o) => (o.spec.containers[0].resources.limits.gpu = 1)), 'spec.containers[0].resources.limits.gpu: is not a known field'],
  ['request above limit', edit(pod(), (o) => (o.spec.containers[0].resources.requests.cpu = '1')), 'spec.containers[0].resources.requests.cpu: must be <= limits.cpu (500m)'],
  ['env var name', edit(pod(), (o) => (o.spec.containers[0].env = [{ name: '1BAD', value: 'x' }])), 'spec.containers[0].env[0].name: must consist of letters'],
  ['probe without a handler', edit(pod(), (o) => (o.spec.containers[0].livenessProbe = { periodSeconds: 5 })), 'spec.containers[0].livenessProbe: must specify exactly one of exec, tcpSocket, httpGet (found none)'],
  [
    'probe with two handlers',
    edit(pod(), (o) => (o.spec.containers[0].livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } })),
    'spec.containers[0].livenessProbe: must specify exactly one of exec, tcpSocket, httpGet (found exec, tcpSocket)',
  ],
  ['probe period 0', edit(pod(), (o) => (o.spec.containers[0].readinessProbe.periodSeconds = 0)), 'spec.containers[0].readinessProbe.periodSeconds: must be >= 1'],
  ['liveness successThreshold 2', edit(pod(), (o) => (o.spec.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 })), 'spec.containers[0].livenessProbe.successThreshold: must be 1 for a liveness probe'],
  ['probe names an unknown port', edit(pod(), (o) => (o.spec.containers[0].readinessProbe.httpGet.port = 'admin')), 'spec.containers[0].readinessProbe.httpGet.port: must name a port of this container (no port is named "admin")'],
  ['probe port out of range', edit(pod(), (o) => (o.spec.containers[0].readinessProbe.httpGet.port = 0)), 'spec.containers[0].readinessProbe.httpGet.port: must be an integer between 1 and 65535'],
  ['httpGet path without /', edit(pod(), (o) => (o.spec.containers[0].readinessProbe.httpGet.path = 'healthz')), "spec.containers[0].readinessProbe.httpGet.path: must start with '/'"],
  ['restartPolicy', edit(pod(), (o) => (o.spec.restartPolicy = 'Sometimes')), 'spec.restartPolicy: must be one of "Always", "OnFailure", "Never"'],
  ['negative grace period', edit(pod(), (o) => (o.spec.terminationGracePeriodSeconds = -1)), 'spec.terminationGracePeriodSeconds: must be >= 0'],
  ['fractional grace period', edit(pod(), (o) => (o.spec.terminationGracePeriodSeconds = 1.5)), 'spec.terminationGracePeriodSeconds: must be an integer'],
  ['nodeName syntax', edit(pod(), (o) => (o.spec.nodeName = 'Node_1')), 'spec.nodeName: must be a DNS-1123 subdomain'],
  ['nodeSelector key', edit(pod(), (o) => (o.spec.nodeSelector = { 'disk type': 'ssd' })), 'spec.nodeSelector[disk type]: key must be a qualified name'],
  ['toleration Exists with a value', edit(pod(), (o) => (o.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }])), 'spec.tolerations[0].value: must be empty when operator is Exists'],
  ['toleration without key must be Exists', edit(pod(), (o) => (o.spec.tolerations = [{ operator: 'Equal', value: 'v' }])), 'spec.tolerations[0].operator: must be Exists when key is empty'],
  ['tolerationSeconds without NoExecute', edit(pod(), (o) => (o.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }])), 'spec.tolerations[0].tolerationSeconds: may only be set when effect is NoExecute'],
  [
    'node affinity Gt with two values',
    edit(pod(), (o) => (o.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4', '8'] }] }] } } })),
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: must be exactly one integer when operator is Gt',
  ],
  [
    'pod anti-affinity weight 0',
    edit(pod(), (o) => (o.spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] } })),
    'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be between 1 and 100',
  ],
  ['pod phase', edit(pod(), (o) => (o.status = { phase: 'Done' })), 'status.phase: must be one of "Pending", "Running", "Succeeded", "Failed", "Unknown"'],
  ['container status restartCount', edit(pod(), (o) => (o.status = { containerStatuses: [{ name: 'web', image: 'nginx', ready: true, restartCount: -1 }] })), 'status.containerStatuses[0].restartCount: must be >= 0'],

  // ReplicaSet and Deployment.
  ['negative replicas', edit(deployment(), (o) => (o.spec.replicas = -1)), 'spec.replicas: must be >= 0'],
  ['fractional replicas', edit(replicaSet(), (o) => (o.spec.replicas = 1.5)), 'spec.replicas: must be an integer'],
  ['replicas as text', edit(replicaSet(), (o) => (o.spec.replicas = 'three')), 'spec.replicas: must be an integer'],
  ['missing selector', edit(replicaSet(), (o) => delete o.spec.selector), 'spec.selector: is required'],
  ['empty selector', edit(replicaSet(), (o) => (o.spec.selector = {})), 'spec.selector: must not be empty'],
  ['selector does not match the template', edit(deployment(), (o) => (o.spec.template.metadata.labels = { app: 'web' })), 'spec.template.metadata.labels: must match spec.selector (app=web,tier in (front))'],
  ['template without labels', edit(replicaSet(), (o) => delete o.spec.template.metadata), 'spec.template.metadata.labels: must match spec.selector (app=web)'],
  ['selector In without values', edit(deployment(), (o) => (o.spec.selector.matchExpressions[0].values = [])), 'spec.selector.matchExpressions[0].values: must not be empty when operator is In'],
  ['selector Exists with values', edit(deployment(), (o) => (o.spec.selector.matchExpressions[0].operator = 'Exists')), 'spec.selector.matchExpressions[0].values: must be empty when operator is Exists'],
  ['selector operator', edit(deployment(), (o) => (o.spec.selector.matchExpressions[0].operator = 'Equals')), 'spec.selector.matchExpressions[0].operator: must be one of "In", "NotIn", "Exists", "DoesNotExist"'],
  ['template restartPolicy Never', edit(replicaSet(), (o) => (o.spec.template.spec.restartPolicy = 'Never')), 'spec.template.spec.restartPolicy: must be Always for the pods of a ReplicaSet'],
  ['template field outside labels and annotations', edit(deployment(), (o) => (o.spec.template.metadata.name = 'x')), 'spec.template.metadata.name: is not a known field'],
  ['template container rules apply', edit(deployment(), (o) => (o.spec.template.spec.containers[0].ports[0].containerPort = 0)), 'spec.template.spec.containers[0].ports[0].containerPort: must be an integer between 1 and 65535'],
  ['maxSurge not int or percent', edit(deployment(), (o) => (o.spec.strategy.rollingUpdate.maxSurge = 'lots')), 'spec.strategy.rollingUpdate.maxSurge: must be an integer >= 0 or a percentage such as 25%'],
  ['maxSurge negative', edit(deployment(), (o) => (o.spec.strategy.rollingUpdate.maxSurge = -1)), 'spec.strategy.rollingUpdate.maxSurge: must be an integer >= 0 or a percentage such as 25%'],
  ['maxUnavailable over 100%', edit(deployment(), (o) => (o.spec.strategy.rollingUpdate.maxUnavailable = '150%')), 'spec.strategy.rollingUpdate.maxUnavailable: must be at most 100%'],
  [
    'maxSurge and maxUnavailable both 0',
    edit(deployment(), (o) => (o.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '0%' })),
    'spec.strategy.rollingUpdate.maxUnavailable: must not be 0 when maxSurge is 0',
  ],
  ['rollingUpdate with Recreate', edit(deployment(), (o) => (o.spec.strategy.type = 'Recreate')), 'spec.strategy.rollingUpdate: must not be set when type is Recreate'],
  ['strategy type', edit(deployment(), (o) => (o.spec.strategy.type = 'BlueGreen')), 'spec.strategy.type: must be one of "RollingUpdate", "Recreate"'],
  ['negative revisionHistoryLimit', edit(deployment(), (o) => (o.spec.revisionHistoryLimit = -1)), 'spec.revisionHistoryLimit: must be >= 0'],
  ['paused not a boolean', edit(deployment(), (o) => (o.spec.paused = 'yes')), 'spec.paused: must be a boolean'],
  ['progress deadline within minReadySeconds', edit(deployment(), (o) => Object.assign(o.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 })), 'spec.progressDeadlineSeconds: must be > minReadySeconds'],

  // Service and Endpoints.
  ['no service ports', edit(service(), (o) => (o.spec.ports = [])), 'spec.ports: must have at least one port'],
  ['service port 0', edit(service(), (o) => (o.spec.ports[0].port = 0)), 'spec.ports[0].port: must be an integer between 1 and 65535'],
  ['targetPort out of range', edit(service(), (o) => (o.spec.ports[0].targetPort = 70000)), 'spec.ports[0].targetPort: must be an integer between 1 and 65535'],
  ['targetPort bad name', edit(service(), (o) => (o.spec.ports[0].targetPort = 'HTTP')), 'spec.ports[0].targetPort: must be a port name'],
  ['unnamed port among several', edit(service(), (o) => o.spec.ports.push({ name: 'metrics', port: 9090 })), 'spec.ports[0].name: is required when the service has more than one port'],
  [
    'duplicate service port',
    edit(service(), (o) => (o.spec.ports = [{ name: 'a', port: 80 }, { name: 'b', port: 80 }])),
    'spec.ports[1].port: must be unique (port "80/TCP" is also at [0])',
  ],
  ['nodePort on ClusterIP', edit(service(), (o) => (o.spec.ports[0].nodePort = 30080)), 'spec.ports[0].nodePort: may only be set when type is NodePort'],
  ['service type', edit(service(), (o) => (o.spec.type = 'LoadBalancer')), 'spec.type: must be one of "ClusterIP", "NodePort"'],
  ['service selector value', edit(service(), (o) => (o.spec.selector = { app: 'web app' })), 'spec.selector.app: value must be empty or at most 63'],
  ['endpoint address not an IP', edit(endpoints(), (o) => (o.subsets[0].addresses[0].ip = '10.0.0')), 'subsets[0].addresses[0].ip: must be an IPv4 or IPv6 address'],
  ['endpoint port', edit(endpoints(), (o) => (o.subsets[0].ports[0].port = -5)), 'subsets[0].ports[0].port: must be an integer between 1 and 65535'],

  // Node, Namespace, Event.
  ['node capacity quantity', edit(node(), (o) => (o.status.capacity.memory = '16 GB')), 'status.capacity.memory: must be a memory quantity'],
  ['node pods count', edit(node(), (o) => (o.status.allocatable.pods = 'many')), 'status.allocatable.pods: must be a count'],
  ['taint effect', edit(node(), (o) => (o.spec.taints[0].effect = 'NoEntry')), 'spec.taints[0].effect: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"'],
  ['duplicate taint', edit(node(), (o) => o.spec.taints.push({ key: 'dedicated', value: 'web', effect: 'NoSchedule' })), 'spec.taints[1].key: must be unique (taint key and effect "dedicated:NoSchedule" is also at [0])'],
  ['node condition status', edit(node(), (o) => (o.status.conditions[0].status = 'Yes')), 'status.conditions[0].status: must be one of "True", "False", "Unknown"'],
  ['namespace phase', edit(namespace(), (o) => (o.status = { phase: 'Gone' })), 'status.phase: must be one of "Active", "Terminating"'],
  ['event without involvedObject', edit(event(), (o) => delete o.involvedObject), 'involvedObject: is required'],
  ['event type', edit(event(), (o) => (o.type = 'Error')), 'type: must be one of "Normal", "Warning"'],
  ['event count 0', edit(event(), (o) => (o.count = 0)), 'count: must be >= 1'],
];

describe('each rule names the field path and the rule', () => {
  it.each(RULES)('%s', (_what, input, expected) => {
    const messages = messagesOf(input);
    expect(messages.some((m) => m.startsWith(expected)), `expected "${expected}" among:\n  ${messages.join('\n  ')}`).toBe(true);
  });
});

describe('ValidationError', () => {
  it('lists every broken rule as "path: rule", after the object it is about', () => {
    const input = edit(deployment(), (o) => {
      o.spec.replicas = -1;
      o.spec.template.spec.containers[0].name = 'Web';
    });
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.error;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('ValidationError');
    expect(error.code).toBe('INVALID_OBJECT');
    expect(error.object).toEqual({ kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(error.message).toMatch(/^Deployment default\/web is invalid: /);
    expect(error.message).toContain('spec.replicas: must be >= 0');
    expect(error.message).toContain('spec.template.spec.containers[0].name: must be a DNS-1123 label');
    expect(error.errors).toContainEqual({ path: 'spec.replicas', rule: 'must be >= 0', value: -1 });
  });

  it('carries the offending value of an unknown field', () => {
    const result = validate(edit(pod(), (o) => (o.spec.hostNetwork = true)));
    expect(result.ok ? [] : result.error.errors).toEqual([{ path: 'spec.hostNetwork', rule: 'is not a known field', value: true }]);
  });

  it('reports a wrong apiVersion once, and still checks the rest', () => {
    const messages = messagesOf(edit(pod(), (o) => {
      o.apiVersion = 'v1';
      o.spec.containers[0].image = '';
    }));
    expect(messages.filter((m) => m.startsWith('apiVersion'))).toEqual(['apiVersion: must be "drover/v1"']);
    expect(messages).toContain('spec.containers[0].image: must not be empty');
  });
});

describe('before defaults', () => {
  it('lets a namespaced object leave out its namespace, which defaults fill', () => {
    const input = edit(pod(), (o) => delete o.metadata.namespace);
    expect(messagesOf(input, true)).toEqual([]);
    expect(messagesOf(input, false)).toEqual(['metadata.namespace: is required for kind Pod']);
  });

  it('still refuses a namespace on a cluster-scoped object', () => {
    expect(messagesOf(edit(node(), (o) => (o.metadata.namespace = 'default')), true)).toEqual([
      'metadata.namespace: must not be set: kind Node is cluster-scoped',
    ]);
  });
});

describe('validate with a spec known to be valid (updates)', () => {
  it('does not check a spec equal to the known one, and checks everything else', () => {
    const stored = pod();
    // A spec only the schema would refuse: equal to the known one, it is taken as it is.
    const odd = edit(pod(), (o) => (o.spec.containers[0].image = ''));
    expect(validate(odd).ok).toBe(false);
    expect(validate(odd, { knownValid: { spec: odd.spec } }).ok).toBe(true);
    // Metadata and status are still checked.
    const badLabel = edit(odd, (o) => (o.metadata.labels = { 'bad key!': 'x' }));
    expect(validate(badLabel, { knownValid: { spec: odd.spec } }).ok).toBe(false);
    const badStatus = edit(odd, (o) => (o.status = { phase: 'Sleeping' }));
    expect(validate(badStatus, { knownValid: { spec: odd.spec } }).ok).toBe(false);
    // A spec that differs from the known one is checked in full.
    expect(validate(odd, { knownValid: { spec: stored.spec } }).ok).toBe(false);
  });

  it('does not check a status equal to the known one, and checks a changed one', () => {
    const odd = edit(pod(), (o) => (o.status = { phase: 'Sleeping' }));
    expect(validate(odd).ok).toBe(false);
    expect(validate(odd, { knownValid: { status: odd.status } }).ok).toBe(true);
    expect(validate(odd, { knownValid: { status: { phase: 'Running' } } }).ok).toBe(false);
    // Only the same JSON is trusted: a key set to undefined, or a Date where the
    // stored object has a map, is something the schema must see.
    const stored = edit(pod(), (o) => (o.status = { phase: 'Running', containerStatuses: [] }));
    const sneaky = edit(stored, (o) => (o.status = { ...o.status, junk: undefined }));
    expect(validate(sneaky, { knownValid: { status: stored.status } }).ok).toBe(false);
    const dated = { ...stored, status: { phase: 'Running', containerStatuses: [new Date()] } };
    expect(validate(dated, { knownValid: { status: { phase: 'Running', containerStatuses: [{}] } } }).ok).toBe(false);
    // A status the input leaves out is not trusted into being: nothing to check.
    const none = edit(pod(), (o) => delete o.status);
    expect(validate(none, { knownValid: { status: { phase: 'Running' } } }).ok).toBe(true);
  });
});
