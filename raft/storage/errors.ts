/**
 * The errors raft storage raises on purpose. Each carries a stable `code` and
 * the facts an operator needs (file, byte offset, checksums, indexes).
 *
 * Corruption errors stop a replica on purpose: a WAL that cannot be read
 * exactly as it was written must never be repaired by silently dropping
 * committed data. The one repair storage makes on its own is cutting a torn
 * tail (see wal-scan.ts), which is reported in the recovery report instead.
 */
export abstract class StorageError extends Error {
  abstract readonly code: string;
}

function hex32(crc: number | null): string {
  return crc === null ? 'n/a' : `0x${(crc >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * A WAL record that cannot be trusted, somewhere a torn write cannot explain
 * it (not the last record of the last segment). `expectedCrc` is the checksum
 * the record's bytes and the chain before it call for; `foundCrc` is the one
 * stored in the record's header. Either is null when framing broke before a
 * checksum could be computed or read.
 */
export class WalCorruptionError extends StorageError {
  override readonly name = 'WalCorruptionError';
  readonly code = 'WAL_CORRUPT';
  constructor(
    /** The segment, relative to the disk's root, e.g. `wal/0000000000000003-00000000000004d2.wal`. */
    readonly file: string,
    /** Byte offset of the bad record's header in `file`. */
    readonly offset: number,
    readonly expectedCrc: number | null,
    readonly foundCrc: number | null,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `WAL corruption in ${file} at byte ${offset}: ${reason} (expected crc ${hex32(expectedCrc)}, found ${hex32(foundCrc)})`,
      options,
    );
  }
}

/**
 * Entries are missing: the log read back does not continue where it should
 * (after the snapshot, or after the previous record). Storage never writes a
 * gap, so this means lost segments or a lost snapshot file.
 */
export class WalGapError extends StorageError {
  override readonly name = 'WalGapError';
  readonly code = 'WAL_GAP';
  constructor(
    /** Where the gap showed: a segment, or 'snap/' when the snapshot does not reach the log. */
    readonly file: string,
    readonly expectedIndex: number,
    readonly foundIndex: number,
  ) {
    super(`entries missing in ${file}: expected index ${expectedIndex} next, found ${foundIndex}`);
  }
}

/** A file other than a WAL segment (the hard state) fails its checksum or cannot be decoded. */
export class StorageCorruptionError extends StorageError {
  override readonly name = 'StorageCorruptionError';
  readonly code = 'STORAGE_CORRUPT';
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`corrupt file ${file}: ${reason}`, options);
  }
}

/**
 * The caller broke the storage contract (a gap in the entries, a term going
 * back, a second vote in one term, ...). Nothing of the offending call was
 * written. This is a bug in the caller, never an expected outcome.
 */
export class StorageInvariantError extends StorageError {
  override readonly name = 'StorageInvariantError';
  readonly code = 'STORAGE_INVARIANT';
  constructor(readonly reason: string) {
    super(`storage invariant broken: ${reason}`);
  }
}

/**
 * An earlier write or fsync failed, so what is on disk is unknown (after a
 * failed fsync the kernel may have dropped the dirty pages). The log refuses
 * all further work; the replica must restart and recover from disk.
 */
export class WalFailedError extends StorageError {
  override readonly name = 'WalFailedError';
  readonly code = 'WAL_FAILED';
  constructor(options?: ErrorOptions) {
    super('the WAL failed earlier (write or fsync error) and accepts no more work; restart to recover', options);
  }
}

/** The log was closed. */
export class WalClosedError extends StorageError {
  override readonly name = 'WalClosedError';
  readonly code = 'WAL_CLOSED';
  constructor() {
    super('the durable log is closed');
  }
}

/** A handle of the simulated disk was used after the disk crashed. */
export class DiskCrashedError extends StorageError {
  override readonly name = 'DiskCrashedError';
  readonly code = 'DISK_CRASHED';
  constructor(readonly path: string) {
    super(`simulated disk crashed; the handle for ${path} is dead`);
  }
}
