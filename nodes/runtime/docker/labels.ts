import type { ContainerConfig } from '../types.js';

// Labels tie a docker container to its pod and to the node agent that made
// it. The node label lets two agents share one engine (several nodes on one
// machine) without either ever touching the other's containers.

export const LABEL_POD_UID = 'drover.pod.uid';
export const LABEL_POD_NAMESPACE = 'drover.pod.namespace';
export const LABEL_POD_NAME = 'drover.pod.name';
export const LABEL_CONTAINER_NAME = 'drover.container.name';
export const LABEL_CONTAINER_ATTEMPT = 'drover.container.attempt';
export const LABEL_NODE = 'drover.node';

/** The labels of a container of `config` made by the agent of `nodeName`. */
export function labelsFor(nodeName: string, config: ContainerConfig): Record<string, string> {
  return {
    [LABEL_POD_UID]: config.podUid,
    [LABEL_POD_NAMESPACE]: config.podNamespace,
    [LABEL_POD_NAME]: config.podName,
    [LABEL_CONTAINER_NAME]: config.containerName,
    [LABEL_CONTAINER_ATTEMPT]: String(config.attempt),
    [LABEL_NODE]: nodeName,
  };
}

/** What the labels say of a container's pod. */
export interface LabelledContainer {
  readonly nodeName: string;
  readonly podUid: string;
  readonly podNamespace: string;
  readonly podName: string;
  readonly containerName: string;
  readonly attempt: number;
}

/** Reads the labels back; undefined when one is missing or malformed (not a Drover container). */
export function parseLabels(labels: Readonly<Record<string, string>> | null | undefined): LabelledContainer | undefined {
  if (labels === null || labels === undefined) return undefined;
  const nodeName = labels[LABEL_NODE];
  const podUid = labels[LABEL_POD_UID];
  const podNamespace = labels[LABEL_POD_NAMESPACE];
  const podName = labels[LABEL_POD_NAME];
  const containerName = labels[LABEL_CONTAINER_NAME];
  const attemptText = labels[LABEL_CONTAINER_ATTEMPT];
  if (nodeName === undefined || podUid === undefined || podNamespace === undefined || podName === undefined) return undefined;
  if (containerName === undefined || attemptText === undefined || !/^\d+$/.test(attemptText)) return undefined;
  const attempt = Number(attemptText);
  if (!Number.isSafeInteger(attempt)) return undefined;
  return { nodeName, podUid, podNamespace, podName, containerName, attempt };
}

/** The engine-side filter for the containers of one node (list and events). */
export function nodeLabelFilter(nodeName: string): string {
  return `${LABEL_NODE}=${nodeName}`;
}
