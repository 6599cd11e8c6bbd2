// The client commands of `drover` (apply, get, describe, delete, cluster
// status; scale, rollout, logs; cordon, uncordon, drain), registered on the
// program by bin/drover.ts.
import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerCluster } from './cluster.js';
import { EXIT_USAGE, processIo, type CliIo } from './context.js';
import { registerCordon } from './cordon.js';
import { registerDelete } from './delete.js';
import { registerDescribe } from './describe.js';
import { registerDrain } from './drain.js';
import { registerGet } from './get.js';
import { registerLogs } from './logs.js';
import { registerRollout } from './rollout.js';
import { registerScale } from './scale.js';

export { runApply } from './apply.js';
export { runClusterStatus } from './cluster.js';
export { runCordon } from './cordon.js';
export { runDelete } from './delete.js';
export { runDescribe } from './describe.js';
export { runDrain } from './drain.js';
export { runGet } from './get.js';
export { runLogs } from './logs.js';
export { runRolloutHistory, runRolloutPause, runRolloutUndo } from './rollout.js';
export { runRolloutStatus } from './rollout-status.js';
export { runScale } from './scale.js';
export type { CliIo } from './context.js';
export type { LogsSource } from './logs.js';
export type { LogsMessage, LogsRequest, LogStream } from '../../core/client/index.js';
export type { MakeWorkloadClient, WorkloadClient } from './workload-client.js';

/** Usage errors (unknown option, missing argument) exit 2, as scripts expect; help exits 0. */
function usageExit(c: Command): Command {
  return c.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : EXIT_USAGE));
}

/** Adds `--masters` and the client commands to `program`. */
export function registerClientCommands(program: Command, io: CliIo = processIo): void {
  const done = (code: number): void => {
    process.exitCode = code;
  };
  program.option('--masters <list>', 'the masters, host:port,host:port (default: $DROVER_MASTERS)');
  for (const register of [registerApply, registerGet, registerDescribe, registerDelete, registerScale]) usageExit(register(program, io, done));
  registerRollout(program, io, done, usageExit);
  usageExit(registerLogs(program, io, done));
  registerCordon(program, io, done, usageExit);
  usageExit(registerDrain(program, io, done));
  registerCluster(program, io, done, usageExit);
}
