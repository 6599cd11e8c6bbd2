import fc from 'fast-check';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateFile, encodeStateFile, type ProcessContainerRecord } from '../../../../../nodes/runtime/process/state-file.js';
import { StateStore } from '../../../../../nodes/runtime/process/state-store.js';

const record: ProcessContainerRecord = {
  id: 'abc',
  pid: 4321,
  pidStartTime: '123456',
  podUid: 'uid-1',
  podNamespace: 'default',
  podName: 'web',
  containerName: 'main',
  attempt: 1,
  image: 'sh',
  argv: ['sh', '-c', 'echo hi'],
  env: { PATH: '/usr/bin', DROVER_PORT_80: '41000' },
  workingDir: '/tmp/w',
  ownWorkingDir: true,
  logPath: '/tmp/l/1.log',
  startedAtMs: 1_700_000_000_000,
  hostPorts: { 80: 41_000 },
};

describe('state file', () => {
  it('round-trips a running and an exited record', () => {
    expect(decodeStateFile(encodeStateFile(record))).toEqual({ type: 'ok', record });
    const exited = { ...record, exit: { exitCode: 137, signal: 9, finishedAtMs: 1_700_000_001_000 } };
    expect(decodeStateFile(encodeStateFile(exited))).toEqual({ type: 'ok', record: exited });
    const lost = { ...record, exit: { exitCode: 137, finishedAtMs: 5, lost: true } };
    expect(decodeStateFile(encodeStateFile(lost))).toEqual({ type: 'ok', record: lost });
  });

  it('round-trips any record (property)', () => {
    const arb = fc.record({
      id: fc.stringMatching(/^[0-9a-f]{1,32}$/),
      pid: fc.integer({ min: 1, max: 2 ** 22 }),
      pidStartTime: fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String),
      podUid: fc.string(),
      podNamespace: fc.string(),
      podName: fc.string(),
      containerName: fc.string(),
      attempt: fc.nat(),
      image: fc.string(),
      argv: fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
      env: fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== '__proto__'), fc.string()),
      workingDir: fc.string(),
      ownWorkingDir: fc.boolean(),
      logPath: fc.string(),
      startedAtMs: fc.nat(),
      hostPorts: fc.dictionary(fc.integer({ min: 1, max: 65_535 }).map(String), fc.integer({ min: 1, max: 65_535 })),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const rec = r as unknown as ProcessContainerRecord;
        const decoded = decodeStateFile(encodeStateFile(rec));
        expect(decoded.type).toBe('ok');
        expect(decoded.type === 'ok' ? JSON.stringify(decoded.record) : '').toBe(JSON.stringify(JSON.parse(JSON.stringify(rec))));
      }),
    );
  });

  it('refuses what is not exactly a state file, saying why', () => {
    const enc = (r: object): string => JSON.stringify({ version: 1, ...record, ...r });
    const cases: [string, string][] = [
      ['not json', 'not JSON'],
      ['[1]', 'not a JSON object'],
      [JSON.stringify({ ...record, version: 2 }), 'version'],
      [enc({ pid: 0 }), 'pid'],
      [enc({ pid: 1.5 }), 'pid'],
      [enc({ attempt: -1 }), 'attempt'],
      [enc({ podUid: 7 }), 'podUid'],
      [enc({ argv: [] }), 'argv'],
      [enc({ env: { A: 1 } }), 'env'],
      [enc({ hostPorts: { 80: 70_000 } }), 'hostPorts'],
      [enc({ hostPorts: { x: 80 } }), 'hostPorts'],
      [enc({ ownWorkingDir: 'yes' }), 'ownWorkingDir'],
      [enc({ exit: { exitCode: 'x', finishedAtMs: 1 } }), 'exit: exitCode'],
      [enc({ exit: { exitCode: 0 } }), 'exit: finishedAtMs'],
    ];
    for (const [text, why] of cases) {
      const r = decodeStateFile(text);
      expect(r.type, text).toBe('invalid');
      expect(r.type === 'invalid' ? r.reason : '', text).toContain(why);
    }
  });
});

describe('StateStore', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('creates, reads, updates and deletes records, one update after another', async () => {
    dir = await mkdtemp(join(tmpdir(), 'drover-state-store-'));
    const store = new StateStore(dir);
    expect(await store.readAll()).toEqual([]);
    await store.create(record);
    expect(await store.read('abc')).toEqual(record);
    // Concurrent updates each see what the one before left.
    const [a, b] = await Promise.all([
      store.update('abc', (r) => ({ ...r, attempt: r.attempt + 1 })),
      store.update('abc', (r) => ({ ...r, attempt: r.attempt + 1 })),
    ]);
    expect([a?.attempt, b?.attempt]).toEqual([2, 3]);
    // An update that changes nothing writes nothing, and an unknown id has no record.
    const same = await store.update('abc', (r) => r);
    expect(same?.attempt).toBe(3);
    expect(await store.update('nope', (r) => r)).toBeUndefined();
    await store.delete('abc');
    expect(await store.read('abc')).toBeUndefined();
    expect((await readdir(join(dir, 'containers'))).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('lists only the files it can read, and none that names another id', async () => {
    dir = await mkdtemp(join(tmpdir(), 'drover-state-store-'));
    const store = new StateStore(dir);
    await store.create(record);
    await store.create({ ...record, id: 'def' });
    await writeFile(join(dir, 'containers', 'bad.json'), '{"version":1}');
    await writeFile(join(dir, 'containers', 'renamed.json'), encodeStateFile({ ...record, id: 'other' }));
    await writeFile(join(dir, 'containers', 'notes.txt'), 'hello');
    expect((await store.readAll()).map((r) => r.id)).toEqual(['abc', 'def']);
  });
});
