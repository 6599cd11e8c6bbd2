// One raft replica for the raft figures, in its own process: an actor system
// named <id> over NATS, the replica at drover://<id>/user/raft with a file
// WAL (fsync on) over NodeDisk in <dataDir>, and the test KV state machine.
//
//   argv: <id> <voters comma-separated> <dataDir> <natsUrl> <tickMs> <electionTicks>
//
// Counts what the bottleneck analysis needs, answered on 'stats': fsyncs of
// WAL segments, atomic file writes (hard state, snapshots; two fsyncs each),
// bytes appended, saves and entries handed to the WAL, Readies handled,
// entries applied, and this process's CPU time.

import { ActorSystem, NatsTransport, createLogger, realWorld } from '../../../actors/index.js';
import { replica, type DurableLog } from '../../../raft/index.js';
import { FileWal, NodeDisk, type AppendFile, type Disk } from '../../../raft/storage/index.js';
import { KvStateMachine } from '../../support/kv-state-machine.js';
import { listen, on, onStop, send } from '../lib/channel.js';

const [id, votersArg, dataDir, natsUrl, tickArg, electionArg] = process.argv.slice(2);
if (id === undefined || votersArg === undefined || dataDir === undefined || natsUrl === undefined) {
  throw new Error('usage: raft-replica.ts <id> <voters> <dataDir> <natsUrl> <tickMs> <electionTicks>');
}
const voters = votersArg.split(',');

const counters = {
  fsyncs: 0,
  fsyncMs: 0,
  atomicWrites: 0,
  appendedBytes: 0,
  saves: 0,
  entriesSaved: 0,
  readies: 0,
  applied: 0,
};

/** NodeDisk, counting fsyncs and bytes on the way through. */
class CountingDisk implements Disk {
  constructor(private readonly inner: Disk) {}
  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }
  mkdirp(dir: string): Promise<void> {
    return this.inner.mkdirp(dir);
  }
  read(path: string): Promise<Uint8Array | null> {
    return this.inner.read(path);
  }
  async openAppend(path: string): Promise<AppendFile> {
    const f = await this.inner.openAppend(path);
    return {
      get size() {
        return f.size;
      },
      append: (data) => {
        counters.appendedBytes += data.byteLength;
        return f.append(data);
      },
      sync: async () => {
        const t0 = performance.now();
        await f.sync();
        counters.fsyncs++;
        counters.fsyncMs += performance.now() - t0;
      },
      close: () => f.close(),
    };
  }
  writeAtomic(path: string, data: Uint8Array): Promise<void> {
    counters.atomicWrites++;
    return this.inner.writeAtomic(path, data);
  }
  truncate(path: string, length: number): Promise<void> {
    return this.inner.truncate(path, length);
  }
  remove(path: string): Promise<void> {
    return this.inner.remove(path);
  }
}

function counting(wal: DurableLog): DurableLog {
  return {
    get recovered() {
      return wal.recovered;
    },
    save: (hs, entries) => {
      counters.saves++;
      counters.entriesSaved += entries.length;
      return wal.save(hs, entries);
    },
    saveSnapshot: (s) => wal.saveSnapshot(s),
    close: () => wal.close(),
  };
}

const disk = new CountingDisk(new NodeDisk(dataDir));
const transport = await NatsTransport.connect({ servers: natsUrl, connectionName: `bench-raft-${id}` });
const logger = createLogger({ level: process.env['DROVER_LOG_LEVEL'] ?? 'warn', base: { replica: id } });
const system = await ActorSystem.start({ name: id, world: realWorld({ transport, logger }) });
const sm = new KvStateMachine();
system.spawn(
  replica({
    id,
    peers: Object.fromEntries(voters.map((v) => [v, `drover://${v}/user/raft`])),
    voters,
    openLog: async () => counting(await FileWal.open(disk)),
    stateMachine: sm,
    tickMs: Number(tickArg ?? 50),
    electionTicks: Number(electionArg ?? 10),
    probe: {
      readyDone: () => void counters.readies++,
      applied: () => void counters.applied++,
    },
  }),
  'raft',
);

onStop(async () => {
  await system.terminate();
  await transport.close();
});

on('stats', () => {
  const cpu = process.cpuUsage();
  send({ type: 'stats-result', ...counters, cpuMs: (cpu.user + cpu.system) / 1000 });
});
listen();
send({ type: 'ready', pid: process.pid });
