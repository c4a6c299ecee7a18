import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric the gateway exposes, in one registry (GET /metrics). Worker-side facts
 * (job durations, export bytes, LLM fallbacks) arrive here through BullMQ queue events and the
 * Redis event bus, so one scrape of any gateway sees the whole pipeline.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by route', registers: [this.registry],
    labelNames: ['method', 'route', 'status_code'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

  readonly amcEvents = new Counter({
    name: 'amc_events_total', help: 'AMC execution events by outcome (accepted, duplicate, redriven, unknown_workflow, rejected_signature, rejected_validation)',
    labelNames: ['outcome'], registers: [this.registry],
  });

  readonly queueJobs = new Gauge({ name: 'queue_jobs', help: 'Jobs per queue and state', labelNames: ['queue', 'state'], registers: [this.registry] });

  readonly queueOldestWaiting = new Gauge({
    name: 'queue_oldest_waiting_seconds', help: 'Age of the oldest waiting job per queue', labelNames: ['queue'], registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'job_duration_seconds', help: 'Processing time of completed jobs per queue', labelNames: ['queue'], registers: [this.registry],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  });

  readonly jobFailures = new Counter({ name: 'job_failures_total', help: 'Failed job attempts per queue', labelNames: ['queue'], registers: [this.registry] });

  readonly exportBytes = new Counter({ name: 'export_bytes_total', help: 'Bytes of completed exports per format', labelNames: ['format'], registers: [this.registry] });

  readonly exportDuration = new Histogram({
    name: 'export_duration_seconds', help: 'Render time (claim to stored file) of completed exports per format', labelNames: ['format', 'status'], registers: [this.registry],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  });

  readonly insightRuns = new Counter({
    name: 'insight_runs_total', help: 'Insight generations by wording source (llm, statistical fallback)', labelNames: ['source'], registers: [this.registry],
  });

  readonly llmCalls = new Counter({
    name: 'llm_calls_total', help: 'LLM wording calls by result (ok, failed)', labelNames: ['result'], registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
