import type { Clock } from '../../actors/index.js';
import { DEFAULT_DOCKER_SOCKET, DockerRuntime } from './docker/index.js';
import { messageOf } from './errors.js';
import { ProcessRuntime } from './process/index.js';
import type { ContainerRuntime } from './types.js';

export interface DetectRuntimeOptions {
  /** The node's name (docker labels and filters). */
  readonly nodeName: string;
  readonly clock: Clock;
  /** The process runtime's state dir (the agent passes `<dataDir>/process-runtime`). */
  readonly processStateDir: string;
  /** The docker engine's socket. Default /var/run/docker.sock. */
  readonly dockerSocketPath?: string;
  /** How long the engine may take to answer the ping. Default 1000. */
  readonly pingTimeoutMs?: number;
  /** Reported in the process runtime's version. */
  readonly agentVersion?: string;
}

/** The runtime picked, and why, in words for the agent's log. */
export interface DetectedRuntime {
  readonly runtime: ContainerRuntime;
  readonly reason: string;
}

/**
 * Picks the node's runtime: docker when an engine answers a ping within
 * `pingTimeoutMs`, else the process runtime. Never rejects for want of an
 * engine: the reason says what was found.
 */
export async function detectRuntime(options: DetectRuntimeOptions): Promise<DetectedRuntime> {
  const socketPath = options.dockerSocketPath ?? DEFAULT_DOCKER_SOCKET;
  try {
    const docker = await DockerRuntime.connect({
      nodeName: options.nodeName,
      clock: options.clock,
      socketPath,
      pingTimeoutMs: options.pingTimeoutMs ?? 1000,
    });
    return { runtime: docker, reason: `the docker engine on ${socketPath} answered (${docker.version})` };
  } catch (e) {
    const runtime = new ProcessRuntime({
      stateDir: options.processStateDir,
      clock: options.clock,
      ...(options.agentVersion !== undefined ? { agentVersion: options.agentVersion } : {}),
    });
    return { runtime, reason: `no docker engine (${messageOf(e)}): running containers as processes under ${options.processStateDir}` };
  }
}
