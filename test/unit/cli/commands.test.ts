import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runApply, runClusterStatus, runDelete, runDescribe, runGet, type CliIo } from '../../../bin/commands/index.js';
import { ApiError, DroverClient } from '../../../core/client/index.js';
import { startFakeCluster, type FakeCluster, type FakeStore } from '../core/client/fake-masters.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');

interface TestIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

function testIo(stdin = ''): TestIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: {},
    readStdin: () => Promise.resolve(stdin),
    now: () => Date.parse('2026-01-01T00:05:00Z'),
  };
}

const TWO_PODS = `apiVersion: drover/v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: c
      image: nginx:1
---
apiVersion: drover/v1
kind: Pod
metadata:
  name: db
spec:
  containers:
    - name: c
      image: postgres:16
`;

let dir: string;
let cluster: FakeCluster | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drover-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const fast = (masters: string[]): DroverClient => new DroverClient({ masters, retry: { backoffBaseMs: 5, backoffMaxMs: 20, attemptsMax: 4, deadlineMs: 2_000 } });

async function withCluster(): Promise<{ masters: string }> {
  cluster = await startFakeCluster(2);
  cluster.masters[1]!.behaviour = 'follower';
  cluster.leaderAddress = cluster.masters[0]!.address;
  // The follower first: every command must follow its hint.
  return { masters: `${cluster.masters[1]!.address},${cluster.masters[0]!.address}` };
}

describe('drover apply', () => {
  it('creates from a multi-document file, then reports configured and unchanged', async () => {
    const m = await withCluster();
    const file = join(dir, 'pods.yaml');
    await writeFile(file, TWO_PODS);
    let io = testIo();
    expect(await runApply({ ...m, filename: [file] }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod/web created', 'pod/db created']);
    await writeFile(file, TWO_PODS.replace('nginx:1', 'nginx:2'));
    io = testIo();
    expect(await runApply({ ...m, filename: [file] }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod/web configured', 'pod/db unchanged']);
  });

  it('reads a folder and standard input', async () => {
    const m = await withCluster();
    const folder = join(dir, 'folder');
    await rm(folder, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    await writeFile(join(folder, 'a.yaml'), TWO_PODS.split('---')[0]!);
    await writeFile(join(folder, 'notes.txt'), 'not a manifest');
    let io = testIo();
    expect(await runApply({ ...m, filename: [folder] }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod/web created']);
    io = testIo(TWO_PODS);
    expect(await runApply({ ...m, filename: ['-'] }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod/web unchanged', 'pod/db created']);
  });

  it('names the field and the rule of an invalid object, exit 1, and applies nothing', async () => {
    const m = await withCluster();
    const file = join(dir, 'bad.yaml');
    await writeFile(file, TWO_PODS.replace('name: db', 'name: Not_A_Name'));
    const io = testIo();
    expect(await runApply({ ...m, filename: [file] }, io, fast)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/bad\.yaml: document 2.*metadata\.name: /);
    expect(cluster!.store.objects.size).toBe(0);
  });
});

describe('drover apply: errors from the server, namespaces', () => {
  it('prints the field path and rule of a server-side validation error, exit 1', async () => {
    const m = await withCluster();
    cluster!.store.rejectCreate = new ApiError('INVALID_ARGUMENT', 'Pod default/web is invalid', {
      field: 'spec.containers[0].image',
      rule: 'is required',
      violations: [{ path: 'spec.containers[0].image', rule: 'is required' }],
    });
    const file = join(dir, 'one.yaml');
    await writeFile(file, TWO_PODS.split('---')[0]!);
    const io = testIo();
    expect(await runApply({ ...m, filename: [file] }, io, fast)).toBe(1);
    expect(io.stderr.join('\n')).toContain('spec.containers[0].image: is required');
    expect(io.stderr.join('\n')).toContain('(applying pod/web)');
  });

  it('-n puts objects that name no namespace there; delete -f removes what a file names', async () => {
    const m = await withCluster();
    const file = join(dir, 'ns.yaml');
    await writeFile(file, TWO_PODS);
    expect(await runApply({ ...m, filename: [file], namespace: 'team' }, testIo(), fast)).toBe(0);
    expect([...cluster!.store.objects.values()].map((o) => o.metadata.namespace)).toEqual(['team', 'team']);
    const io = testIo();
    expect(await runDelete({ ...m, filename: [file], namespace: 'team' }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod "web" deleted', 'pod "db" deleted']);
    expect(cluster!.store.objects.size).toBe(0);
  });
});

describe('drover get / describe / delete / cluster status', () => {
  async function seeded(): Promise<{ masters: string }> {
    const m = await withCluster();
    const file = join(dir, 'seed.yaml');
    await writeFile(file, TWO_PODS);
    expect(await runApply({ ...m, filename: [file] }, testIo(), fast)).toBe(0);
    return m;
  }

  it('prints a table with kubectl columns', async () => {
    const m = await seeded();
    const io = testIo();
    expect(await runGet({ ...m, kind: 'po' }, io, fast)).toBe(0);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE$/);
    expect(lines[1]).toMatch(/^db\s+0\/1\s+Pending\s+0\s+5m\s+<none>$/);
    expect(lines[2]).toMatch(/^web\s+/);
  });

  it('-o json, -o yaml, -o name, -l', async () => {
    const m = await seeded();
    let io = testIo();
    expect(await runGet({ ...m, kind: 'pods', name: 'web', output: 'json' }, io, fast)).toBe(0);
    expect(JSON.parse(io.stdout.join('\n'))).toMatchObject({ kind: 'Pod', metadata: { name: 'web' } });
    io = testIo();
    expect(await runGet({ ...m, kind: 'pods', output: 'yaml' }, io, fast)).toBe(0);
    expect(parse(io.stdout.join('\n'))).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'db' } }, { metadata: { name: 'web' } }] });
    io = testIo();
    expect(await runGet({ ...m, kind: 'pods', output: 'name', selector: 'app=web' }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod/web']);
  });

  it('not found is exit 1 with a clear message; a bad kind or format is a usage error (2)', async () => {
    const m = await seeded();
    let io = testIo();
    expect(await runGet({ ...m, kind: 'pods', name: 'nope' }, io, fast)).toBe(1);
    expect(io.stderr).toEqual(['error: pods "nope" not found in namespace "default"']);
    io = testIo();
    expect(await runGet({ ...m, kind: 'widgets' }, io, fast)).toBe(2);
    expect(io.stderr[0]).toMatch(/unknown resource type "widgets"/);
    io = testIo();
    expect(await runGet({ ...m, kind: 'pods', output: 'xml' }, io, fast)).toBe(2);
    io = testIo();
    expect(await runGet({ kind: 'pods' }, io, fast)).toBe(2);
    expect(io.stderr[0]).toMatch(/DROVER_MASTERS/);
  });

  it('describe shows metadata and spec; delete removes and then reports not found', async () => {
    const m = await seeded();
    let io = testIo();
    expect(await runDescribe({ ...m, kind: 'pod', name: 'web' }, io, fast)).toBe(0);
    expect(io.stdout[0]).toMatch(/^Name:\s+web\nNamespace:\s+default\nKind:\s+Pod\nLabels:\s+app=web/);
    expect(io.stdout[0]).toMatch(/Spec:\n  containers:\n    - name: c\n      image: nginx:1/);
    expect(io.stdout[0]).toMatch(/\nEvents:\s+<none>$/);
    // Events about the pod (and not about others) end the description of pod/web.
    const about = (kind: string, name: string, reason: string): Parameters<FakeStore['create']>[0] =>
      ({ apiVersion: 'drover/v1', kind: 'Event', metadata: { name: `${name}.${reason}` }, involvedObject: { kind, name }, reason, type: 'Normal', message: `${reason} ${name}`, source: { component: 'scheduler' }, lastTimestamp: '2026-01-01T00:03:00Z' }) as unknown as Parameters<FakeStore['create']>[0];
    cluster!.store.create(about('Pod', 'web', 'Scheduled'));
    cluster!.store.create(about('Pod', 'db', 'Scheduled'));
    cluster!.store.create(about('Deployment', 'web', 'ScalingReplicaSet'));
    io = testIo();
    expect(await runDescribe({ ...m, kind: 'pod/web' }, io, fast)).toBe(0);
    expect(io.stdout[0]).toMatch(/\nEvents:\n  Type\s+Reason\s+Age\s+From\s+Message\n  -+\s+-+\s+-+\s+-+\s+-+\n  Normal\s+Scheduled\s+2m\s+scheduler\s+Scheduled web$/);
    io = testIo();
    expect(await runDelete({ ...m, kind: 'pod', name: 'web' }, io, fast)).toBe(0);
    expect(io.stdout).toEqual(['pod "web" deleted']);
    io = testIo();
    expect(await runDelete({ ...m, kind: 'pod', name: 'web' }, io, fast)).toBe(1);
    expect(io.stderr).toEqual(['error: pods "web" not found in namespace "default"']);
    io = testIo();
    expect(await runDelete({ ...m, kind: 'pod' }, io, fast)).toBe(2);
  });

  it('cluster status prints the masters as a table with lag', async () => {
    const m = await withCluster();
    const io = testIo();
    expect(await runClusterStatus(m, io, fast)).toBe(0);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines[0]).toBe('Leader: m1   Term: 3   Commit: 42   Applied: 42   Max lag: 1');
    expect(lines[2]).toMatch(/^MASTER\s+ROLE\s+TERM\s+COMMIT\s+APPLIED\s+LAG$/);
    expect(lines[3]).toMatch(/^m1\s+leader\s+3\s+42\s+42\s+0$/);
    expect(lines[4]).toMatch(/^m2\s+follower\s+3\s+42\s+41\s+1$/);
  });

  it('get -w prints the current rows, then changes, until stopped', async () => {
    const m = await seeded();
    const io = testIo();
    const ac = new AbortController();
    const running = runGet({ ...m, kind: 'pods', output: 'name', watch: true, signal: ac.signal }, io, fast);
    await expect.poll(() => cluster!.masters[0]!.calls.includes('Watch')).toBe(true);
    await runDelete({ ...m, kind: 'pod', name: 'db' }, testIo(), fast);
    await expect.poll(() => io.stdout.length).toBe(2);
    ac.abort();
    expect(await running).toBe(0);
    // The list as it was, then the deletion.
    expect(io.stdout).toEqual(['pod/db\npod/web', 'pod/db']);
  });

  it('get -w as a table: later rows line up with the first table; with nothing listed, the header comes with the first row', async () => {
    const m = await seeded();
    const ac = new AbortController();
    const io = testIo();
    const running = runGet({ ...m, kind: 'pods', watch: true, signal: ac.signal }, io, fast);
    await expect.poll(() => cluster!.masters[0]!.calls.includes('Watch')).toBe(true);
    await runDelete({ ...m, kind: 'pod', name: 'db' }, testIo(), fast);
    await expect.poll(() => io.stdout.length).toBe(2);
    ac.abort();
    expect(await running).toBe(0);
    const table = io.stdout[0]!.split('\n');
    expect(io.stdout[1]).toBe(`${table[1]}   (deleted)`);

    const empty = testIo();
    const ac2 = new AbortController();
    const running2 = runGet({ ...m, kind: 'deploy', watch: true, signal: ac2.signal }, empty, fast);
    await expect.poll(() => cluster!.masters[0]!.calls.filter((c) => c === 'Watch').length).toBe(2);
    ac2.abort();
    expect(await running2).toBe(0);
    expect(empty.stdout).toEqual([]);
  });
});

describe('the drover binary', () => {
  const drover = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/drover.ts'), ...args], { cwd: ROOT, env: { ...process.env, DROVER_MASTERS: '' } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('malformed YAML: file:line:column, exit 1', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'apiVersion: drover/v1\nkind: Pod\nmetadata:\n  name: [web\n');
    const r = await drover(['apply', '-f', file, '--masters', '127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: document 1: malformed YAML`));
  });

  it('usage errors exit 2', async () => {
    expect((await drover(['get'])).code).toBe(2);
    expect((await drover(['get', 'pods', '--bogus'])).code).toBe(2);
    expect((await drover(['get', 'pods'])).code).toBe(2);
    expect((await drover(['apply', '--masters', '127.0.0.1:1'])).code).toBe(2);
  });
});
