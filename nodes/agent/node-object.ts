import { API_VERSION, type Labels, type Node, type NodeAddress, type NodeCondition, type NodeSystemInfo, type Taint } from '../../core/api/index.js';

/** What the agent read of its machine (systeminformation in a real agent; made up by a hollow one). */
export interface NodeFacts {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  /** Most pods this node takes. Default 110. */
  readonly maxPods?: number;
  readonly hostname: string;
  /** The address pods' ports are reached at: 127.0.0.1 here (everything publishes on loopback). */
  readonly hostIP: string;
  readonly nodeInfo: NodeSystemInfo;
}

export interface NodeRegistration {
  readonly nodeName: string;
  readonly labels: Labels;
  readonly taints: readonly Taint[];
  /** What the agent keeps back from pods, subtracted from capacity for allocatable. */
  readonly reserved: { readonly cpuMillis: number; readonly memoryBytes: number };
}

/** The label every node carries with its name: the topology key for spreading by node. */
export const HOSTNAME_LABEL = 'drover.io/hostname';
export const OS_LABEL = 'drover.io/os';
export const ARCH_LABEL = 'drover.io/arch';

const DEFAULT_MAX_PODS = 110;

function readyCondition(nowIso: string): NodeCondition {
  return { type: 'Ready', status: 'True', reason: 'AgentReady', message: 'the node agent is posting heartbeats', lastTransitionTime: nowIso, lastHeartbeatTime: nowIso };
}

/** The Node's status as the agent reports it at registration: capacity, allocatable, Ready, addresses, system info. */
export function nodeStatus(facts: NodeFacts, reg: NodeRegistration, nowIso: string): NonNullable<Node['status']> {
  const pods = String(facts.maxPods ?? DEFAULT_MAX_PODS);
  const addresses: NodeAddress[] = [
    { type: 'InternalIP', address: facts.hostIP },
    { type: 'Hostname', address: facts.hostname },
  ];
  return {
    capacity: { cpu: `${facts.cpuMillis}m`, memory: String(facts.memoryBytes), pods },
    allocatable: {
      cpu: `${Math.max(0, facts.cpuMillis - reg.reserved.cpuMillis)}m`,
      memory: String(Math.max(0, facts.memoryBytes - reg.reserved.memoryBytes)),
      pods,
    },
    conditions: [readyCondition(nowIso)],
    addresses,
    nodeInfo: facts.nodeInfo,
  };
}

/** The Node a new agent creates. */
export function newNode(facts: NodeFacts, reg: NodeRegistration, nowIso: string): Node {
  return {
    apiVersion: API_VERSION,
    kind: 'Node',
    metadata: { name: reg.nodeName, labels: nodeLabels(facts, reg) },
    spec: reg.taints.length > 0 ? { taints: [...reg.taints] } : {},
    status: nodeStatus(facts, reg, nowIso),
  };
}

/**
 * The Node an agent re-registers over an existing one: its labels merged in
 * (the agent's win), its configured taints added to what is there (a taint a
 * controller or user put on stays, e.g. a cordon's), the status replaced.
 */
export function reRegisteredNode(existing: Node, facts: NodeFacts, reg: NodeRegistration): Node {
  const taints = [...(existing.spec?.taints ?? [])];
  for (const t of reg.taints) if (!taints.some((x) => x.key === t.key && x.effect === t.effect)) taints.push(t);
  return {
    ...existing,
    metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...nodeLabels(facts, reg) } },
    spec: { ...existing.spec, ...(taints.length > 0 ? { taints } : {}) },
  };
}

function nodeLabels(facts: NodeFacts, reg: NodeRegistration): Labels {
  return {
    [HOSTNAME_LABEL]: reg.nodeName,
    ...(facts.nodeInfo.operatingSystem ? { [OS_LABEL]: facts.nodeInfo.operatingSystem } : {}),
    ...(facts.nodeInfo.architecture ? { [ARCH_LABEL]: facts.nodeInfo.architecture } : {}),
    ...reg.labels,
  };
}
