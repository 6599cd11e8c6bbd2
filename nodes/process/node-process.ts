import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ActorSystem, NatsTransport, WallClock, createLogger, realWorld } from '../../actors/index.js';
import { agentActorName } from '../../core/client/index.js';
import { hollowFacts, nodeAgent, type NodeFacts, type PodWorkerFactory } from '../agent/index.js';
import { podWorker } from '../pod-worker/index.js';
import { HollowProber, RealProber, type Prober } from '../probes/index.js';
import { DockerRuntime, HollowRuntime, ProcessRuntime, detectRuntime, type ContainerRuntime } from '../runtime/index.js';
import type { NodeConfig } from './node-config.js';
import { readNodeFacts } from './node-facts.js';

/** A running `drover node` process: its agents, and how to stop it. */
export interface NodeProcess {
  readonly nodeNames: readonly string[];
  /** docker, process or hollow. */
  readonly runtime: string;
  /** Stops the agents and the NATS connection; containers keep running (a restarted agent adopts them). */
  stop(): Promise<void>;
}

async function chooseRuntime(config: NodeConfig, clock: WallClock, version: string): Promise<{ runtime: ContainerRuntime; reason: string }> {
  const processStateDir = join(config.dataDir, 'process-runtime');
  switch (config.runtime) {
    case 'auto':
      return detectRuntime({ nodeName: config.nodeName, clock, processStateDir, agentVersion: version });
    case 'docker':
      return { runtime: await DockerRuntime.connect({ nodeName: config.nodeName, clock }), reason: 'asked for docker' };
    case 'process':
      return { runtime: new ProcessRuntime({ stateDir: processStateDir, clock, agentVersion: version }), reason: 'asked for process' };
    case 'hollow':
      return { runtime: new HollowRuntime({ clock, idPrefix: config.nodeName }), reason: 'hollow node' };
  }
}

/**
 * Starts `drover node`: an actor system over NATS with one node agent (or,
 * in hollow mode, `hollowCount` of them), the container runtime it picked,
 * and the facts of this machine.
 */
export async function startNodeProcess(config: NodeConfig, version: string): Promise<NodeProcess> {
  const hollow = config.hollowCount !== undefined || config.runtime === 'hollow';
  const logger = createLogger({ base: { node: config.nodeName } });
  const clock = new WallClock();
  await mkdir(config.dataDir, { recursive: true });
  const transport = await NatsTransport.connect({ servers: config.natsUrl.split(','), connectionName: `node-${config.nodeName}` });
  let system: ActorSystem;
  try {
    system = await ActorSystem.start({ name: hollow ? `hollow-${config.nodeName}` : config.nodeName, world: realWorld({ transport, logger }) });
  } catch (e) {
    await transport.close();
    throw e;
  }
  const runtimes: ContainerRuntime[] = [];
  const names: string[] = [];
  try {
    const agentFor = (nodeName: string, runtime: ContainerRuntime, prober: Prober, facts: NodeFacts) => {
      const worker: PodWorkerFactory = (pod, report) =>
        podWorker({
          pod,
          runtime,
          prober,
          nodeName,
          hostIP: facts.hostIP,
          report,
          onEvent: (e) => logger.info({ node: nodeName, pod: `${e.pod.metadata.namespace}/${e.pod.metadata.name}`, reason: e.reason, container: e.containerName }, e.message),
        });
      system.spawn(
        nodeAgent({
          nodeName,
          masters: config.masters,
          runtime,
          facts,
          labels: config.labels,
          taints: config.taints,
          podWorker: worker,
          ...(config.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
        }),
        agentActorName(nodeName),
      );
      names.push(nodeName);
    };
    if (hollow) {
      const prober = new HollowProber();
      for (let i = 0; i < (config.hollowCount ?? 1); i++) {
        const nodeName = config.hollowCount === undefined ? config.nodeName : `${config.nodeName}-${i}`;
        const runtime = new HollowRuntime({ clock, idPrefix: nodeName });
        runtimes.push(runtime);
        agentFor(nodeName, runtime, prober, hollowFacts(nodeName, version));
      }
      logger.info({ nodes: names.length }, 'hollow node agents started: pods are recorded as running, nothing runs');
    } else {
      const { runtime, reason } = await chooseRuntime(config, clock, version);
      runtimes.push(runtime);
      logger.info({ runtime: runtime.name, version: runtime.version, reason }, `container runtime: ${runtime.name}`);
      agentFor(config.nodeName, runtime, new RealProber({ runtime, clock }), await readNodeFacts(runtime.version, version));
    }
  } catch (e) {
    await system.terminate();
    await transport.close();
    throw e;
  }
  return {
    nodeNames: names,
    runtime: runtimes[0]?.name ?? 'none',
    stop: async () => {
      await system.terminate();
      for (const r of runtimes) await r.close().catch(() => undefined);
      await transport.close();
    },
  };
}
