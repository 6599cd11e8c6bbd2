// Container runtimes: what runs a node agent's containers.
//
//   const { runtime, reason } = await detectRuntime({ nodeName, clock, processStateDir });
//   log.info({ runtime: runtime.name, reason }, 'container runtime');
//   const info = await runtime.start(config);
//   runtime.onExit((e) => podWorker.tell({ type: 'containerExited', ...e }));

export type {
  ContainerConfig,
  ContainerExit,
  ContainerInfo,
  ContainerRunState,
  ContainerRuntime,
  ExecResult,
  ListFilter,
  LogOptions,
  PortMapping,
  RuntimeName,
} from './types.js';
export { RuntimeError } from './errors.js';
export type { RuntimeErrorCode, RuntimeErrorContext, RuntimeOp } from './errors.js';
export { detectRuntime } from './detect.js';
export type { DetectRuntimeOptions, DetectedRuntime } from './detect.js';
export { portEnvName } from './port-env.js';
export { EXEC_OUTPUT_MAX_BYTES } from './output-limit.js';
export { DockerRuntime, DEFAULT_DOCKER_SOCKET, DOCKER_SCHEME, containerNameFor, labelsFor, parseLabels } from './docker/index.js';
export { LABEL_CONTAINER_ATTEMPT, LABEL_CONTAINER_NAME, LABEL_NODE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './docker/index.js';
export type { DockerRuntimeOptions, LabelledContainer } from './docker/index.js';
export { ProcessRuntime, DEFAULT_AGENT_VERSION, LOST_EXIT_CODE } from './process/index.js';
export type { ProcessRuntimeOptions, PickPort } from './process/index.js';
export { HollowRuntime, HOLLOW_SCHEME } from './hollow/index.js';
export type { HollowRuntimeOptions } from './hollow/index.js';
