/**
 * At most `perSecondMax` events per second of the given clock: a burst (ten
 * thousand unschedulable pods, a thousand evictions) must not flood the log
 * with Events. What is over the budget is only logged by the caller.
 */
export class EventBudget {
  private second = -1;
  private left = 0;

  constructor(
    private readonly perSecondMax: number,
    private readonly now: () => number,
  ) {}

  /** True, and one spent, if an event may be written now. */
  take(): boolean {
    const second = Math.floor(this.now() / 1_000);
    if (second !== this.second) {
      this.second = second;
      this.left = this.perSecondMax;
    }
    return this.left-- > 0;
  }
}
