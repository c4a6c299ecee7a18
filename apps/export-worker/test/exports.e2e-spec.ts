import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import ExcelJS from 'exceljs';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_JOB, MAINTENANCE_QUEUE, PIPELINE_REDRIVE_JOB } from '@amc-reports/contracts';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { apiClient, startAppStack, type AppStack } from '@amc-reports/testing';
import { inlineResult, weekWindow } from '../../report-service/test/amc-results';
import { extractPdfText } from '../src/renderers/pdf-text';
import { decodePng } from '../src/renderers/png-decode';
import { createReport, deliverExecution, download, ExportEventLog, type Api } from './export-e2e';

const instanceId = 'amcexports01';
const REPORT_NAME = 'Q3 Holiday ホリデー: performance';
const IN_FLIGHT_CAP = 3;
let stack: AppStack;
let db: Client;
let events: ExportEventLog;
const owner = randomUUID();
const stranger = randomUUID();
let ownerToken: string;
let api: Api;
let strangerApi: Api;
let reportId: string;
let board: Record<string, any>;
/** Exports this file requested through the API, and the completed ones by format. */
const requested: string[] = [];
const completed = new Map<string, string>();

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'export-worker'], { EXPORTS_IN_FLIGHT_PER_USER: String(IN_FLIGHT_CAP) });
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  events = await ExportEventLog.open(stack.redisUrl);
  const ownerApi = await stack.memberApi({ userId: owner, instanceIds: [instanceId], email: 'owner@example.com' });
  ownerToken = ownerApi.token;
  api = ownerApi;
  strangerApi = await stack.memberApi({ userId: stranger, instanceIds: ['amcexports-stranger'], email: 'stranger@example.com' });

  ({ reportId } = await createReport(api, { dashboardType: 'performance', amcWorkflowId: 'wf_exports', name: REPORT_NAME, instanceId }));
  const report = await api.get(`/v1/reports/${reportId}`);
  await deliverExecution(stack, reportId, { workflowId: report.body.workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('performance_daily.csv') });
  board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
}, 180_000);

afterAll(async () => {
  events?.close();
  await db?.end();
  await stack?.stop();
});

async function requestExport(body: Record<string, unknown>, client: Api = api) {
  const response = await client.post(`/v1/reports/${reportId}/exports`, body);
  expect(response.status).toBe(202);
  expect(response.body).toMatchObject({ status: 'pending', reportId, format: body.format });
  requested.push(response.body.id);
  return response.body.id as string;
}

async function exportCount(): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM report_exports')).rows[0].n;
}

/** A download checked against the export row: status, type, length, sha256, file name. */
async function downloadCompleted(exportId: string, contentType: string, extension: string): Promise<Buffer> {
  const status = await api.get(`/v1/exports/${exportId}`);
  expect(status.body).toMatchObject({ status: 'completed', progress: 100, error: null, downloadUrl: `/v1/exports/${exportId}/download` });
  const file = await download(stack.gatewayUrl, ownerToken, exportId);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe(contentType);
  expect(Number(file.headers.get('content-length'))).toBe(status.body.fileSizeBytes);
  expect(file.body.length).toBe(status.body.fileSizeBytes);
  expect(createHash('sha256').update(file.body).digest('hex')).toBe(status.body.sha256);
  const disposition = file.headers.get('content-disposition')!;
  expect(disposition).toMatch(new RegExp(`^attachment; filename="Q3 Holiday _+_ performance( raw)? \\d{4}-\\d{2}-\\d{2}\\.${extension}"; filename\\*=UTF-8''`));
  expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toMatch(new RegExp(`^Q3 Holiday ホリデー_ performance( raw)? \\d{4}-\\d{2}-\\d{2}\\.${extension}$`));
  if (!completed.has(extension)) completed.set(extension, exportId);
  return file.body;
}

describe('exports of a dashboard built from a signed event', () => {
  it('renders a PDF whose text holds the report name and every view title', async () => {
    const id = await requestExport({ format: 'pdf' });
    await events.finished(id);
    const pdf = await downloadCompleted(id, 'application/pdf', 'pdf');
    const text = await extractPdfText(pdf);
    const flat = text.pages.join('').replace(/\s+/g, '');
    expect(flat).toContain(REPORT_NAME.replace(/\s+/g, ''));
    for (const view of board.views.filter((candidate: { viewType: string; chart: { kind: string } }) => candidate.viewType === 'chart' && candidate.chart.kind !== 'metric')) {
      expect(flat).toContain(view.name.replace(/\s+/g, ''));
    }
    expect(text.total).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('renders a PNG of one view at the requested width, with coloured chart pixels', async () => {
    const chart = board.views.find((view: { viewType: string; chart: { kind: string } }) => view.viewType === 'chart' && view.chart.kind !== 'metric');
    const id = await requestExport({ format: 'png', scope: 'view', viewId: chart.id, options: { width: 800 } });
    await events.finished(id);
    const png = await downloadCompleted(id, 'image/png', 'png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(800);
    const image = decodePng(png);
    let coloured = 0;
    for (let offset = 0; offset < image.pixels.length; offset += 4) {
      const [r, g, b] = [image.pixels[offset], image.pixels[offset + 1], image.pixels[offset + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) >= 40) coloured++;
    }
    expect(coloured).toBeGreaterThan(500);
  }, 60_000);

  it('renders an Excel workbook exceljs reads back: a summary, contents, one typed sheet per data view and the history', async () => {
    const id = await requestExport({ format: 'excel' });
    await events.finished(id);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await downloadCompleted(id, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx') as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names.slice(0, 2)).toEqual(['Summary', 'Contents']);
    expect(names.at(-1)).toBe('Execution history');
    expect(workbook.getWorksheet('Summary')!.getCell('A1').value).toBe(REPORT_NAME);
    const dataViews = board.views.filter((view: { viewType: string }) => view.viewType !== 'insight');
    expect(names).toHaveLength(2 + dataViews.length + 1);
    const first = workbook.worksheets[2];
    expect(first.getRow(1).font?.bold ?? first.getCell('A1').font?.bold).toBe(true);
    expect(first.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(first.rowCount - 1).toBe(dataViews[0].data.rows.length);
    // Types as a spreadsheet wants them: dates are dates, counts integers, money numbers in a currency format.
    const daily = workbook.getWorksheet('Performance by day')!;
    expect(daily.getCell('A2').value).toBeInstanceOf(Date);
    const header = (daily.getRow(1).values as unknown[]).map(String);
    const impressions = daily.getCell(2, header.indexOf('Impressions'));
    expect(Number.isInteger(impressions.value)).toBe(true);
    expect(impressions.numFmt).toBe('#,##0');
    const spend = daily.getCell(2, header.indexOf('Spend'));
    expect(typeof spend.value).toBe('number');
    expect(spend.numFmt).toContain('"$"#,##0.00');
    for (const sheet of workbook.worksheets.slice(2)) {
      expect((sheet.getRow(1).values as unknown[]).join(' ')).not.toMatch(/filteredRowCount|executionId|\b[a-z]+[A-Z]\w*/);
    }
    expect(workbook.getWorksheet('Execution history')!.rowCount).toBe(2);
  }, 60_000);

  it('renders the dashboard CSV as a ZIP of one table per data view with a README and a manifest', async () => {
    const id = await requestExport({ format: 'csv' });
    await events.finished(id);
    const zip = unzipSync(await downloadCompleted(id, 'application/zip', 'zip'));
    const dataViews = board.views.filter((view: { viewType: string }) => view.viewType !== 'insight');
    const csvFiles = Object.keys(zip).filter((name) => name.endsWith('.csv'));
    expect(csvFiles).toHaveLength(dataViews.length);
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json']));
    const manifest = JSON.parse(Buffer.from(zip['manifest.json']).toString('utf8'));
    expect(manifest).toMatchObject({ executionId: board.latestRun.executionId, report: { name: REPORT_NAME } });
    for (const name of csvFiles) {
      // BOM by default (Excel-bound), one table per file, labels rather than field names.
      expect([...zip[name].subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parse(Buffer.from(zip[name]), { bom: true }) as string[][];
      expect(header.join(' ')).not.toMatch(/filteredRowCount|executionId|\b[a-z]+[A-Z]\w*/);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^-?\d{1,3}(,\d{3})+/);
    }
  }, 60_000);

  it('streams a raw CSV of the archived execution result, every row of it', async () => {
    const id = await requestExport({ format: 'csv', scope: 'raw' });
    await events.finished(id);
    const csv = await downloadCompleted(id, 'text/csv; charset=utf-8', 'csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM by default: raw results open in Excel too
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    const source = inlineResult('performance_daily.csv');
    expect(header).toEqual(source.columns);
    expect(rows).toHaveLength(source.rows.length);
    expect(rows[0][1]).toBe(String(source.rows[0][1]));
    const row = await db.query('SELECT execution_id, download_count FROM report_exports WHERE id = $1', [id]);
    expect(row.rows[0]).toMatchObject({ execution_id: board.latestRun.executionId, download_count: 1 });
  }, 60_000);
});

describe('access and state', () => {
  it('answers 404, not 403, for another user\'s export, its download and its report', async () => {
    const id = completed.get('pdf')!;
    expect((await strangerApi.get(`/v1/exports/${id}`)).status).toBe(404);
    expect((await download(stack.gatewayUrl, await stack.tokenFor(stranger), id)).status).toBe(404);
    expect((await strangerApi.get('/v1/exports')).body.items).toEqual([]);
    expect((await strangerApi.post(`/v1/reports/${reportId}/exports`, { format: 'pdf' })).status).toBe(404);
    const row = await db.query('SELECT download_count FROM report_exports WHERE id = $1', [id]);
    expect(row.rows[0].download_count).toBe(1);
  });

  it('answers 409 for a download while the export is pending or processing, and for a failed one', async () => {
    const inserted = await db.query(
      `INSERT INTO report_exports (report_configuration_id, user_id, format, scope) VALUES ($1, $2, 'pdf', 'dashboard') RETURNING id`, [reportId, owner]);
    const id = inserted.rows[0].id;
    try {
      expect(await download(stack.gatewayUrl, ownerToken, id)).toMatchObject({ status: 409 });
      await db.query(`UPDATE report_exports SET status = 'processing', started_at = now(), progress = 40 WHERE id = $1`, [id]);
      const processing = await api.get(`/v1/exports/${id}/download`);
      expect(processing).toMatchObject({ status: 409, body: { error: 'not_ready', status: 'processing', progress: 40 } });
      await db.query(`UPDATE report_exports SET status = 'failed', error = 'chart "x" is blank' WHERE id = $1`, [id]);
      expect(await api.get(`/v1/exports/${id}/download`)).toMatchObject({ status: 409, body: { error: 'export_failed', message: expect.stringContaining('chart "x" is blank') } });
    } finally {
      await db.query('DELETE FROM report_exports WHERE id = $1', [id]);
    }
  });

  it('lists the user\'s exports newest first, filtered by status and format, paginated', async () => {
    const all = await api.get('/v1/exports?limit=100');
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...requested].sort());
    const pdfs = await api.get('/v1/exports?format=pdf&status=completed');
    expect(pdfs.body.items.map((item: { id: string }) => item.id)).toEqual([completed.get('pdf')]);
    const page = await api.get('/v1/exports?limit=2');
    expect(page.body).toMatchObject({ limit: 2, offset: 0, nextOffset: 2 });
    expect(page.body.items[0].requestedAt >= page.body.items[1].requestedAt).toBe(true);
    expect((await api.get('/v1/exports?status=shipped')).body).toMatchObject({ statusCode: 400, issues: [{ field: 'status' }] });
  });
});

describe('requests refused', () => {
  it.each([
    ['png of the raw result', () => ({ format: 'png', scope: 'raw' }), 'scope'],
    ['pdf of the raw result', () => ({ format: 'pdf', scope: 'raw' }), 'scope'],
    ['a view scope without a view', () => ({ format: 'pdf', scope: 'view' }), 'viewId'],
    ['an unknown format', () => ({ format: 'docx' }), 'format'],
    ['a width for a pdf', () => ({ format: 'pdf', options: { width: 800 } }), 'options.width'],
    ['a png wider than the renderer allows', () => ({ format: 'png', options: { width: 10_000 } }), 'options.width'],
    ['an older execution for a dashboard export', () => ({ format: 'pdf', executionId: randomUUID() }), 'executionId'],
  ])('answers 400 naming the field for %s, writing nothing', async (_label, body, field) => {
    const before = await exportCount();
    const response = await api.post(`/v1/reports/${reportId}/exports`, body());
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await exportCount()).toBe(before);
  });

  it('answers 400 naming viewId for a view of another report, and format for rows of an insight view', async () => {
    const other = await createReport(api, { dashboardType: 'performance', amcWorkflowId: 'wf_other', name: 'Other report', instanceId });
    const view = await db.query(
      `INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position) VALUES ($1, 'other.view', 'Other', 'chart', 0) RETURNING id`, [other.reportId]);
    const insight = await db.query(
      `INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position) VALUES ($1, 'insights', 'Insights', 'insight', 99) RETURNING id`, [reportId]);
    const before = await exportCount();
    try {
      const foreign = await api.post(`/v1/reports/${reportId}/exports`, { format: 'pdf', scope: 'view', viewId: view.rows[0].id });
      expect(foreign).toMatchObject({ status: 400, body: { issues: [{ field: 'viewId' }] } });
      for (const format of ['csv', 'excel']) {
        const rows = await api.post(`/v1/reports/${reportId}/exports`, { format, scope: 'view', viewId: insight.rows[0].id });
        expect(rows).toMatchObject({ status: 400, body: { issues: [{ field: 'format', message: expect.stringMatching(/holds insights/) }] } });
      }
      // The other report has no execution: nothing archived to export raw.
      const raw = await api.post(`/v1/reports/${other.reportId}/exports`, { format: 'csv', scope: 'raw' });
      expect(raw).toMatchObject({ status: 400, body: { issues: [{ field: 'executionId' }] } });
      expect(await exportCount()).toBe(before);
    } finally {
      await db.query('DELETE FROM dashboard_views WHERE id = $1', [insight.rows[0].id]);
    }
  });

  it('answers 429 with Retry-After once the user has the maximum of exports in flight, writing nothing', async () => {
    const inserted = await db.query(
      `INSERT INTO report_exports (report_configuration_id, user_id, format, scope)
       SELECT $1, $2, 'pdf', 'dashboard' FROM generate_series(1, $3) RETURNING id`, [reportId, owner, IN_FLIGHT_CAP]);
    const ids = inserted.rows.map((row) => row.id);
    // Processing, recently started: neither the worker nor the sweeper touches them.
    await db.query(`UPDATE report_exports SET status = 'processing', started_at = now() WHERE id = ANY($1)`, [ids]);
    try {
      const before = await exportCount();
      const refused = await api.post(`/v1/reports/${reportId}/exports`, { format: 'pdf' });
      expect(refused).toMatchObject({ status: 429, body: { error: 'too_many_exports' } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await exportCount()).toBe(before);
      // Another user is not held back by this one's exports.
      expect((await strangerApi.post(`/v1/reports/${reportId}/exports`, { format: 'pdf' })).status).toBe(404);
    } finally {
      await db.query(`UPDATE report_exports SET status = 'failed', error = 'test' WHERE id = ANY($1)`, [ids]);
    }
    const accepted = await requestExport({ format: 'csv', scope: 'view', viewId: board.views.find((view: { viewType: string }) => view.viewType !== 'insight').id });
    await events.finished(accepted);
  }, 60_000);
});

describe('expiry', () => {
  it('deletes an expired export\'s file in exports.cleanup, marks it expired and answers 410', async () => {
    const id = completed.get('pdf')!;
    const file = path.join(stack.env.EXPORT_DIR!, `${id}.pdf`);
    expect(fs.existsSync(file)).toBe(true);
    await db.query(`UPDATE report_exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    // Past expires_at is gone at once, before the cleanup runs.
    expect((await api.get(`/v1/exports/${id}/download`)).status).toBe(410);
    expect((await api.get(`/v1/exports/${id}`)).body).toMatchObject({ status: 'expired', downloadUrl: null });

    const connection = producerConnectionOptions(stack.redisUrl);
    const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: stack.env.QUEUE_PREFIX });
    const queueEvents = new QueueEvents(MAINTENANCE_QUEUE, { connection: workerConnectionOptions(stack.redisUrl), prefix: stack.env.QUEUE_PREFIX });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual([EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_JOB, PIPELINE_REDRIVE_JOB]);
      await queueEvents.waitUntilReady();
      const job = await queue.add(EXPORTS_CLEANUP_JOB, {});
      await expect(job.waitUntilFinished(queueEvents, 30_000)).resolves.toMatchObject({ expiredExports: 1 });
    } finally {
      await queueEvents.close();
      await queue.close();
    }
    expect(fs.existsSync(file)).toBe(false);
    const row = await db.query('SELECT status FROM report_exports WHERE id = $1', [id]);
    expect(row.rows[0].status).toBe('expired');
    expect(await api.get(`/v1/exports/${id}/download`)).toMatchObject({ status: 410, body: { error: 'gone' } });
    expect((await api.get('/v1/exports?status=expired')).body.items.map((item: { id: string }) => item.id)).toContain(id);
  }, 60_000);
});

describe('auto-export', () => {
  it('exports a PDF for the workflow owner after each execution when export_settings.autoExport lists it', async () => {
    const auto = await createReport(api, {
      dashboardType: 'performance', amcWorkflowId: 'wf_auto', name: 'Auto exported', instanceId, exportSettings: { autoExport: ['pdf'], retentionDays: 3 },
    });
    const finished = events.waitFor((event) => event.reportId === auto.reportId, 90_000, 'the auto-export');
    await deliverExecution(stack, auto.reportId, { workflowId: auto.workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(2), result: inlineResult('performance_daily.csv') });
    const event = await finished;
    expect(event).toMatchObject({ status: 'completed', format: 'pdf', userId: owner });
    const listed = await api.get(`/v1/exports?reportId=${auto.reportId}`);
    expect(listed.body.items).toHaveLength(1);
    const exported = listed.body.items[0];
    expect(exported).toMatchObject({ id: event.exportId, status: 'completed', scope: 'dashboard', options: { auto: true } });
    expect(Date.parse(exported.expiresAt) - Date.parse(exported.completedAt)).toBe(3 * 86_400_000);
    const file = await download(stack.gatewayUrl, ownerToken, event.exportId);
    expect(file.status).toBe(200);
    expect((await extractPdfText(file.body)).pages.join('')).toContain('Auto exported');
  }, 120_000);
});
