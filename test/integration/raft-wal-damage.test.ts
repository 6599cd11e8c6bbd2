import { readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorSystem } from '../../actors/index.js';
import { ReplicaClient } from '../../raft/index.js';
import { RECORD_HEADER_BYTES, RecordType, decodePayload } from '../../raft/storage/wal-record.js';
import { sleep } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { put } from '../support/kv-state-machine.js';
import { natsServerFor, startTestSystem, uniqueSystemName } from '../support/nats.js';
import type { TsChild } from '../support/ts-child.js';
import { raftPath, spawnReplica, startReplica, statusOf, tempDir, type ReplicaSpec } from './fixtures/raft-cluster.js';

// A one-voter raft group in its own process with a file WAL: write, kill -9,
// damage the WAL on disk, restart. A torn tail (the end of the last segment
// cut off) is truncated and reported, and everything before it survives; a
// flipped bit in the middle of a segment stops the replica with an error
// naming the file, the offset and both checksums, and nothing is repaired.

interface WalRecord {
  readonly offset: number;
  readonly type: number;
  readonly length: number;
  readonly crc: number;
}

/** Walks a segment's framing ([length u32][type u8][crc u32][payload]); it must end exactly at the end of the file. */
function walRecords(bytes: Uint8Array): WalRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: WalRecord[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const length = view.getUint32(at, true);
    records.push({ offset: at, type: view.getUint8(at + 4), length, crc: view.getUint32(at + 5, true) });
    at += RECORD_HEADER_BYTES + length;
  }
  expect(at, 'the segment frames to its exact end').toBe(bytes.byteLength);
  return records;
}

/** The keys of the puts in an entries record. */
function keysIn(bytes: Uint8Array, r: WalRecord): string[] {
  const body = decodePayload(RecordType.entries, bytes.subarray(r.offset + RECORD_HEADER_BYTES, r.offset + RECORD_HEADER_BYTES + r.length));
  if (body.type !== 'entries') throw new Error('not an entries record');
  return body.entries.filter((e) => e.data.byteLength > 0).map((e) => (JSON.parse(new TextDecoder().decode(e.data)) as { key: string }).key);
}

const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

describe('raft over real processes: a damaged WAL', () => {
  const cleanup = new Cleanup();
  let natsUrl: string;
  let system: ActorSystem;

  beforeAll(async () => {
    natsUrl = (await natsServerFor(cleanup)).url;
    ({ system } = await startTestSystem(cleanup, natsUrl, uniqueSystemName('raft-wal')));
  });
  afterAll(() => cleanup.run());

  /** A one-voter group under a fresh id (several on one NATS server must not collide). */
  async function soloSpec(name: string): Promise<ReplicaSpec> {
    const id = uniqueSystemName(name);
    return { id, voters: [id], dataDir: await tempDir(cleanup, name), natsUrl };
  }

  /** Waits until the replica leads and has applied everything it committed. */
  async function waitLeading(id: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const s = await statusOf(system, id);
      if (s !== null && s.role === 'leader' && s.applied === s.commit && s.commit === s.lastIndex) return;
      if (Date.now() > deadline) throw new Error(`${id} is not leading with everything applied: ${JSON.stringify(s)}`);
      await sleep(50);
    }
  }

  /** Writes `count` keys one at a time (a batch, so a WAL record, each) and then `burst` at once. */
  async function writeKeys(id: string, prefix: string, count: number, burst: number): Promise<Map<string, string>> {
    const client = new ReplicaClient(system, [raftPath(id)], { timeoutMs: 5_000 });
    const written = new Map<string, string>();
    const write = async (key: string): Promise<void> => {
      const value = `${key}-value`;
      expect((await client.propose(put(key, value))).result).toBe(value);
      written.set(key, value);
    };
    await Promise.all(Array.from({ length: burst }, (_, i) => write(`${prefix}-burst-${i}`)));
    for (let i = 0; i < count; i++) await write(`${prefix}-${i}`);
    return written;
  }

  /** The WAL's segments, oldest first, as absolute paths. */
  async function segments(dataDir: string): Promise<string[]> {
    const names = (await readdir(join(dataDir, 'wal'))).filter((n) => n.endsWith('.wal')).sort();
    expect(names.length).toBeGreaterThan(0);
    return names.map((n) => join(dataDir, 'wal', n));
  }

  async function writeThenKill(spec: ReplicaSpec, prefix: string): Promise<Map<string, string>> {
    const p: TsChild = await startReplica(cleanup, spec);
    await waitLeading(spec.id);
    const written = await writeKeys(spec.id, prefix, 30, 20);
    await p.kill('SIGKILL');
    return written;
  }

  it('cuts a torn tail, reports it, and keeps every entry before it', async () => {
    const spec = await soloSpec('torn');
    const written = await writeThenKill(spec, 'torn');

    // Cut the last segment in the middle of its last entries record.
    const file = (await segments(spec.dataDir)).at(-1)!;
    const bytes = new Uint8Array(await readFile(file));
    const last = walRecords(bytes).filter((r) => r.type === RecordType.entries).at(-1)!;
    const lostKeys = keysIn(bytes, last);
    expect(lostKeys).toEqual(['torn-29']);
    const cutAt = last.offset + RECORD_HEADER_BYTES + Math.floor(last.length / 2);
    await truncate(file, cutAt);

    const p = await startReplica(cleanup, spec);
    const recovered = await p.waitFor('wal-recovered');
    const segmentName = `wal/${file.split('/').at(-1)!}`;
    expect(recovered['tornTail']).toEqual({ file: segmentName, offset: last.offset, droppedBytes: cutAt - last.offset, reason: 'incomplete record' });

    await waitLeading(spec.id);
    const { kv } = await p.request<{ kv: [string, string][] }>({ cmd: 'dump' });
    const expected = new Map([...written].filter(([k]) => !lostKeys.includes(k)));
    expect(new Map(kv)).toEqual(expected);

    // The cut is durable and the log goes on from it: a new write, a clean restart.
    await writeKeys(spec.id, 'after', 3, 0);
    await p.stop();
    const again = await startReplica(cleanup, spec);
    expect((await again.waitFor('wal-recovered'))['tornTail']).toBeNull();
    await waitLeading(spec.id);
    const { kv: kvAgain } = await again.request<{ kv: [string, string][] }>({ cmd: 'dump' });
    expect(kvAgain.length).toBe(expected.size + 3);
  });

  it('refuses to start on a flipped bit in the middle of a segment, naming the file, the offset and both checksums', async () => {
    const spec = await soloSpec('flip');
    await writeThenKill(spec, 'flip');

    const file = (await segments(spec.dataDir)).at(-1)!;
    const bytes = new Uint8Array(await readFile(file));
    const records = walRecords(bytes);
    const entries = records.filter((r) => r.type === RecordType.entries);
    const victim = entries[Math.floor(entries.length / 2)]!;
    expect(victim.offset + RECORD_HEADER_BYTES + victim.length).toBeLessThan(bytes.byteLength - 100);
    bytes[victim.offset + RECORD_HEADER_BYTES + (victim.length >> 1)]! ^= 0x10;
    await writeFile(file, bytes);

    const p = spawnReplica(cleanup, spec);
    const failure = await p.waitFor('wal-error');
    const exit = await p.exited;
    expect(exit.code).toBe(1);

    const segmentName = `wal/${file.split('/').at(-1)!}`;
    expect(failure).toMatchObject({ name: 'WalCorruptionError', code: 'WAL_CORRUPT', file: segmentName, offset: victim.offset, foundCrc: victim.crc, reason: 'checksum mismatch' });
    expect(typeof failure['expectedCrc']).toBe('number');
    expect(failure['expectedCrc']).not.toBe(victim.crc);
    const stderr = p.diagnostics();
    expect(stderr).toContain(`WAL corruption in ${segmentName} at byte ${victim.offset}: checksum mismatch`);
    expect(stderr).toContain(`expected crc ${hex32(failure['expectedCrc'] as number)}, found ${hex32(victim.crc)}`);
    expect(p.events.some((e) => e.event === 'ready')).toBe(false);

    // Nothing was repaired behind our back: the segment is as we left it.
    expect(new Uint8Array(await readFile(file))).toEqual(bytes);
  });
});
