import { WallClock } from '../../../actors/index.js';
import { startMaster, type Master } from './master.js';
import type { MasterConfig } from './config.js';

/** A stop that takes longer than this ends the process with code 1 anyway. */
const STOP_LIMIT_MS = 15_000;

/**
 * `drover master`: starts one master, prints
 * `{"event":"listening","id":...,"grpc":"host:port","http":"host:port"}` on
 * stdout, and on SIGTERM or SIGINT stops it and exits 0 (1 if stopping
 * failed or took longer than STOP_LIMIT_MS). Resolves with the exit code
 * only if starting failed.
 */
export async function runMaster(config: MasterConfig): Promise<number> {
  let master: Master;
  try {
    master = await startMaster(config);
  } catch (e) {
    process.stderr.write(`drover master: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', id: master.id, grpc: master.grpcAddress, http: master.httpAddress })}\n`);
  return new Promise<number>(() => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      new WallClock().setTimer(STOP_LIMIT_MS, () => {
        process.stderr.write(`drover master: not stopped within ${STOP_LIMIT_MS} ms; exiting\n`);
        process.exit(1);
      });
      master.stop().then(
        () => {
          process.stdout.write(`${JSON.stringify({ event: 'stopped', id: master.id, signal })}\n`);
          process.exit(0);
        },
        (e: unknown) => {
          process.stderr.write(`drover master: stopping failed: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
