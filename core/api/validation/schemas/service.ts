// Schemas of Service and Endpoints.

import { isIP } from 'node:net';
import { z } from 'zod';
import type { Endpoints, Service } from '../../types/service.js';
import type { Assert, AssertSame } from '../type-check.js';
import {
  apiVersionSchema,
  dns1123Label,
  dns1123Subdomain,
  objectMetaSchema,
  objectReferenceSchema,
  labelsSchema,
  portName,
  portNumber,
  portNumberOrName,
  protocolSchema,
  stringWith,
  uniqueBy,
} from './common.js';

const servicePortSchema = z.strictObject({
  name: portName().exactOptional(),
  port: portNumber(),
  targetPort: portNumberOrName().exactOptional(),
  protocol: protocolSchema.exactOptional(),
  nodePort: portNumber().exactOptional(),
});

export const serviceSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Service'),
  // Service names become DNS names, hence the stricter label rule.
  metadata: objectMetaSchema('dns1123-label'),
  spec: z
    .strictObject({
      selector: labelsSchema().exactOptional(),
      ports: z.array(servicePortSchema).min(1, 'must have at least one port'),
      type: z.enum(['ClusterIP', 'NodePort']).exactOptional(),
    })
    .superRefine((spec, ctx) => {
      spec.ports.forEach((p, i) => {
        if (spec.ports.length > 1 && p.name === undefined) {
          ctx.addIssue({ code: 'custom', message: 'is required when the service has more than one port', path: ['ports', i, 'name'], input: p.name });
        }
        if (p.nodePort !== undefined && spec.type !== 'NodePort') {
          ctx.addIssue({ code: 'custom', message: 'may only be set when type is NodePort', path: ['ports', i, 'nodePort'], input: p.nodePort });
        }
      });
      uniqueBy(spec.ports, (p) => p.name, ctx, 'name', 'port name', ['ports']);
      uniqueBy(spec.ports, (p) => `${p.port}/${p.protocol ?? 'TCP'}`, ctx, 'port', 'port', ['ports']);
      uniqueBy(spec.ports, (p) => (p.nodePort === undefined ? undefined : `${p.nodePort}/${p.protocol ?? 'TCP'}`), ctx, 'nodePort', 'node port', ['ports']);
    }),
});

const ipAddress = () => stringWith((v) => (isIP(v) === 0 ? 'must be an IPv4 or IPv6 address' : undefined));

const endpointAddressSchema = z.strictObject({
  ip: ipAddress(),
  hostname: dns1123Label().exactOptional(),
  nodeName: dns1123Subdomain().exactOptional(),
  targetRef: objectReferenceSchema.exactOptional(),
});

export const endpointsSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Endpoints'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  subsets: z
    .array(
      z.strictObject({
        addresses: z.array(endpointAddressSchema).exactOptional(),
        notReadyAddresses: z.array(endpointAddressSchema).exactOptional(),
        ports: z
          .array(z.strictObject({ name: portName().exactOptional(), port: portNumber(), protocol: protocolSchema.exactOptional() }))
          .superRefine((ports, ctx) => uniqueBy(ports, (p) => p.name, ctx, 'name', 'port name'))
          .exactOptional(),
      }),
    )
    .exactOptional(),
});

export type ServiceSchemaChecks = [
  Assert<AssertSame<z.output<typeof serviceSchema>, Service>>,
  Assert<AssertSame<z.output<typeof endpointsSchema>, Endpoints>>,
];
