// raft/storage: durable logs (memory and file WAL) and the disks under them.

export type { DurableLog, RecoveredState } from './durable-log.js';
export type { AppendFile, Disk } from './disk.js';
export { MemoryLog } from './memory-log.js';
export { FileWal, DEFAULT_FILE_WAL_OPTIONS } from './file-wal.js';
export type { FileWalOptions, WalRecoveryReport } from './file-wal.js';
export type { TornTail } from './wal-scan.js';
export type { InvalidSnapshot } from './state-files.js';
export { NodeDisk } from './node-disk.js';
export { SimDisk, DEFAULT_CRASH_FAULTS } from './sim-disk.js';
export type { CrashFaults, SimDiskOptions, SimDiskStats } from './sim-disk.js';
export {
  DiskCrashedError,
  StorageCorruptionError,
  StorageError,
  StorageInvariantError,
  WalClosedError,
  WalCorruptionError,
  WalFailedError,
  WalGapError,
} from './errors.js';
