// ReplicaSet and Deployment: controllers that keep a number of pods running.

import type { ApiVersion, Condition, IntOrString, ObjectMeta, Timestamp } from './meta.js';
import type { PodTemplateSpec } from './pod.js';
import type { LabelSelector } from './selector.js';

export interface ReplicaSetSpec {
  /** Desired number of pods, >= 0. Defaults to 1. */
  replicas?: number;
  /** Which pods count as this set's; must match the template's labels; immutable. */
  selector: LabelSelector;
  template: PodTemplateSpec;
  /** Seconds a new pod must be ready before it counts as available. Defaults to 0. */
  minReadySeconds?: number;
}

export type ReplicaSetConditionType = 'ReplicaFailure';

export interface ReplicaSetStatus {
  /** Pods the controller saw, matching the selector and owned by the set. */
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  /** The metadata.generation the controller last acted on. */
  observedGeneration?: number;
  conditions?: Condition<ReplicaSetConditionType>[];
}

export interface ReplicaSet {
  apiVersion: ApiVersion;
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

export interface RollingUpdateDeployment {
  /**
   * Pods that may exist above `replicas` during the update: a count, or a
   * percentage of replicas rounded up. Defaults to 25%.
   */
  maxSurge?: IntOrString;
  /**
   * Pods that may be unavailable during the update: a count, or a percentage
   * of replicas rounded down. Defaults to 25%. Not 0 together with maxSurge.
   */
  maxUnavailable?: IntOrString;
}

/** RollingUpdate replaces pods a few at a time; Recreate stops them all, then starts the new ones. */
export type DeploymentStrategyType = 'RollingUpdate' | 'Recreate';

export interface DeploymentStrategy {
  /** Defaults to RollingUpdate. */
  type?: DeploymentStrategyType;
  /** Only with type RollingUpdate. */
  rollingUpdate?: RollingUpdateDeployment;
}

export interface DeploymentSpec {
  /** Desired number of pods, >= 0. Defaults to 1. */
  replicas?: number;
  /** Which pods count as this deployment's; must match the template's labels; immutable. */
  selector: LabelSelector;
  /** A change here starts a rollout of a new ReplicaSet. */
  template: PodTemplateSpec;
  /** Defaults to RollingUpdate with 25% / 25%. */
  strategy?: DeploymentStrategy;
  /** Seconds a new pod must be ready before it counts as available. Defaults to 0. */
  minReadySeconds?: number;
  /** Old ReplicaSets kept for rollback. Defaults to 10. */
  revisionHistoryLimit?: number;
  /** While true, template changes do not roll out. */
  paused?: boolean;
  /** Seconds without progress before the rollout is reported as failed. Defaults to 600. */
  progressDeadlineSeconds?: number;
}

export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

export interface DeploymentCondition extends Condition<DeploymentConditionType> {
  lastUpdateTime?: Timestamp;
}

export interface DeploymentStatus {
  /** The metadata.generation the controller last acted on. */
  observedGeneration?: number;
  /** Pods of all the deployment's ReplicaSets. */
  replicas?: number;
  /** Pods of the current template. */
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  /** Bumped to make a new ReplicaSet name when a template hash collides. */
  collisionCount?: number;
}

export interface Deployment {
  apiVersion: ApiVersion;
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}
