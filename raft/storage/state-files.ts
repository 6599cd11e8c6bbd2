import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import { EMPTY_HARD_STATE, type HardState, type Snapshot } from '../core/types.js';
import type { Disk } from './disk.js';
import { StorageCorruptionError } from './errors.js';
import { HARD_STATE_FILE, SNAP_DIR, parseSnapshotName, type SnapshotName } from './file-names.js';

/**
 * The two files written whole and atomically: the hard state and snapshots.
 * Both are [crc32 u32 LE][msgpack body]; the crc covers the body. Since
 * writeAtomic never leaves a half-written file, a bad crc here means the
 * medium corrupted the file after it was written.
 */

const packr = new Packr({ useRecords: false, copyBuffers: true, moreTypes: false });

function seal(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.byteLength);
  new DataView(out.buffer).setUint32(0, crc32(body), true);
  out.set(body, 4);
  return out;
}

/** The body of a sealed file, or a reason it is not valid. */
function unseal(bytes: Uint8Array): { body: Uint8Array } | { reason: string } {
  if (bytes.byteLength < 4) return { reason: `only ${bytes.byteLength} bytes` };
  const found = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const body = bytes.subarray(4);
  const expected = crc32(body);
  if (expected !== found) return { reason: `checksum mismatch (expected 0x${expected.toString(16)}, found 0x${found.toString(16)})` };
  return { body };
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

// ---- hard state -------------------------------------------------------------

export function encodeHardState(hs: HardState): Uint8Array {
  return seal(packr.pack([hs.term, hs.vote, hs.commit]));
}

/** The saved hard state, EMPTY_HARD_STATE if none; throws StorageCorruptionError if unreadable. */
export async function readHardState(disk: Disk): Promise<HardState> {
  const bytes = await disk.read(HARD_STATE_FILE);
  if (bytes === null) return EMPTY_HARD_STATE;
  const sealed = unseal(bytes);
  if ('reason' in sealed) throw new StorageCorruptionError(HARD_STATE_FILE, sealed.reason);
  try {
    const v: unknown = packr.unpack(sealed.body);
    if (Array.isArray(v) && v.length === 3) {
      const [term, vote, commit] = v as unknown[];
      if (isIndex(term) && typeof vote === 'string' && isIndex(commit)) return { term, vote, commit };
    }
  } catch (err) {
    throw new StorageCorruptionError(HARD_STATE_FILE, 'undecodable body', { cause: err });
  }
  throw new StorageCorruptionError(HARD_STATE_FILE, 'malformed body');
}

// ---- snapshots --------------------------------------------------------------

export function encodeSnapshot(s: Snapshot): Uint8Array {
  const { index, term, conf } = s.meta;
  return seal(packr.pack([index, term, [...conf.voters], [...conf.learners], s.data]));
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The snapshot in `bytes`, or a reason it is not valid (it must match its name). */
export function decodeSnapshot(bytes: Uint8Array, name: SnapshotName): Snapshot | { reason: string } {
  const sealed = unseal(bytes);
  if ('reason' in sealed) return sealed;
  let v: unknown;
  try {
    v = packr.unpack(sealed.body);
  } catch {
    return { reason: 'undecodable body' };
  }
  if (!Array.isArray(v) || v.length !== 5) return { reason: 'malformed body' };
  const [index, term, voters, learners, data] = v as unknown[];
  if (!isIndex(index) || !isIndex(term) || !isStringArray(voters) || !isStringArray(learners) || !(data instanceof Uint8Array)) {
    return { reason: 'malformed body' };
  }
  if (index !== name.index || term !== name.term) return { reason: `holds index ${index} term ${term}, unlike its name` };
  return {
    meta: { index, term, conf: { voters, learners } },
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Snapshot files in `snap/`, oldest first (by index, then term). */
export async function listSnapshots(disk: Disk): Promise<SnapshotName[]> {
  const names: SnapshotName[] = [];
  for (const n of await disk.list(SNAP_DIR)) {
    const parsed = parseSnapshotName(n);
    if (parsed !== null) names.push(parsed);
  }
  return names.sort((a, b) => a.index - b.index || a.term - b.term);
}

export interface InvalidSnapshot {
  readonly file: string;
  readonly reason: string;
}

/**
 * The newest snapshot file whose checksum is valid, and the newer ones that
 * were not. Only files down to the first valid one are read.
 */
export async function loadNewestSnapshot(
  disk: Disk,
): Promise<{ snapshot: Snapshot | null; invalid: InvalidSnapshot[] }> {
  const invalid: InvalidSnapshot[] = [];
  const names = await listSnapshots(disk);
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    const bytes = await disk.read(name.file);
    const decoded = bytes === null ? { reason: 'vanished' } : decodeSnapshot(bytes, name);
    if ('reason' in decoded) invalid.push({ file: name.file, reason: decoded.reason });
    else return { snapshot: decoded, invalid };
  }
  return { snapshot: null, invalid };
}

