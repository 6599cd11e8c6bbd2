// Schemas of Pod and of the pod template that workloads stamp out.

import { z } from 'zod';
import { checkEnvVarName } from '../../names.js';
import { parseQuantity } from '../../quantity.js';
import type {
  Affinity,
  Container,
  Pod,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Toleration,
} from '../../types/pod.js';
import type { Assert, AssertSame } from '../type-check.js';
import {
  annotationsSchema,
  apiVersionSchema,
  checkOperatorValues,
  conditionFields,
  dns1123Label,
  integer,
  dns1123Subdomain,
  labelSelectorSchema,
  labelsSchema,
  nonEmptyString,
  nonNegativeInt,
  objectMetaSchema,
  portName,
  portNumber,
  portNumberOrName,
  positiveInt,
  protocolSchema,
  qualifiedName,
  quantity,
  stringWith,
  timestamp,
  uniqueBy,
} from './common.js';

const containerPortSchema = z.strictObject({
  name: portName().exactOptional(),
  containerPort: portNumber(),
  hostPort: portNumber().exactOptional(),
  protocol: protocolSchema.exactOptional(),
});

const resourceListSchema = z.strictObject({
  cpu: quantity('cpu').exactOptional(),
  memory: quantity('memory').exactOptional(),
});

const resourceRequirementsSchema = z
  .strictObject({
    requests: resourceListSchema.exactOptional(),
    limits: resourceListSchema.exactOptional(),
  })
  .superRefine((r, ctx) => {
    for (const [resource, kind] of [
      ['cpu', 'cpu'],
      ['memory', 'memory'],
    ] as const) {
      const request = r.requests?.[resource];
      const limit = r.limits?.[resource];
      if (request === undefined || limit === undefined) continue;
      const req = parseQuantity(request, kind);
      const lim = parseQuantity(limit, kind);
      if (req.ok && lim.ok && req.value > lim.value) {
        ctx.addIssue({
          code: 'custom',
          message: `must be <= limits.${resource} (${String(limit)})`,
          path: ['requests', resource],
          input: request,
        });
      }
    }
  });

const HANDLERS = ['exec', 'tcpSocket', 'httpGet'] as const;

const probeSchema = z
  .strictObject({
    exec: z.strictObject({ command: z.array(z.string()).min(1, 'must not be empty') }).exactOptional(),
    tcpSocket: z.strictObject({ port: portNumberOrName(), host: nonEmptyString().exactOptional() }).exactOptional(),
    httpGet: z
      .strictObject({
        path: z.string().startsWith('/', "must start with '/'").exactOptional(),
        port: portNumberOrName(),
        host: nonEmptyString().exactOptional(),
        scheme: z.enum(['HTTP', 'HTTPS']).exactOptional(),
        httpHeaders: z.array(z.strictObject({ name: nonEmptyString(), value: z.string() })).exactOptional(),
      })
      .exactOptional(),
    initialDelaySeconds: nonNegativeInt().exactOptional(),
    periodSeconds: positiveInt().exactOptional(),
    timeoutSeconds: positiveInt().exactOptional(),
    successThreshold: positiveInt().exactOptional(),
    failureThreshold: positiveInt().exactOptional(),
  })
  .superRefine((probe, ctx) => {
    const set = HANDLERS.filter((h) => probe[h] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `must specify exactly one of exec, tcpSocket, httpGet (found ${set.length === 0 ? 'none' : set.join(', ')})`,
        input: probe,
      });
    }
  });

/** The port of a probe handler, if it names a port instead of numbering it. */
function namedProbePort(probe: Probe | undefined): { handler: 'tcpSocket' | 'httpGet'; name: string } | undefined {
  const port = probe?.tcpSocket?.port;
  if (typeof port === 'string') return { handler: 'tcpSocket', name: port };
  const httpPort = probe?.httpGet?.port;
  if (typeof httpPort === 'string') return { handler: 'httpGet', name: httpPort };
  return undefined;
}

const containerSchema = z
  .strictObject({
    name: dns1123Label(),
    image: nonEmptyString(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).exactOptional(),
    command: z.array(z.string()).exactOptional(),
    args: z.array(z.string()).exactOptional(),
    workingDir: z.string().exactOptional(),
    env: z.array(z.strictObject({ name: stringWith(checkEnvVarName), value: z.string().exactOptional() })).exactOptional(),
    ports: z.array(containerPortSchema).exactOptional(),
    resources: resourceRequirementsSchema.exactOptional(),
    livenessProbe: probeSchema.exactOptional(),
    readinessProbe: probeSchema.exactOptional(),
  })
  .superRefine((c, ctx) => {
    const threshold = c.livenessProbe?.successThreshold;
    if (threshold !== undefined && threshold !== 1) {
      ctx.addIssue({ code: 'custom', message: 'must be 1 for a liveness probe', path: ['livenessProbe', 'successThreshold'], input: threshold });
    }
    uniqueBy(c.ports ?? [], (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`, ctx, 'containerPort', 'port', ['ports']);
    for (const probeName of ['livenessProbe', 'readinessProbe'] as const) {
      const named = namedProbePort(c[probeName]);
      if (named !== undefined && !(c.ports ?? []).some((p) => p.name === named.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `must name a port of this container (no port is named ${JSON.stringify(named.name)})`,
          path: [probeName, named.handler, 'port'],
          input: named.name,
        });
      }
    }
  });

const tolerationSchema = z
  .strictObject({
    key: qualifiedName().exactOptional(),
    operator: z.enum(['Equal', 'Exists']).exactOptional(),
    value: z.string().exactOptional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).exactOptional(),
    tolerationSeconds: integer().exactOptional(),
  })
  .superRefine((t, ctx) => {
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') {
      ctx.addIssue({ code: 'custom', message: 'must be empty when operator is Exists', path: ['value'], input: t.value });
    }
    if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') {
      ctx.addIssue({ code: 'custom', message: 'must be Exists when key is empty', path: ['operator'], input: t.operator });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      ctx.addIssue({ code: 'custom', message: 'may only be set when effect is NoExecute', path: ['tolerationSeconds'], input: t.tolerationSeconds });
    }
  });

const INTEGER_VALUE = /^-?\d+$/;

const nodeSelectorTermSchema = z.strictObject({
  matchExpressions: z.array(
    z
      .strictObject({
        key: qualifiedName(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
        values: z.array(z.string()).exactOptional(),
      })
      .superRefine((r, ctx) => {
        if (r.operator === 'Gt' || r.operator === 'Lt') {
          if (r.values?.length !== 1 || !INTEGER_VALUE.test(r.values[0] ?? '')) {
            ctx.addIssue({ code: 'custom', message: `must be exactly one integer when operator is ${r.operator}`, path: ['values'], input: r.values });
          }
        } else {
          checkOperatorValues(r.operator, r.values, ctx);
        }
      }),
  ),
});

const weight = () => integer().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');

const podAffinityTermSchema = z.strictObject({
  labelSelector: labelSelectorSchema,
  namespaces: z.array(dns1123Label()).exactOptional(),
  topologyKey: qualifiedName(),
});

const podAffinitySchema = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTermSchema).exactOptional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.strictObject({ weight: weight(), podAffinityTerm: podAffinityTermSchema }))
    .exactOptional(),
});

const affinitySchema = z.strictObject({
  nodeAffinity: z
    .strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z
        .strictObject({ nodeSelectorTerms: z.array(nodeSelectorTermSchema).min(1, 'must not be empty') })
        .exactOptional(),
      preferredDuringSchedulingIgnoredDuringExecution: z
        .array(z.strictObject({ weight: weight(), preference: nodeSelectorTermSchema }))
        .exactOptional(),
    })
    .exactOptional(),
  podAffinity: podAffinitySchema.exactOptional(),
  podAntiAffinity: podAffinitySchema.exactOptional(),
});

export const podSpecSchema = z
  .strictObject({
    containers: z.array(containerSchema).min(1, 'must have at least one container'),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).exactOptional(),
    nodeName: dns1123Subdomain().exactOptional(),
    nodeSelector: labelsSchema().exactOptional(),
    affinity: affinitySchema.exactOptional(),
    tolerations: z.array(tolerationSchema).exactOptional(),
    terminationGracePeriodSeconds: nonNegativeInt().exactOptional(),
    activeDeadlineSeconds: positiveInt().exactOptional(),
  })
  .superRefine((spec, ctx) => {
    uniqueBy(spec.containers, (c) => c.name, ctx, 'name', 'container name', ['containers']);
    // Port names are unique across the pod: Services and probes refer to them by name alone.
    const ports = spec.containers.flatMap((c, ci) => (c.ports ?? []).map((p, pi) => ({ ci, pi, p })));
    const seenNames = new Map<string, string>();
    const seenHostPorts = new Map<string, string>();
    for (const { ci, pi, p } of ports) {
      const where = `containers[${ci}].ports[${pi}]`;
      if (p.name !== undefined) {
        const first = seenNames.get(p.name);
        if (first === undefined) seenNames.set(p.name, where);
        else ctx.addIssue({ code: 'custom', message: `must be unique in the pod (port name ${JSON.stringify(p.name)} is also at ${first})`, path: ['containers', ci, 'ports', pi, 'name'], input: p.name });
      }
      if (p.hostPort !== undefined) {
        const key = `${p.hostPort}/${p.protocol ?? 'TCP'}`;
        const first = seenHostPorts.get(key);
        if (first === undefined) seenHostPorts.set(key, where);
        else ctx.addIssue({ code: 'custom', message: `must be unique in the pod (host port ${key} is also at ${first})`, path: ['containers', ci, 'ports', pi, 'hostPort'], input: p.hostPort });
      }
    }
  });

const containerStateSchema = z.strictObject({
  waiting: z.strictObject({ reason: z.string().exactOptional(), message: z.string().exactOptional() }).exactOptional(),
  running: z.strictObject({ startedAt: timestamp().exactOptional() }).exactOptional(),
  terminated: z
    .strictObject({
      exitCode: integer(),
      signal: integer().exactOptional(),
      reason: z.string().exactOptional(),
      message: z.string().exactOptional(),
      startedAt: timestamp().exactOptional(),
      finishedAt: timestamp().exactOptional(),
      containerID: z.string().exactOptional(),
    })
    .exactOptional(),
});

const podStatusSchema = z.strictObject({
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).exactOptional(),
  conditions: z
    .array(
      z.strictObject({
        ...conditionFields(['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']),
        lastProbeTime: timestamp().exactOptional(),
      }),
    )
    .exactOptional(),
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
  hostIP: z.string().exactOptional(),
  podIP: z.string().exactOptional(),
  startTime: timestamp().exactOptional(),
  containerStatuses: z
    .array(
      z.strictObject({
        name: z.string(),
        image: z.string(),
        containerID: z.string().exactOptional(),
        state: containerStateSchema.exactOptional(),
        lastState: containerStateSchema.exactOptional(),
        ready: z.boolean(),
        started: z.boolean().exactOptional(),
        restartCount: nonNegativeInt(),
      }),
    )
    .exactOptional(),
});

export const podSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Pod'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  spec: podSpecSchema,
  status: podStatusSchema.exactOptional(),
});

export const podTemplateSchema = z.strictObject({
  metadata: z
    .strictObject({ labels: labelsSchema().exactOptional(), annotations: annotationsSchema().exactOptional() })
    .exactOptional(),
  spec: podSpecSchema,
});

// The schemas accept exactly the documented types.
export type PodSchemaChecks = [
  Assert<AssertSame<z.output<typeof podSchema>, Pod>>,
  Assert<AssertSame<z.output<typeof podSpecSchema>, PodSpec>>,
  Assert<AssertSame<z.output<typeof podStatusSchema>, PodStatus>>,
  Assert<AssertSame<z.output<typeof podTemplateSchema>, PodTemplateSpec>>,
  Assert<AssertSame<z.output<typeof containerSchema>, Container>>,
  Assert<AssertSame<z.output<typeof probeSchema>, Probe>>,
  Assert<AssertSame<z.output<typeof resourceRequirementsSchema>, ResourceRequirements>>,
  Assert<AssertSame<z.output<typeof tolerationSchema>, Toleration>>,
  Assert<AssertSame<z.output<typeof affinitySchema>, Affinity>>,
];
