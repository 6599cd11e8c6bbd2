import type { Clock, TimerHandle } from '../../../actors/index.js';
import { isLiveProcess, readProcStat } from './proc-stat.js';
import type { ProcessContainerRecord } from './state-file.js';

/**
 * Watches the running processes of an earlier agent (no children of ours,
 * so no exit event comes for them): every `pollMs`, while any is watched,
 * /proc says which are gone, and `onGone` records each. The one poll timer
 * runs only while there is something to watch.
 */
export class AdoptedWatch {
  private readonly watched = new Map<string, ProcessContainerRecord>();
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly pollMs: number,
    /** Records the exit; a rejection leaves the process watched, to be tried on the next poll. */
    private readonly onGone: (record: ProcessContainerRecord) => Promise<unknown>,
  ) {}

  watch(record: ProcessContainerRecord): void {
    if (this.closed) return;
    this.watched.set(record.id, record);
    this.schedule();
  }

  forget(id: string): void {
    this.watched.delete(id);
  }

  /** Resolves once the process is gone, checking every `checkMs` (stop waits on this). */
  untilGone(record: ProcessContainerRecord, checkMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        void readProcStat(record.pid).then((s) => {
          if (!isLiveProcess(s, record.pidStartTime)) resolve();
          else this.clock.setTimer(checkMs, check);
        });
      };
      check();
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.cancelTimer(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined || this.watched.size === 0) return;
    this.timer = this.clock.setTimer(this.pollMs, () => {
      this.timer = undefined;
      void this.poll().then(() => this.schedule());
    });
  }

  private async poll(): Promise<void> {
    for (const record of [...this.watched.values()]) {
      if (this.closed) return;
      if (isLiveProcess(await readProcStat(record.pid), record.pidStartTime)) continue;
      await this.onGone(record).catch(() => undefined);
    }
  }
}
