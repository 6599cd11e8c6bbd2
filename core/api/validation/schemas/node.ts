// Schemas of Node and Namespace, the cluster-scoped kinds.

import { z } from 'zod';
import type { Namespace } from '../../types/namespace.js';
import type { Node, NodeStatus } from '../../types/node.js';
import type { Assert, AssertSame } from '../type-check.js';
import {
  apiVersionSchema,
  conditionFields,
  labelValue,
  nonEmptyString,
  objectMetaSchema,
  qualifiedName,
  quantity,
  timestamp,
  uniqueBy,
} from './common.js';

const taintSchema = z.strictObject({
  key: qualifiedName(),
  value: labelValue().exactOptional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  timeAdded: timestamp().exactOptional(),
});

const nodeResourceListSchema = z.strictObject({
  cpu: quantity('cpu').exactOptional(),
  memory: quantity('memory').exactOptional(),
  pods: quantity('count').exactOptional(),
});

const nodeStatusSchema = z.strictObject({
  capacity: nodeResourceListSchema.exactOptional(),
  allocatable: nodeResourceListSchema.exactOptional(),
  conditions: z
    .array(
      z.strictObject({
        ...conditionFields(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']),
        lastHeartbeatTime: timestamp().exactOptional(),
      }),
    )
    .superRefine((conditions, ctx) => uniqueBy(conditions, (c) => c.type, ctx, 'type', 'condition type'))
    .exactOptional(),
  addresses: z
    .array(z.strictObject({ type: z.enum(['InternalIP', 'ExternalIP', 'Hostname']), address: nonEmptyString() }))
    .exactOptional(),
  nodeInfo: z
    .strictObject({
      machineID: z.string().exactOptional(),
      kernelVersion: z.string().exactOptional(),
      osImage: z.string().exactOptional(),
      operatingSystem: z.string().exactOptional(),
      architecture: z.string().exactOptional(),
      containerRuntimeVersion: z.string().exactOptional(),
      droverVersion: z.string().exactOptional(),
    })
    .exactOptional(),
});

export const nodeSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Node'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  spec: z
    .strictObject({
      unschedulable: z.boolean().exactOptional(),
      taints: z
        .array(taintSchema)
        .superRefine((taints, ctx) => uniqueBy(taints, (t) => `${t.key}:${t.effect}`, ctx, 'key', 'taint key and effect'))
        .exactOptional(),
    })
    .exactOptional(),
  status: nodeStatusSchema.exactOptional(),
});

export const namespaceSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Namespace'),
  metadata: objectMetaSchema('dns1123-label'),
  spec: z.strictObject({ finalizers: z.array(qualifiedName()).exactOptional() }).exactOptional(),
  status: z.strictObject({ phase: z.enum(['Active', 'Terminating']).exactOptional() }).exactOptional(),
});

export type ClusterSchemaChecks = [
  Assert<AssertSame<z.output<typeof nodeSchema>, Node>>,
  Assert<AssertSame<z.output<typeof nodeStatusSchema>, NodeStatus>>,
  Assert<AssertSame<z.output<typeof namespaceSchema>, Namespace>>,
];
