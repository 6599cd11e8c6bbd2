import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../core/api/index.js';
import type { LocalCluster } from '../../chaos/launcher/local-cluster.js';
import { Cleanup } from '../support/cleanup.js';
import { tempDir } from './fixtures/raft-cluster.js';
import { describePods, eventually, isReadyNode, startLocalCluster } from './fixtures/local-cluster.js';

// `drover logs` end to end: the CLI's Logs stream through a master to the
// node agent's logs server, over real processes (nats-server, three
// masters, one node agent with the process runtime).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', join(ROOT, 'bin/drover.ts')];

function shPod(name: string, script: string, extra: Partial<Pod['spec']> = {}, env: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { test: 'logs' } },
    spec: { terminationGracePeriodSeconds: 1, ...extra, containers: [{ name: 'main', image: 'sh', args: ['-c', script], env: Object.entries(env).map(([n, value]) => ({ name: n, value })) }] },
  };
}

describe('drover logs against a real cluster (process runtime)', () => {
  const cleanup = new Cleanup();
  let cluster: LocalCluster;
  let dir = '';
  let masters = '';

  const drover = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [...CLI, '--masters', masters, ...args], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  const running = (name: string, check: (p: Pod) => boolean = (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined) =>
    eventually(`pod ${name}`, 20_000, async () => {
      const p = await cluster.client.get('Pod', name, { namespace: 'default' });
      return check(p) ? p : undefined;
    }, () => describePods(cluster.client, 'test=logs'));

  beforeAll(async () => {
    dir = await tempDir(cleanup, 'drover-logs');
    cluster = await startLocalCluster(cleanup, dir, { nodes: 1 });
    masters = cluster.masters.map((m) => m.grpc).join(',');
    await eventually('a Ready node', 30_000, async () => {
      const nodes = (await cluster.client.list('Node')).items;
      return nodes.length === 1 && nodes.every((n) => isReadyNode(n as never)) ? nodes : undefined;
    });
  }, 90_000);
  afterAll(() => cleanup.run(), 60_000);

  it('prints what the container wrote, all of it or the tail', async () => {
    await cluster.client.create(shPod('printer', 'for i in 1 2 3; do echo line $i; done; sleep 3600'));
    await running('printer');
    const all = await eventually('three lines', 10_000, async () => {
      const r = await drover(['logs', 'pod/printer']);
      return r.code === 0 && r.stdout.split('\n').length > 3 ? r : undefined;
    });
    expect(all.stdout).toBe('line 1\nline 2\nline 3\n');
    const tail = await drover(['logs', 'printer', '--tail', '1']);
    expect(tail, tail.stderr).toMatchObject({ code: 0, stdout: 'line 3\n' });

    const none = await drover(['logs', 'pod/ghost']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/ghost.*not found/);
  }, 30_000);

  it('-f prints a line written after it started, until Ctrl-C (exit 0)', async () => {
    const go = join(dir, 'go');
    await cluster.client.create(shPod('ticker', 'echo first; while [ ! -f "$GO" ]; do sleep 0.1; done; echo second; sleep 3600', {}, { GO: go }));
    await running('ticker');
    const child = spawn(process.execPath, [...CLI, '--masters', masters, 'logs', '-f', 'pod/ticker'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.add('the logs -f process', () => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually('the first line', 15_000, async () => (out === 'first\n' ? true : undefined), async () => `stdout ${JSON.stringify(out)}, stderr ${err}`);
    await writeFile(go, '');
    await eventually('the line written later', 10_000, async () => (out === 'first\nsecond\n' ? true : undefined), async () => `stdout ${JSON.stringify(out)}, stderr ${err}`);
    child.kill('SIGINT');
    expect(await exited, err).toBe(0);
  }, 40_000);

  it('--previous prints the run before the last restart', async () => {
    const count = join(dir, 'count');
    const script = 'n=$(cat "$COUNT" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNT"; echo run $n; exit 1';
    await cluster.client.create(shPod('crasher', script, { restartPolicy: 'Always' }, { COUNT: count }));
    await running('crasher', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2);
    const previous = await drover(['logs', 'pod/crasher', '--previous']);
    const current = await drover(['logs', 'pod/crasher']);
    expect(previous, previous.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^run \d+\n$/) });
    expect(current, current.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^run \d+\n$/) });
    const n = (s: string) => Number(/run (\d+)/.exec(s)?.[1]);
    expect(n(previous.stdout)).toBeGreaterThanOrEqual(2);
    // Another restart may come between the two calls: the current run is later, never the same.
    expect(n(current.stdout)).toBeGreaterThan(n(previous.stdout));

    // A container that never restarted has no previous run.
    const first = await drover(['logs', 'pod/printer', '--previous']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/no previous run/);
  }, 40_000);

  it('a follow whose node dies (kill -9 of its agent) ends with UNAVAILABLE', async () => {
    const child = spawn(process.execPath, [...CLI, '--masters', masters, 'logs', '-f', 'pod/printer'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.add('the logs -f process', () => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually('the lines so far', 15_000, async () => (out === 'line 1\nline 2\nline 3\n' ? true : undefined), async () => `stdout ${JSON.stringify(out)}, stderr ${err}`);
    await cluster.killNode('n1');
    expect(await exited).toBe(1);
    expect(err).toMatch(/the agent of node n1 is gone/);
  }, 30_000);
});
