// Pod: one or more containers scheduled together onto one node.

import type { ApiVersion, Condition, IntOrString, Labels, ObjectMeta, Quantity, Timestamp } from './meta.js';
import type { LabelSelector } from './selector.js';

export type Protocol = 'TCP' | 'UDP';

export interface ContainerPort {
  /** Optional; a DNS-1123 label that Services may name as their targetPort. Unique within the pod. */
  name?: string;
  /** The port the container listens on, 1-65535. */
  containerPort: number;
  /** The node port to publish it on (docker runtime: on 127.0.0.1), 1-65535. The scheduler keeps host ports unique per node. */
  hostPort?: number;
  /** Defaults to TCP. */
  protocol?: Protocol;
}

export interface EnvVar {
  name: string;
  value?: string;
}

/** CPU and memory: CPU in cores (`500m` = half a core), memory in bytes (`128Mi`). */
export interface ResourceList {
  cpu?: Quantity;
  memory?: Quantity;
}

export interface ResourceRequirements {
  /** What the scheduler reserves on a node. Defaults to the limits where only limits are given. */
  requests?: ResourceList;
  /** What the runtime enforces. Each request must be <= its limit. */
  limits?: ResourceList;
}

export interface ExecAction {
  /** Run in the container; exit status 0 is success. */
  command: string[];
}

export interface TcpSocketAction {
  /** A port number or the name of a container port. */
  port: IntOrString;
  /** Defaults to the pod IP. */
  host?: string;
}

export interface HttpHeader {
  name: string;
  value: string;
}

export interface HttpGetAction {
  /** Defaults to `/`. */
  path?: string;
  /** A port number or the name of a container port. */
  port: IntOrString;
  /** Defaults to the pod IP. */
  host?: string;
  /** Defaults to HTTP. */
  scheme?: 'HTTP' | 'HTTPS';
  httpHeaders?: HttpHeader[];
}

/** A health check: exactly one of exec, tcpSocket, httpGet. Status 200-399 counts as success for httpGet. */
export interface Probe {
  exec?: ExecAction;
  tcpSocket?: TcpSocketAction;
  httpGet?: HttpGetAction;
  /** Seconds after the container starts before the first probe. Defaults to 0. */
  initialDelaySeconds?: number;
  /** Seconds between probes. Defaults to 10. */
  periodSeconds?: number;
  /** Seconds before a probe counts as failed. Defaults to 1. */
  timeoutSeconds?: number;
  /** Consecutive successes to count as healthy after a failure. Defaults to 1; must be 1 for liveness. */
  successThreshold?: number;
  /** Consecutive failures to count as unhealthy. Defaults to 3. */
  failureThreshold?: number;
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface Container {
  /** A DNS-1123 label, unique within the pod. */
  name: string;
  /** A container image reference (docker runtime) or a program (process runtime). */
  image: string;
  /** Defaults to Always for `:latest` or untagged images, else IfNotPresent. */
  imagePullPolicy?: ImagePullPolicy;
  /** Replaces the image's entrypoint. */
  command?: string[];
  /** Replaces the image's arguments. */
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  /** A failing liveness probe restarts the container (subject to restartPolicy). */
  livenessProbe?: Probe;
  /** A failing readiness probe removes the pod from its Services' endpoints. */
  readinessProbe?: Probe;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** Lets a pod onto nodes with a matching taint. */
export interface Toleration {
  /** Empty with operator Exists tolerates every taint. */
  key?: string;
  /** Defaults to Equal. Exists takes no value. */
  operator?: 'Equal' | 'Exists';
  value?: string;
  /** Empty matches every effect. */
  effect?: TaintEffect;
  /** NoExecute only: how long the pod stays bound after the taint appears. Absent: forever. */
  tolerationSeconds?: number;
}

/** Node label requirements; Gt and Lt compare one integer value. */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** A node matches a term when every requirement holds. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  /** 1-100, added to a node's score when the term matches it. */
  weight: number;
  preference: NodeSelectorTerm;
}

export interface NodeAffinity {
  /** A node must match at least one of these terms (they are ORed). */
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** Pods matching `labelSelector` (in `namespaces`, default the pod's own) on nodes with the same `topologyKey` label value. */
export interface PodAffinityTerm {
  labelSelector: LabelSelector;
  namespaces?: string[];
  /** A node label key, e.g. `kubernetes.io/hostname` or `topology.drover.io/zone`. */
  topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  /** 1-100. */
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: NodeAffinity;
  /** Place near pods matching the terms. */
  podAffinity?: PodAffinity;
  /** Place away from pods matching the terms (spreading). */
  podAntiAffinity?: PodAffinity;
}

export interface PodSpec {
  /** At least one; names unique. */
  containers: Container[];
  /** Defaults to Always. */
  restartPolicy?: RestartPolicy;
  /** Set by the scheduler when it binds the pod (or by the author to skip scheduling); may be set once. */
  nodeName?: string;
  /** The node must carry every one of these labels. */
  nodeSelector?: Labels;
  affinity?: Affinity;
  tolerations?: Toleration[];
  /** Seconds between the stop signal and the kill on deletion. Defaults to 30. */
  terminationGracePeriodSeconds?: number;
  /** Seconds the pod may run before the node agent stops it (Jobs). */
  activeDeadlineSeconds?: number;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export type PodConditionType = 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';

export interface PodCondition extends Condition<PodConditionType> {
  lastProbeTime?: Timestamp;
}

export interface ContainerStateWaiting {
  /** E.g. ContainerCreating, CrashLoopBackOff, ImagePullBackOff. */
  reason?: string;
  message?: string;
}

export interface ContainerStateRunning {
  startedAt?: Timestamp;
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: Timestamp;
  finishedAt?: Timestamp;
  containerID?: string;
}

/** At most one member is set. */
export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: ContainerStateRunning;
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image: string;
  /** `<runtime>://<id>`, e.g. `docker://3f2a...` or `process://12345`. */
  containerID?: string;
  state?: ContainerState;
  /** The state before the last restart. */
  lastState?: ContainerState;
  /** The readiness probe passes (or there is none and the container runs). */
  ready: boolean;
  started?: boolean;
  restartCount: number;
}

/** Written by the scheduler (PodScheduled) and the node agent (the rest). */
export interface PodStatus {
  phase?: PodPhase;
  conditions?: PodCondition[];
  /** A CamelCase reason for the phase, e.g. Evicted. */
  reason?: string;
  message?: string;
  /** The address of the node the pod runs on. */
  hostIP?: string;
  podIP?: string;
  /** When the node agent accepted the pod. */
  startTime?: Timestamp;
  containerStatuses?: ContainerStatus[];
}

export interface Pod {
  apiVersion: ApiVersion;
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: PodStatus;
}

/** A pod as a workload stamps it out: only labels and annotations of the metadata, and the spec. */
export interface PodTemplateSpec {
  metadata?: {
    labels?: Labels;
    annotations?: Record<string, string>;
  };
  spec: PodSpec;
}
