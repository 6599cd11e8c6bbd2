// Node: a machine that runs pods, registered by its node agent.

import type { ApiVersion, Condition, ObjectMeta, Quantity, Timestamp } from './meta.js';
import type { TaintEffect } from './pod.js';

/** Keeps pods off a node unless they tolerate it. */
export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** When a NoExecute taint was added. */
  timeAdded?: Timestamp;
}

export interface NodeSpec {
  /** True: the scheduler places no new pods here (cordoned). */
  unschedulable?: boolean;
  taints?: Taint[];
}

/** CPU (cores), memory (bytes) and the number of pods. */
export interface NodeResourceList {
  cpu?: Quantity;
  memory?: Quantity;
  pods?: Quantity;
}

export type NodeConditionType = 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'NetworkUnavailable';

export interface NodeCondition extends Condition<NodeConditionType> {
  /**
   * When the node agent last reported this condition. Heartbeats are tracked
   * in the leader's memory; this moves only when the condition is written.
   */
  lastHeartbeatTime?: Timestamp;
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname';
  address: string;
}

export interface NodeSystemInfo {
  machineID?: string;
  kernelVersion?: string;
  osImage?: string;
  /** E.g. linux. */
  operatingSystem?: string;
  /** E.g. amd64, arm64. */
  architecture?: string;
  /** E.g. `docker://24.0.7` or `process://drover`. */
  containerRuntimeVersion?: string;
  /** The version of the node agent. */
  droverVersion?: string;
}

export interface NodeStatus {
  /** What the machine has. */
  capacity?: NodeResourceList;
  /** What pods may use: capacity minus what the system reserves. The scheduler fits requests against this. */
  allocatable?: NodeResourceList;
  conditions?: NodeCondition[];
  addresses?: NodeAddress[];
  nodeInfo?: NodeSystemInfo;
}

export interface Node {
  apiVersion: ApiVersion;
  kind: 'Node';
  /** Cluster-scoped: no namespace. */
  metadata: ObjectMeta;
  spec?: NodeSpec;
  status?: NodeStatus;
}
