import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JAPANESE_CAMPAIGN, buildExportDocument } from '../../test/fixtures/export-document.fixture';
import { renderPdf } from './pdf-renderer';
import { extractPdfText } from './pdf-text';
import { expectExport, verifyExport } from './verify-export';

const squash = (text: string) => text.replace(/\s+/g, '');

describe('renderPdf', () => {
  const doc = buildExportDocument();
  let dir: string;
  let path: string;
  let summary: Awaited<ReturnType<typeof renderPdf>>;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdf-renderer-'));
    path = join(dir, 'report.pdf');
    summary = await renderPdf(doc, createWriteStream(path));
    const result = await extractPdfText(await readFile(path));
    pages = result.pages.map(squash);
    text = pages.join('');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a cover with the report name, workflow, time window, generation time and metric cards', () => {
    for (const expected of [doc.report.name, doc.report.workflowName, '2025-10-27–2025-11-09', '2025-11-1008:15UTC', 'Keymetrics', '2,011,400', '$21,903.55', '0.42%']) {
      expect(pages[0]).toContain(squash(expected));
    }
  });

  it('lists the sections with their pages on the cover', () => {
    expect(pages[0]).toContain('ContentsConversionfunnel2Dailyimpressionsandclicks2Salesbycampaign3Campaignperformance3Insights5');
  });

  it('draws every chart and table under its title, and every insight with its confidence', () => {
    for (const view of doc.views.filter((candidate) => candidate.viewType === 'chart' || candidate.viewType === 'table')) {
      expect(text).toContain(squash(view.name));
    }
    for (const insight of doc.insights) expect(text).toContain(squash(insight.text));
    expect(text).toContain('Confidence87%');
    expect(summary.charts.map((chart) => chart.viewKey)).toEqual(['funnel.stages', 'performance.daily', 'attribution.sales_by_campaign']);
    for (const chart of summary.charts) expect(chart.dataElements).toBeGreaterThan(0);
  });

  it('draws charts as vectors: their axis labels are text in the PDF', () => {
    expect(text).toContain('2025-10-27');
    expect(text).toContain('$18,000'); // axis ticks drop the cents of round amounts
    expect(text).toContain('Oct27,2025'); // days name their month
    expect(text).toContain('Impressions:2,011,400');
  });

  it('keeps the Japanese campaign name through font embedding', () => {
    expect(text).toContain(JAPANESE_CAMPAIGN);
    expect(pages.filter((page) => page.includes(JAPANESE_CAMPAIGN)).length).toBeGreaterThanOrEqual(2);
  });

  it('breaks the 66-row table across pages and repeats its header', () => {
    expect(summary).toMatchObject({ format: 'pdf', pageCount: 5, rowCount: 66, chartCount: 3 });
    expect(pages).toHaveLength(5);
    const first = pages.findIndex((page) => page.includes('Campaign02–SponsoredProducts') || page.includes(squash('Say "hello", world')));
    const last = pages.findIndex((page) => page.includes('Campaign66–SponsoredProducts'));
    expect(last).toBeGreaterThan(first);
    const continued = pages.filter((page) => page.includes('Campaignperformance(continued)'));
    expect(continued.length).toBe(last - first);
    for (const page of continued) expect(page).toContain('CampaignImpressionsClicksSpendCTRROAS');
  });

  it('numbers every page', () => {
    pages.forEach((page, index) => expect(page).toContain(`Page${index + 1}of5`));
  });

  it('passes verification', async () => {
    expect(await verifyExport(path, summary, expectExport(doc, 'pdf'))).toEqual({ ok: true, details: { bytes: expect.any(Number), pages: 5, charts: 3, rows: 66 } });
  });
});

describe('renderPdf: a landscape cover with more cards than fit', () => {
  const LABELS = ['Impressions', 'Clicks', 'Spend', 'Purchases', 'Sales', 'Click-through rate (CTR)', 'Cost per click (CPC)',
    'Cost per 1,000 impressions (CPM)', 'Return on ad spend (ROAS)', 'Cost per purchase (CPA)', 'Purchase rate (of clicks)', 'Advertising cost of sales (ACoS)'];
  let pages: string[];
  let summary: Awaited<ReturnType<typeof renderPdf>>;
  let dir: string;

  beforeAll(async () => {
    const base = buildExportDocument();
    const cards = {
      key: 'performance.cards', name: 'Key metrics', viewType: 'metric_card' as const, position: 0,
      chart: { kind: 'metric' as const, title: 'Key metrics', series: LABELS.map((label, index) => ({ field: `m${index}`, label, format: 'integer' as const })) },
      data: { rows: [Object.fromEntries(LABELS.map((_, index) => [`m${index}`, 1_000_000 + index]))] },
    };
    const doc = { ...base, views: [cards, ...base.views.filter((view) => view.viewType !== 'metric_card')], page: { orientation: 'landscape' as const, pageSize: 'A4' as const } };
    dir = await mkdtemp(join(tmpdir(), 'pdf-cover-'));
    const path = join(dir, 'cover.pdf');
    summary = await renderPdf(doc, createWriteStream(path));
    pages = (await extractPdfText(await readFile(path))).pages.map(squash);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the heading with the first row, continues the cards on page 2 and starts the views under them', () => {
    expect(summary.page).toMatchObject({ orientation: 'landscape' });
    expect(pages[0]).toContain('Keymetrics');
    expect(pages[0]).toContain('1,000,000');
    expect(pages[1]).toContain('Keymetrics(continued)');
    expect(pages[1]).toContain('1,000,011');
    // The views begin on the page the cards ran onto, not on a fresh one.
    expect(pages[1]).toContain('Conversionfunnel');
  });

  it('gives each card label its two lines: no label is shortened', () => {
    const text = pages.slice(0, 2).join('');
    for (const label of LABELS) expect(text).toContain(squash(label));
  });
});
