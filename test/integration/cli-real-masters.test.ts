import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor } from '../support/nats.js';
import { startMasterProc, waitReady, type MasterProc } from './fixtures/master-cluster.js';
import { tempDir } from './fixtures/raft-cluster.js';

// The `drover` CLI as a user runs it, against three real masters over a real
// nats-server: apply (multi-document, again unchanged, changed), get in each
// output format, describe, delete and cluster status.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IDS = ['m1', 'm2', 'm3'];

const MANIFEST = `apiVersion: drover/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: main
          image: busybox
---
apiVersion: drover/v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

describe('the drover CLI against three real masters', () => {
  const cleanup = new Cleanup();
  const procs: MasterProc[] = [];
  let masters = '';
  let dir = '';

  const drover = (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/drover.ts'), ...args], { cwd: ROOT, env: { ...process.env, DROVER_MASTERS: masters }, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (stdin !== undefined) child.stdin!.end(stdin);
    });

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    dir = await tempDir(cleanup, 'cli');
    for (const id of IDS) procs.push(await startMasterProc(cleanup, { id, peers: IDS, natsUrl: nats.url, dataDir: await tempDir(cleanup, `cli-${id}`) }));
    await Promise.all(procs.map((m) => waitReady(m)));
    masters = procs.map((m) => m.grpc).join(',');
  }, 60_000);

  afterAll(() => cleanup.run(), 30_000);

  it('applies a multi-document manifest, then again unchanged, then a change from stdin', async () => {
    const file = join(dir, 'web.yaml');
    await writeFile(file, MANIFEST);
    const first = await drover(['apply', '-f', file]);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stdout.trim().split('\n')).toEqual(['deployment/web created', 'service/web created']);
    const again = await drover(['apply', '-f', file]);
    expect(again.stdout.trim().split('\n')).toEqual(['deployment/web unchanged', 'service/web unchanged']);
    const scaled = await drover(['apply', '-f', '-'], MANIFEST.replace('replicas: 3', 'replicas: 5'));
    expect(scaled.stdout.trim().split('\n')).toEqual(['deployment/web configured', 'service/web unchanged']);
  }, 60_000);

  it('gets in every output format, across namespaces and by label', async () => {
    const table = await drover(['get', 'deployments']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(table.stdout).toMatch(/\nweb\s+0\/5\s/);
    const yaml = await drover(['get', 'deploy', 'web', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/kind: Deployment/);
    expect(yaml.stdout).toMatch(/replicas: 5/);
    const json = JSON.parse((await drover(['get', 'deploy', 'web', '-o', 'json'])).stdout) as { metadata: { generation: number } };
    expect(json.metadata.generation).toBe(2);
    expect((await drover(['get', 'svc', '-A', '-o', 'name'])).stdout.trim()).toBe('service/web');
    expect((await drover(['get', 'deploy', '-l', 'app=web', '-o', 'wide'])).stdout).toMatch(/\nweb\s/);
    expect((await drover(['get', 'deploy', '-l', 'app=db'])).stdout).not.toMatch(/\nweb\s/);
    const missing = await drover(['get', 'deploy', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  }, 60_000);

  it('describes, reports the cluster, and deletes', async () => {
    expect((await drover(['describe', 'deploy', 'web'])).stdout).toMatch(/Name:\s+web/);
    const status = await drover(['cluster', 'status']);
    expect(status.code).toBe(0);
    for (const id of IDS) expect(status.stdout).toContain(id);
    expect(status.stdout).toMatch(/leader/i);
    const del = await drover(['delete', 'deploy', 'web']);
    expect(del.stdout.trim()).toBe('deployment "web" deleted');
    expect((await drover(['get', 'deploy', 'web'])).code).toBe(1);
  }, 60_000);
});
