// The schema of each kind.

import type { z } from 'zod';
import type { Kind, ObjectOfKind } from '../../kinds.js';
import { podSchema } from './pod.js';
import { namespaceSchema, nodeSchema } from './node.js';
import { eventSchema } from './event.js';
import { endpointsSchema, serviceSchema } from './service.js';
import { deploymentSchema, replicaSetSchema } from './workloads.js';

export const SCHEMAS: { readonly [K in Kind]: z.ZodType<ObjectOfKind<K>> } = {
  Namespace: namespaceSchema,
  Node: nodeSchema,
  Pod: podSchema,
  ReplicaSet: replicaSetSchema,
  Deployment: deploymentSchema,
  Service: serviceSchema,
  Endpoints: endpointsSchema,
  Event: eventSchema,
};
