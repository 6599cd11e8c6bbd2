// The docker runtime: containers on the local Docker engine, through dockerode.

export { DockerRuntime, DEFAULT_DOCKER_SOCKET } from './docker-runtime.js';
export type { DockerRuntimeOptions } from './docker-runtime.js';
export { containerNameFor } from './naming.js';
export {
  LABEL_CONTAINER_ATTEMPT,
  LABEL_CONTAINER_NAME,
  LABEL_NODE,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  labelsFor,
  parseLabels,
} from './labels.js';
export type { LabelledContainer } from './labels.js';
export { DOCKER_SCHEME } from './inspect-info.js';
