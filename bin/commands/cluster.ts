import type { Command } from 'commander';
import type { ClusterStatus, DroverClient } from '../../core/client/index.js';
import { EXIT_OK, runWithClient, type CliIo, type MasterOptions } from './context.js';
import { formatTable } from './table.js';

const num = (v: number | undefined): string => (v === undefined ? '-' : String(v));

/** The masters as a table; LAG is how far each master's applied index trails the leader's commit index. */
export function formatClusterStatus(s: ClusterStatus): string {
  const rows = s.masters.map((m) =>
    m.reachable ? [m.id, m.role ?? '-', num(m.term), num(m.commit), num(m.applied), num(m.lag)] : [m.id, 'unreachable', '-', '-', '-', '-'],
  );
  const head = `Leader: ${s.leader || '<none>'}   Term: ${s.term}   Commit: ${s.commit}   Applied: ${s.applied}   Max lag: ${s.lag}`;
  return `${head}\n\n${formatTable(['MASTER', 'ROLE', 'TERM', 'COMMIT', 'APPLIED', 'LAG'], rows)}`;
}

export async function runClusterStatus(opts: MasterOptions & { output?: string }, io: CliIo, makeClient?: (masters: string[]) => DroverClient): Promise<number> {
  return runWithClient(
    opts,
    io,
    async (client) => {
      const s = await client.clusterStatus();
      io.out(opts.output === 'json' ? JSON.stringify(s, null, 2) : formatClusterStatus(s));
      return EXIT_OK;
    },
    makeClient,
  );
}

export function registerCluster(program: Command, io: CliIo, done: (code: number) => void, usageExit: (c: Command) => Command): Command {
  const cluster = usageExit(program.command('cluster').summary('the control plane'));
  usageExit(
    cluster
      .command('status')
      .summary('the masters: leader, term, commit and applied index, lag')
      .option('-o, --output <format>', 'json for the raw status')
      .action(async (opts: { output?: string }, cmd: Command) => {
        done(await runClusterStatus({ ...(cmd.optsWithGlobals() as MasterOptions), ...opts }, io));
      }),
  );
  return cluster;
}
