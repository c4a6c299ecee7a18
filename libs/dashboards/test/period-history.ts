/**
 * A weekly funnel history with every honest state in it, small enough to check by hand; the unit
 * specs and the API tests play the same weeks. Windows are AMC's: New York midnight to the next
 * Monday's midnight (end exclusive), written with offsets.
 *
 * | week                   | state                              | impressions | clicks | purchases | sales |
 * |------------------------|------------------------------------|-------------|--------|-----------|-------|
 * | 2025-11-03 – 11-09     | a year before week 1               | 12,000      | 200    | 20        | 1,000 |
 * | 2026-11-02 – 11-08 (1) | succeeded                          | 15,000      | 250    | 25        | 1,250 |
 * | 2026-11-09 – 11-15 (2) | FAILED: privacy threshold          | —           | —      | —         | —     |
 * | 2026-11-16 – 11-22 (3) | succeeded, campaign C withheld     | 18,000      | 360    | 36        | 1,800 |
 * | 2026-11-23 – 11-29 (4) | succeeded, then re-run (restated)  | 15,000      | 260    | 26 → 30   | 1,300 → 1,500 |
 *
 * Reach (user_reach) is a count of distinct users: 8,000 / 9,500 / 7,500 a week, never added up.
 */
export const PERIOD_COLUMNS = ['campaign', 'impressions', 'clicks', 'purchases', 'product_sales', 'user_reach'];
export const PERIOD_COLUMNS_WITH_FILTER = [...PERIOD_COLUMNS, 'filtered'];

export interface PeriodWeek {
  name: string;
  executionId: string;
  window: { start: string; end: string; timeZone: string };
  /** When AMC finished it (the re-run finishes last). */
  occurredAt: string;
  status: 'SUCCEEDED' | 'FAILED';
  columns?: string[];
  rows?: (string | number | boolean | null)[][];
  error?: { code: string; message: string };
}

const newYork = (start: string, end: string, offset = '-05:00') => ({ start: `${start}T00:00:00${offset}`, end: `${end}T00:00:00${offset}`, timeZone: 'America/New_York' });

export const PRIVACY_REFUSAL = 'Query results did not meet the aggregation threshold: fewer than 100 distinct users per row';

export const PERIOD_WEEKS: Record<'yearBefore' | 'week1' | 'week2' | 'week3' | 'week4' | 'week4Rerun', PeriodWeek> = {
  yearBefore: {
    name: 'a year before week 1', executionId: 'period-2025-w45', window: newYork('2025-11-03', '2025-11-10'), occurredAt: '2025-11-10T09:00:00Z', status: 'SUCCEEDED',
    columns: PERIOD_COLUMNS, rows: [['A', 8000, 160, 16, 800, 4000], ['B', 4000, 40, 4, 200, 2500]],
  },
  week1: {
    name: 'week 1', executionId: 'period-2026-w45', window: newYork('2026-11-02', '2026-11-09'), occurredAt: '2026-11-09T09:00:00Z', status: 'SUCCEEDED',
    columns: PERIOD_COLUMNS, rows: [['A', 10000, 200, 20, 1000, 5000], ['B', 5000, 50, 5, 250, 3000]],
  },
  week2: {
    name: 'week 2 (failed)', executionId: 'period-2026-w46', window: newYork('2026-11-09', '2026-11-16'), occurredAt: '2026-11-16T09:00:00Z', status: 'FAILED',
    error: { code: 'PrivacyThresholdNotMet', message: PRIVACY_REFUSAL },
  },
  week3: {
    name: 'week 3 (withheld rows)', executionId: 'period-2026-w47', window: newYork('2026-11-16', '2026-11-23'), occurredAt: '2026-11-23T09:00:00Z', status: 'SUCCEEDED',
    columns: PERIOD_COLUMNS_WITH_FILTER,
    rows: [['A', 12000, 300, 30, 1500, 6000, false], ['B', 6000, 60, 6, 300, 3500, false], ['C', null, null, null, null, null, true]],
  },
  week4: {
    name: 'week 4', executionId: 'period-2026-w48', window: newYork('2026-11-23', '2026-11-30'), occurredAt: '2026-11-30T09:00:00Z', status: 'SUCCEEDED',
    columns: PERIOD_COLUMNS, rows: [['A', 11000, 220, 22, 1100, 5500], ['B', 4000, 40, 4, 200, 2000]],
  },
  week4Rerun: {
    name: 'week 4, re-run', executionId: 'period-2026-w48-rerun', window: newYork('2026-11-23', '2026-11-30'), occurredAt: '2026-12-02T09:00:00Z', status: 'SUCCEEDED',
    columns: PERIOD_COLUMNS, rows: [['A', 11000, 220, 25, 1250, 5500], ['B', 4000, 40, 5, 250, 2000]],
  },
};

/** The order the pipeline delivers them: the re-run of week 4 last. */
export const PERIOD_DELIVERY_ORDER = ['yearBefore', 'week1', 'week2', 'week3', 'week4', 'week4Rerun'] as const;
