import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Clock, TimerHandle } from '../../../actors/index.js';
import { LineSplitter } from '../line-splitter.js';
import type { ContainerExit } from '../types.js';
import { exitOfDieEvent, type DockerEvent } from './die-event.js';
import { nodeLabelFilter } from './labels.js';

export interface ExitWatcherOptions {
  readonly docker: Docker;
  readonly nodeName: string;
  readonly clock: Clock;
  /** Wait before reconnecting a stream that dropped or could not open. */
  readonly reconnectMs: number;
  readonly onExit: (e: ContainerExit) => void;
}

/**
 * Follows the engine's `die` events of one node's containers. When the
 * stream drops (the engine restarted, the socket broke) it reconnects after
 * `reconnectMs`, asking for the events since the last one it saw, so an exit
 * during the gap is still told; an event seen twice is told once.
 */
export class ExitWatcher {
  private stream: Readable | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** Seconds since the epoch (engine time) to resume from; set at the first connect. */
  private sinceSec: number | undefined;
  private lastTimeNano = 0;
  /** Ids told at `lastTimeNano`, against a replay of that very instant. */
  private idsAtLast = new Set<string>();

  constructor(private readonly options: ExitWatcherOptions) {}

  start(): void {
    void this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.options.clock.cancelTimer(this.timer);
    this.timer = undefined;
    this.stream?.destroy();
    this.stream = undefined;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.sinceSec ??= Math.floor(this.options.clock.now() / 1000);
    let stream: Readable;
    try {
      stream = (await this.options.docker.getEvents({
        since: this.sinceSec,
        filters: { type: ['container'], event: ['die'], label: [nodeLabelFilter(this.options.nodeName)] },
      })) as Readable;
    } catch {
      this.reconnectLater();
      return;
    }
    if (this.closed) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    const splitter = new LineSplitter();
    stream.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) this.handleLine(line);
    });
    const dropped = (): void => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      stream.destroy();
      this.reconnectLater();
    };
    stream.once('end', dropped);
    stream.once('close', dropped);
    stream.once('error', dropped);
  }

  private reconnectLater(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.options.clock.setTimer(this.options.reconnectMs, () => {
      this.timer = undefined;
      void this.connect();
    });
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let event: DockerEvent;
    try {
      event = JSON.parse(line) as DockerEvent;
    } catch {
      return; // not an event: nothing to tell
    }
    const exit = exitOfDieEvent(event, this.options.nodeName);
    if (exit === undefined) return;
    const at = event.timeNano ?? (event.time ?? 0) * 1e9;
    if (at < this.lastTimeNano || (at === this.lastTimeNano && this.idsAtLast.has(exit.id))) return;
    if (at > this.lastTimeNano) {
      this.lastTimeNano = at;
      this.idsAtLast = new Set();
    }
    this.idsAtLast.add(exit.id);
    // Resume a second early: `since` has second precision, duplicates are dropped above.
    this.sinceSec = Math.floor(at / 1e9) - 1;
    this.options.onExit(exit);
  }
}
