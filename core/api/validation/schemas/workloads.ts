// Schemas of ReplicaSet and Deployment.

import { z } from 'zod';
import { formatSelector } from '../../labels/selector-format.js';
import { isEmptySelector, matches } from '../../labels/selector-match.js';
import type { LabelSelector } from '../../types/selector.js';
import type { PodTemplateSpec } from '../../types/pod.js';
import type { Deployment, DeploymentSpec, DeploymentStatus, ReplicaSet, ReplicaSetSpec, ReplicaSetStatus } from '../../types/workloads.js';
import type { Assert, AssertSame } from '../type-check.js';
import {
  apiVersionSchema,
  conditionFields,
  integer,
  intOrPercent,
  labelSelectorSchema,
  nonNegativeInt,
  objectMetaSchema,
  percentOf,
  positiveInt,
  timestamp,
} from './common.js';
import { podTemplateSchema } from './pod.js';

const replicas = () => integer().min(0, 'must be >= 0');

/** The rules a workload's selector and template follow together; paths are relative to the spec. */
function checkSelectorAndTemplate(
  spec: { selector: LabelSelector; template: PodTemplateSpec },
  kind: string,
  ctx: z.core.$RefinementCtx,
): void {
  if (isEmptySelector(spec.selector)) {
    ctx.addIssue({ code: 'custom', message: `must not be empty (a ${kind} would own every pod in its namespace)`, path: ['selector'], input: spec.selector });
  } else if (!matches(spec.selector, spec.template.metadata?.labels)) {
    ctx.addIssue({
      code: 'custom',
      message: `must match spec.selector (${formatSelector(spec.selector)})`,
      path: ['template', 'metadata', 'labels'],
      input: spec.template.metadata?.labels,
    });
  }
  const restartPolicy = spec.template.spec.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    ctx.addIssue({ code: 'custom', message: `must be Always for the pods of a ${kind}`, path: ['template', 'spec', 'restartPolicy'], input: restartPolicy });
  }
}

export const replicaSetSpecSchema = z
  .strictObject({
    replicas: replicas().exactOptional(),
    selector: labelSelectorSchema,
    template: podTemplateSchema,
    minReadySeconds: nonNegativeInt().exactOptional(),
  })
  .superRefine((spec, ctx) => checkSelectorAndTemplate(spec, 'ReplicaSet', ctx));

const replicaSetStatusSchema = z.strictObject({
  replicas: nonNegativeInt(),
  fullyLabeledReplicas: nonNegativeInt().exactOptional(),
  readyReplicas: nonNegativeInt().exactOptional(),
  availableReplicas: nonNegativeInt().exactOptional(),
  observedGeneration: nonNegativeInt().exactOptional(),
  conditions: z.array(z.strictObject(conditionFields(['ReplicaFailure']))).exactOptional(),
});

export const replicaSetSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('ReplicaSet'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  spec: replicaSetSpecSchema,
  status: replicaSetStatusSchema.exactOptional(),
});

const isZero = (v: number | string | undefined): boolean => v === 0 || (v !== undefined && percentOf(v) === 0);

const strategySchema = z
  .strictObject({
    type: z.enum(['RollingUpdate', 'Recreate']).exactOptional(),
    rollingUpdate: z
      .strictObject({
        maxSurge: intOrPercent().exactOptional(),
        maxUnavailable: intOrPercent().exactOptional(),
      })
      .superRefine((ru, ctx) => {
        if (ru.maxUnavailable !== undefined && (percentOf(ru.maxUnavailable) ?? 0) > 100) {
          ctx.addIssue({ code: 'custom', message: 'must be at most 100%', path: ['maxUnavailable'], input: ru.maxUnavailable });
        }
        // Absent means 25%, so only two explicit zeros can stall a rollout.
        if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
          ctx.addIssue({ code: 'custom', message: 'must not be 0 when maxSurge is 0 (the rollout could never make progress)', path: ['maxUnavailable'], input: ru.maxUnavailable });
        }
      })
      .exactOptional(),
  })
  .superRefine((s, ctx) => {
    if (s.type === 'Recreate' && s.rollingUpdate !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'must not be set when type is Recreate', path: ['rollingUpdate'], input: s.rollingUpdate });
    }
  });

export const deploymentSpecSchema = z
  .strictObject({
    replicas: replicas().exactOptional(),
    selector: labelSelectorSchema,
    template: podTemplateSchema,
    strategy: strategySchema.exactOptional(),
    minReadySeconds: nonNegativeInt().exactOptional(),
    revisionHistoryLimit: nonNegativeInt().exactOptional(),
    paused: z.boolean().exactOptional(),
    progressDeadlineSeconds: positiveInt().exactOptional(),
  })
  .superRefine((spec, ctx) => {
    checkSelectorAndTemplate(spec, 'Deployment', ctx);
    const deadline = spec.progressDeadlineSeconds;
    if (deadline !== undefined && deadline <= (spec.minReadySeconds ?? 0)) {
      ctx.addIssue({ code: 'custom', message: 'must be > minReadySeconds', path: ['progressDeadlineSeconds'], input: deadline });
    }
  });

const deploymentStatusSchema = z.strictObject({
  observedGeneration: nonNegativeInt().exactOptional(),
  replicas: nonNegativeInt().exactOptional(),
  updatedReplicas: nonNegativeInt().exactOptional(),
  readyReplicas: nonNegativeInt().exactOptional(),
  availableReplicas: nonNegativeInt().exactOptional(),
  unavailableReplicas: nonNegativeInt().exactOptional(),
  conditions: z
    .array(
      z.strictObject({
        ...conditionFields(['Available', 'Progressing', 'ReplicaFailure']),
        lastUpdateTime: timestamp().exactOptional(),
      }),
    )
    .exactOptional(),
  collisionCount: nonNegativeInt().exactOptional(),
});

export const deploymentSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Deployment'),
  metadata: objectMetaSchema('dns1123-subdomain'),
  spec: deploymentSpecSchema,
  status: deploymentStatusSchema.exactOptional(),
});

export type WorkloadSchemaChecks = [
  Assert<AssertSame<z.output<typeof replicaSetSchema>, ReplicaSet>>,
  Assert<AssertSame<z.output<typeof replicaSetSpecSchema>, ReplicaSetSpec>>,
  Assert<AssertSame<z.output<typeof replicaSetStatusSchema>, ReplicaSetStatus>>,
  Assert<AssertSame<z.output<typeof deploymentSchema>, Deployment>>,
  Assert<AssertSame<z.output<typeof deploymentSpecSchema>, DeploymentSpec>>,
  Assert<AssertSame<z.output<typeof deploymentStatusSchema>, DeploymentStatus>>,
];
