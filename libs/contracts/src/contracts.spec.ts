import { AmcExecutionCompletedEvent, describeIssues } from './amc-execution-event.schema';
import { exportRenderJobId } from './export-render.queue';
import {
  configurationOfRegenerationKey, insightGenerateJobId, insightRegenerateJobOptions, insightRegenerationKey, isInsightRegenerationKey,
} from './insight-generate.queue';
import { QUEUE_CONSUMERS, QUEUE_NAMES, queuesConsumedBy } from './queues';
import { reportUpdateJobId } from './report-update.queue';

const valid = {
  eventId: '0c8f5a3e-1b2d-4c6e-8f90-a1b2c3d4e5f6',
  instanceId: 'amc1a2b3c4d5',
  amcWorkflowId: 'weekly_funnel_by_campaign',
  executionId: 'c2a7d1b3-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  status: 'SUCCEEDED',
  timeWindow: { start: '2026-10-26T00:00:00Z', end: '2026-11-01T23:59:59Z', timeZone: 'America/New_York' },
  result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A', 1], ['B', null]] },
};

describe('queue contracts', () => {
  it('gives every queue exactly one consuming app', () => {
    expect(QUEUE_NAMES.sort()).toEqual(['delivery', 'export.render', 'insight.generate', 'maintenance', 'report.update']);
    const apps = new Set(Object.values(QUEUE_CONSUMERS));
    const covered = [...apps].flatMap((app) => queuesConsumedBy(app)).sort();
    expect(covered).toEqual([...QUEUE_NAMES].sort());
  });

  it('builds job ids without ":" (BullMQ forbids it)', () => {
    expect(reportUpdateJobId('a:b/c d')).toBe('exec-a_b_c_d');
    expect(insightGenerateJobId('c1', 'e1')).toBe('ins-c1-e1');
    expect(exportRenderJobId('x')).toBe('exp-x');
  });

  it('coalesces regenerations by the report: one deduplication id, a unique job id per request, debounced', () => {
    const configuration = '3f1c0a52-8d1e-4c1b-9a5e-2f4b7c9d0e11';
    const [first, second] = [insightRegenerateJobOptions(configuration, 5_000), insightRegenerateJobOptions(configuration, 5_000, false)];
    expect(first.deduplication).toEqual({ id: `regen-${configuration}`, keepLastIfActive: true, reschedule: true });
    expect(second.deduplication).toMatchObject({ id: `regen-${configuration}`, reschedule: false });
    expect(first.delay).toBe(5_000);
    expect(first.jobId).not.toBe(second.jobId);
    expect(first.jobId).toMatch(new RegExp(`^regen-${configuration}-[0-9a-f-]{36}$`));
    expect(first.jobId).not.toContain(':');
    expect(isInsightRegenerationKey(insightRegenerationKey(configuration))).toBe(true);
    expect(isInsightRegenerationKey(insightGenerateJobId(configuration, 'e1'))).toBe(false);
    expect(configurationOfRegenerationKey(insightRegenerationKey(configuration))).toBe(configuration);
  });
});

describe('AmcExecutionCompletedEvent', () => {
  it('accepts the sample events', () => {
    expect(AmcExecutionCompletedEvent.safeParse(valid).success).toBe(true);
    const failed = { ...valid, status: 'FAILED', result: null, error: { code: 'PRIVACY_LIMIT', message: 'too many workflows' } };
    expect(AmcExecutionCompletedEvent.safeParse(failed).success).toBe(true);
    const byUrl = { ...valid, result: { format: 'csv', url: 'https://amc-results.example.com/r.csv?sig=1' } };
    expect(AmcExecutionCompletedEvent.safeParse(byUrl).success).toBe(true);
  });

  it.each([
    ['no workflow reference', { ...valid, amcWorkflowId: undefined }, 'workflowId'],
    ['an unknown status', { ...valid, status: 'DONE' }, 'status'],
    ['a window ending before it starts', { ...valid, timeWindow: { start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' } }, 'timeWindow.end'],
    ['a bad date', { ...valid, timeWindow: { start: 'yesterday', end: '2026-11-01T00:00:00Z' } }, 'timeWindow.start'],
    ['SUCCEEDED without result', { ...valid, result: null }, 'result'],
    ['a ragged row', { ...valid, result: { format: 'rows', columns: ['a', 'b'], rows: [['x']] } }, 'result.rows.0'],
    ['a non-http url', { ...valid, result: { format: 'csv', url: 'ftp://x/y.csv' } }, 'result.url'],
    ['a workflowId that is not a uuid', { ...valid, workflowId: 'abc' }, 'workflowId'],
  ])('names the field for %s', (_label, body, field) => {
    const parsed = AmcExecutionCompletedEvent.safeParse(body);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssues(parsed.error).map((issue) => issue.field)).toContain(field);
  });
});
