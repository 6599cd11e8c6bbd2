import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { natsServerBinary } from '../../../chaos/launcher/nats-server.js';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly natsServer: string;
  readonly natsJs: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function natsServerVersion(): Promise<string> {
  return new Promise((resolve) => {
    try {
      execFile(natsServerBinary(), ['--version'], (err, stdout) => resolve(err ? 'unknown' : stdout.trim().replace(/^nats-server:\s*/, '')));
    } catch {
      resolve('not installed');
    }
  });
}

function natsJsVersion(): string {
  try {
    const url = new URL('../../../node_modules/@nats-io/transport-node/package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The share of all CPUs busy over `ms` (0..1), from /proc/stat; null where there is none. */
export async function cpuBusy(ms = 1_000): Promise<number | null> {
  const read = (): [number, number] | null => {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
      const v = line.trim().split(/\s+/).slice(1).map(Number);
      const idle = (v[3] ?? 0) + (v[4] ?? 0);
      return [v.reduce((a, b) => a + b, 0), idle];
    } catch {
      return null;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  if (!a || !b || b[0] === a[0]) return null;
  return 1 - (b[1] - a[1]) / (b[0] - a[0]);
}

function git(args: string[]): Promise<string> {
  return new Promise((resolve) => execFile('git', args, { cwd: new URL('../../..', import.meta.url) }, (err, out) => resolve(err ? '' : out.trimEnd())));
}

/** The commit measured, and the files under test that differ from it. */
export async function sourceInfo(): Promise<{ commit: string; uncommitted: string[] }> {
  const commit = (await git(['rev-parse', '--short', 'HEAD'])).trim();
  const status = await git(['status', '--porcelain', '--', 'actors', 'chaos', 'raft', 'core', 'nodes']);
  return { commit, uncommitted: status.split('\n').filter((l) => l.length > 0).map((l) => l.slice(3)) };
}

export async function machineInfo(): Promise<MachineInfo> {
  return {
    nproc: cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    natsServer: await natsServerVersion(),
    natsJs: natsJsVersion(),
  };
}
