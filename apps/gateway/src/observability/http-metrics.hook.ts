import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Latency by route pattern (/v1/reports/:id, never the raw URL, so label cardinality stays bounded). */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
