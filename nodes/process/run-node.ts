import { WallClock } from '../../actors/index.js';
import type { NodeConfig } from './node-config.js';
import { startNodeProcess, type NodeProcess } from './node-process.js';

const STOP_LIMIT_MS = 15_000;

/**
 * `drover node`: starts the agent(s), prints
 * `{"event":"node-started","nodes":[...],"runtime":"process"}` on stdout, and
 * on SIGTERM or SIGINT stops and exits 0. Resolves with the exit code only
 * if starting failed.
 */
export async function runNode(config: NodeConfig, version: string): Promise<number> {
  let node: NodeProcess;
  try {
    node = await startNodeProcess(config, version);
  } catch (e) {
    process.stderr.write(`drover node: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ event: 'node-started', nodes: node.nodeNames, runtime: node.runtime })}\n`);
  return new Promise<number>(() => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      new WallClock().setTimer(STOP_LIMIT_MS, () => process.exit(1));
      node.stop().then(
        () => {
          process.stdout.write(`${JSON.stringify({ event: 'stopped', nodes: node.nodeNames, signal })}\n`);
          process.exit(0);
        },
        (e: unknown) => {
          process.stderr.write(`drover node: stopping failed: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
