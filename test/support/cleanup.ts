/**
 * A stack of teardown steps: register each resource as soon as it exists,
 * run them all in afterAll/afterEach. Steps run last-in first-out (children
 * before the NATS server they use), every step runs even when one fails, and
 * the failures are thrown together at the end.
 */
export class Cleanup {
  private steps: { readonly what: string; readonly fn: () => unknown }[] = [];

  /** Registers a teardown step; returns `value` for chaining. */
  add<T>(what: string, fn: () => unknown, value?: T): T {
    this.steps.push({ what, fn });
    return value as T;
  }

  async run(): Promise<void> {
    const steps = this.steps.reverse();
    this.steps = [];
    const errors: unknown[] = [];
    for (const s of steps) {
      try {
        await s.fn();
      } catch (e) {
        errors.push(new Error(`cleanup "${s.what}" failed: ${String(e)}`, { cause: e }));
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} cleanup step(s) failed`);
  }
}
