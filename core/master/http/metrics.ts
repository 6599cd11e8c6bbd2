import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics read of the local replica at each scrape (null: it did not answer). */
export interface RaftSample {
  readonly term: number;
  readonly commit: number;
  readonly applied: number;
}

/**
 * The master's Prometheus metrics in a registry of their own: raft term,
 * commit and applied index and apply lag (sampled from the replica at each
 * scrape), and API latency per method and code.
 */
export class MasterMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'method' | 'code'>;

  constructor(id: string, sampleRaft: () => Promise<RaftSample | null>) {
    this.registry.setDefaultLabels({ master: id });
    collectDefaultMetrics({ register: this.registry, prefix: 'drover_master_process_' });
    // One sample per scrape, shared by the four gauges' collect callbacks.
    let pending: Promise<RaftSample | null> | null = null;
    const sample = (): Promise<RaftSample | null> => {
      pending ??= sampleRaft().finally(() => (pending = null));
      return pending;
    };
    const gauge = (name: string, help: string, read: (s: RaftSample) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const s = await sample();
          if (s !== null) this.set(read(s));
        },
      });
    gauge('drover_raft_term', 'The current raft term of this master.', (s) => s.term);
    gauge('drover_raft_commit_index', 'The highest log index this master knows committed.', (s) => s.commit);
    gauge('drover_raft_applied_index', 'The highest log index applied to the store here.', (s) => s.applied);
    gauge('drover_raft_apply_lag_entries', 'Committed entries not yet applied here (commit - applied).', (s) => s.commit - s.applied);
    this.latency = new Histogram({
      name: 'drover_api_request_duration_seconds',
      help: 'API requests served over gRPC, by method and result code.',
      labelNames: ['method', 'code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /** Records one API call that took `ms` milliseconds and ended with `code` (OK or an ApiError code). */
  observeRequest(method: string, code: string, ms: number): void {
    this.latency.observe({ method, code }, ms / 1_000);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
