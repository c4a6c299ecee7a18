import { Resvg } from '@resvg/resvg-js';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { Client } from 'pg';
import { startAppStack, TEST_ADMIN_TOKEN, type AppStack } from '@amc-reports/testing';
import { inlineResult, weekWindow } from '../../report-service/test/amc-results';
import { decodePng } from '../src/renderers/png-decode';
import { createReport, deliverExecution, download, ExportEventLog, type Api } from './export-e2e';
import { pdftotext } from './pdftotext';

/**
 * What a client receives: branded exports (organization defaults, a report's override, logo
 * uploads checked by type and size) and exports of an execution the dashboard no longer shows.
 * Branded PDFs of the three main dashboard types are kept in artifacts/exports for a person to look at.
 */
const run = promisify(execFile);
const instanceId = 'amcclient01';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'artifacts', 'exports');
let stack: AppStack;
let db: Client;
let events: ExportEventLog;
let api: Api & { organizationId: string; token: string; userId: string };
let reportId: string;
let workflowId: string;
const AGENCY_GREEN = '#0a7d5a';
const CLIENT_ORANGE = '#c2410c';

function logoPng(): Buffer {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="120"><rect width="360" height="120" rx="16" fill="#ffffff"/>'
    + '<circle cx="60" cy="60" r="40" fill="#0a7d5a"/><rect x="120" y="36" width="210" height="48" rx="8" fill="#c2410c"/></svg>';
  return Buffer.from(new Resvg(svg).render().asPng());
}

const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect width="300" height="100" rx="12" fill="#fef3c7"/>'
  + '<path d="M20 80 L60 20 L100 80 Z" fill="#b45309"/><text x="120" y="62" font-size="34" font-weight="bold" fill="#78350f">Acme</text></svg>';

async function exportAndDownload(report: string, body: Record<string, unknown>): Promise<{ id: string; file: Buffer }> {
  const response = await api.post(`/v1/reports/${report}/exports`, body);
  expect(response.status).toBe(202);
  await events.finished(response.body.id, 90_000);
  const file = await download(stack.gatewayUrl, api.token, response.body.id);
  expect(file.status).toBe(200);
  return { id: response.body.id, file: file.body };
}

/** The colour of a pixel of page 1 rendered by poppler at 72 dpi (1 px = 1 pt). */
async function coverPixel(pdf: Buffer, x: number, y: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cover-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.pdf'), pdf);
    await run('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-png', path.join(dir, 'a.pdf'), path.join(dir, 'page')]);
    const png = decodePng(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((name) => name.endsWith('.png'))!)));
    const offset = (y * png.width + x) * 4;
    return `#${[0, 1, 2].map((channel) => png.pixels[offset + channel].toString(16).padStart(2, '0')).join('')}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function pdfText(pdf: Buffer): Promise<string> {
  const file = path.join(os.tmpdir(), `client-${randomUUID()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return await pdftotext(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function imagesIn(pdf: Buffer): Promise<number> {
  const file = path.join(os.tmpdir(), `images-${randomUUID()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    const { stdout } = await run('pdfimages', ['-list', file]);
    return stdout.trim().split('\n').length - 2;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const brandingObjects = () => {
  const dir = path.join(stack.env.EXPORT_DIR!, 'branding');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'export-worker']);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  events = await ExportEventLog.open(stack.redisUrl);
  api = await stack.memberApi({ instanceIds: [instanceId], email: 'agency@example.com' });
  ({ reportId, workflowId } = await createReport(api, { dashboardType: 'performance', amcWorkflowId: 'wf_client', name: 'Acme Q3 performance', instanceId }));
  for (const week of [1, 2]) {
    await deliverExecution(stack, reportId, { workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(week), result: inlineResult('performance_daily.csv') });
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  events?.close();
  await db?.end();
  await stack?.stop();
});

describe('branding', () => {
  it("puts the organization's logo, accent colour, cover title and footer on the PDF; a report overrides the colour", async () => {
    const set = await api.put(`/v1/organizations/${api.organizationId}/branding`, { accentColor: '#0A7D5A', coverTitle: 'Acme — Q3 review', footerText: 'Prepared by Northwind Agency' });
    expect(set).toMatchObject({ status: 200, body: { accentColor: AGENCY_GREEN, coverTitle: 'Acme — Q3 review', footerText: 'Prepared by Northwind Agency', logo: null } });
    const logo = logoPng();
    const uploaded = await api.put(`/v1/organizations/${api.organizationId}/branding/logo`, { contentType: 'image/png', data: logo.toString('base64') });
    expect(uploaded).toMatchObject({ status: 200, body: { logo: { contentType: 'image/png', sizeBytes: logo.length } } });
    expect(brandingObjects()).toHaveLength(1);

    const { file: pdf } = await exportAndDownload(reportId, { format: 'pdf' });
    // The accent stripe under the cover band (y 260–264 pt) is the agency's green; the logo is an image on the page.
    expect(await coverPixel(pdf, 20, 262)).toBe(AGENCY_GREEN);
    expect(await imagesIn(pdf)).toBeGreaterThanOrEqual(1);
    const text = await pdfText(pdf);
    const pages = text.split('\f').slice(0, -1);
    expect(pages[0]).toContain('Acme — Q3 review');
    for (const page of pages) expect(page).toContain('Prepared by Northwind Agency');
    fs.writeFileSync(path.join(ARTIFACTS, 'branded-performance.pdf'), pdf);

    const override = await api.put(`/v1/reports/${reportId}/branding`, { accentColor: CLIENT_ORANGE });
    expect(override).toMatchObject({
      status: 200,
      body: { report: { accentColor: CLIENT_ORANGE, logo: null }, effective: { accentColor: CLIENT_ORANGE, footerText: 'Prepared by Northwind Agency', logo: { contentType: 'image/png' } } },
    });
    const { file: overridden } = await exportAndDownload(reportId, { format: 'pdf' });
    expect(await coverPixel(overridden, 20, 262)).toBe(CLIENT_ORANGE);
    await api.put(`/v1/reports/${reportId}/branding`, { accentColor: null });

    // The PNG and the Excel cover wear the same branding and pass their checks.
    const { file: png } = await exportAndDownload(reportId, { format: 'png' });
    expect(decodePng(png).width).toBe(1200);
    const { file: xlsx } = await exportAndDownload(reportId, { format: 'excel' });
    expect(Object.keys(unzipSync(xlsx)).some((name) => name.startsWith('xl/media/'))).toBe(true);
  }, 180_000);

  it.each([
    ['a GIF', () => ({ contentType: 'image/gif', data: Buffer.from('GIF89a').toString('base64') }), 'contentType', /Invalid option/],
    ['GIF bytes said to be a PNG', () => ({ contentType: 'image/png', data: Buffer.from('GIF89a\u0001\u0000\u0001\u0000').toString('base64') }), 'data', /not a PNG image/],
    ['a PNG over 512 KB', () => ({ contentType: 'image/png', data: Buffer.concat([logoPng(), Buffer.alloc(600 * 1024)]).toString('base64') }), 'data', /at most 524288/],
    ['an SVG with a script', () => ({ contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64') }), 'data', /<script>/],
    ['an SVG that loads a remote image', () => ({ contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>').toString('base64') }), 'data', /outside the image/],
    ['data that is not base64', () => ({ contentType: 'image/png', data: 'not base64!' }), 'data', /base64/],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_label, body, field, message) => {
    const before = brandingObjects();
    const row = await db.query('SELECT logo_key, updated_at FROM export_brandings WHERE organization_id = $1 AND report_configuration_id IS NULL', [api.organizationId]);
    const response = await api.put(`/v1/organizations/${api.organizationId}/branding/logo`, body());
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(brandingObjects()).toEqual(before);
    expect((await db.query('SELECT logo_key, updated_at FROM export_brandings WHERE organization_id = $1 AND report_configuration_id IS NULL', [api.organizationId])).rows).toEqual(row.rows);
  });

  it('lets viewers read the branding but not change it, and hides it from other organizations', async () => {
    const viewer = randomUUID();
    const added = await fetch(`${stack.gatewayUrl}/admin/v1/organizations/${api.organizationId}/members/${viewer}`, {
      method: 'PUT', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }),
    });
    expect(added.status).toBe(201);
    const token = await stack.tokenFor(viewer);
    const asViewer = (method: string, url: string, body?: object) => fetch(`${stack.gatewayUrl}${url}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
    });
    expect((await asViewer('GET', `/v1/organizations/${api.organizationId}/branding`)).status).toBe(200);
    expect((await asViewer('PUT', `/v1/organizations/${api.organizationId}/branding`, { accentColor: '#000000' })).status).toBe(403);
    expect((await asViewer('PUT', `/v1/reports/${reportId}/branding`, { footerText: 'x' })).status).toBe(403);
    const stranger = await stack.memberApi({ instanceIds: ['amcclient-stranger'] });
    expect((await stranger.get(`/v1/organizations/${api.organizationId}/branding`)).status).toBe(404);
    expect((await stranger.get(`/v1/reports/${reportId}/branding`)).status).toBe(404);
  });

  it('brands funnel and attribution PDFs too (an SVG logo on the funnel report), kept for a person to look at', async () => {
    for (const [type, sample] of [['funnel', 'funnel_with_filtered_rows.csv'], ['attribution', 'attribution_models.csv']] as const) {
      const report = await createReport(api, { dashboardType: type, amcWorkflowId: `wf_client_${type}`, name: `Acme Q3 ${type}`, instanceId });
      await deliverExecution(stack, report.reportId, { workflowId: report.workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(2), result: inlineResult(sample) });
      if (type === 'funnel') {
        const svg = await api.put(`/v1/reports/${report.reportId}/branding/logo`, { contentType: 'image/svg+xml', data: Buffer.from(LOGO_SVG).toString('base64') });
        expect(svg).toMatchObject({ status: 200, body: { report: { logo: { contentType: 'image/svg+xml' } } } });
      }
      const { file } = await exportAndDownload(report.reportId, { format: 'pdf' });
      expect(await coverPixel(file, 20, 262)).toBe(AGENCY_GREEN);
      fs.writeFileSync(path.join(ARTIFACTS, `branded-${type}.pdf`), file);
    }
  }, 180_000);
});

describe('any execution', () => {
  it('exports an older execution when asked; the dashboard and its raw result default to the execution it shows', async () => {
    const executions = await db.query(`SELECT id, time_window_start FROM workflow_executions WHERE workflow_id = $1 ORDER BY time_window_start`, [workflowId]);
    const [older, latest] = executions.rows.map((row) => row.id as string);
    const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
    expect(board.latestRun.executionId).toBe(latest);

    const { id: pdfId, file: pdf } = await exportAndDownload(reportId, { format: 'pdf', executionId: older });
    expect((await db.query('SELECT execution_id FROM report_exports WHERE id = $1', [pdfId])).rows[0].execution_id).toBe(older);
    const window = weekWindow(1);
    expect(await pdfText(pdf)).toContain(`${window.start.slice(0, 10)} – ${window.end.slice(0, 10)}`);

    const { file: zip } = await exportAndDownload(reportId, { format: 'csv', executionId: older });
    const manifest = JSON.parse(Buffer.from(unzipSync(zip)['manifest.json']).toString('utf8'));
    expect(manifest).toMatchObject({ executionId: older, window: { start: window.start } });

    const raw = await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv', scope: 'raw' });
    expect(raw.body.executionId).toBe(latest);
    const dashboard = await api.post(`/v1/reports/${reportId}/exports`, { format: 'excel' });
    expect(dashboard.body.executionId).toBe(latest);
    await Promise.all([events.finished(raw.body.id), events.finished(dashboard.body.id)]);
  }, 180_000);

  it('refuses an execution that did not succeed with a 400 naming executionId', async () => {
    const failed = await db.query(
      `INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end, error)
       VALUES ($1, $2, $3, 'FAILED', now() - interval '30 days', now() - interval '23 days', 'quota') RETURNING id`, [workflowId, instanceId, `failed-${randomUUID()}`]);
    const response = await api.post(`/v1/reports/${reportId}/exports`, { format: 'pdf', executionId: failed.rows[0].id });
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'executionId', message: expect.stringMatching(/no result to draw/) }] } });
  });
});
