// The client commands of `drover` (apply, get, describe, delete, cluster
// status), registered on the program by bin/drover.ts.
import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerCluster } from './cluster.js';
import { EXIT_USAGE, processIo, type CliIo } from './context.js';
import { registerDelete } from './delete.js';
import { registerDescribe } from './describe.js';
import { registerGet } from './get.js';

export { runApply } from './apply.js';
export { runClusterStatus } from './cluster.js';
export { runDelete } from './delete.js';
export { runDescribe } from './describe.js';
export { runGet } from './get.js';
export type { CliIo } from './context.js';

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
  for (const register of [registerApply, registerGet, registerDescribe, registerDelete]) usageExit(register(program, io, done));
  registerCluster(program, io, done, usageExit);
}
