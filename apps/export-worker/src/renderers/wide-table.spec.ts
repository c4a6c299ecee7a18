import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LONG_CAMPAIGN_NAMES, wideCampaignView, wideTableDocument } from '../../test/fixtures/export-document.fixture';
import { pdfPageSizes, pdfPages } from '../../test/pdftotext';
import { composeDashboardSvg } from './dashboard-svg';
import type { ExportDocument, PageSettings } from './export-document';
import { renderPdf } from './pdf-renderer';
import { renderPng } from './png-renderer';
import { printableDocument } from './printable-text';
import { expectExport, verifyExport } from './verify-export';
import { expectedTableNumbers } from './verify-numbers';

const squash = (text: string) => text.replace(/\s+/g, '');
const view = wideCampaignView();
const numbers = expectedTableNumbers([view]);

describe('a 17-column performance table (long names, millions, currency)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wide-table-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the numbers the issue saw cut: millions, money and every ratio', () => {
    expect(numbers).toEqual(expect.arrayContaining(['48,123,457', '905,117', '$1,664,233.47', '$9,876,543.21', '$1.84', '$34.58', '5.93', '1.88%']));
    expect(numbers.length).toBe(12 * 16);
  });

  it.each<[string, PageSettings, 'portrait' | 'landscape']>([
    ['auto (turns landscape)', { orientation: 'auto', pageSize: 'A4' }, 'landscape'],
    ['portrait A4', { orientation: 'portrait', pageSize: 'A4' }, 'portrait'],
    ['landscape A4', { orientation: 'landscape', pageSize: 'A4' }, 'landscape'],
    ['portrait Letter', { orientation: 'portrait', pageSize: 'Letter' }, 'portrait'],
  ])('PDF %s: pdftotext finds every number and every campaign name in full', async (name, page, orientation) => {
    const doc: ExportDocument = { ...wideTableDocument(), page };
    const path = join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
    const summary = await renderPdf(doc, createWriteStream(path));
    expect(summary.page).toMatchObject({ size: page.pageSize, orientation });
    // 16 numbers beside a wrapped name fit neither page in one piece: labelled groups repeat the campaign.
    expect(summary.page!.tableGroups).toBeGreaterThanOrEqual(2);
    const pages = await pdfPages(path);
    const text = pages.join('\n');
    const tokens = new Set(text.split(/\s+/));
    const missing = numbers.filter((number) => !tokens.has(number));
    expect(missing).toEqual([]);
    expect(text).not.toMatch(/\d…|…\d/);
    for (const campaign of LONG_CAMPAIGN_NAMES) expect(squash(text)).toContain(squash(campaign));
    expect(text).toMatch(/Part 1 of \d: Impressions to /);
    expect(text).toContain('Withheld rows');
    expect(text).not.toMatch(/filteredRow|purchasesPer|executionId/);
    expect(await verifyExport(path, summary, expectExport(doc, 'pdf'))).toMatchObject({ ok: true });
  });

  it('turns every page as asked: portrait A4 pages are taller than wide, landscape ones wider (pdfinfo)', async () => {
    const portrait = join(dir, 'p.pdf');
    const landscape = join(dir, 'l.pdf');
    const p = await renderPdf({ ...wideTableDocument(), page: { orientation: 'portrait', pageSize: 'A4' } }, createWriteStream(portrait));
    const l = await renderPdf({ ...wideTableDocument(), page: { orientation: 'landscape', pageSize: 'A4' } }, createWriteStream(landscape));
    const a4 = { width: 595.28, height: 841.89 };
    expect(await pdfPageSizes(portrait)).toEqual(Array.from({ length: p.pageCount! }, () => a4));
    expect(await pdfPageSizes(landscape)).toEqual(Array.from({ length: l.pageCount! }, () => ({ width: a4.height, height: a4.width })));
    // A landscape page holds more columns per group, so the table needs no more groups than portrait.
    expect(l.page!.tableGroups).toBeLessThanOrEqual(p.page!.tableGroups);
  });

  it.each([800, 1600])('PNG of the table alone at %i px draws every number as one whole text', async (width) => {
    const doc = printableDocument(wideTableDocument());
    const page = composeDashboardSvg(doc, [doc.views.find((candidate) => candidate.key === 'performance.campaigns')!], { width, single: true });
    const drawn = [...page.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1].replace(/&amp;/g, '&'));
    const texts = new Set(drawn);
    expect(numbers.filter((number) => !texts.has(number))).toEqual([]);
    expect(drawn.filter((text) => /\d…/.test(text))).toEqual([]);
    expect(drawn.some((text) => /^Part 1 of \d: Impressions to /.test(text))).toBe(true);
    const png = await renderPng(wideTableDocument(), { width, viewKey: 'performance.campaigns' });
    await writeFile(join(dir, `table-${width}.png`), png.buffer);
    expect(await verifyExport(png.buffer, png.summary, expectExport(wideTableDocument(), 'png', 'performance.campaigns'))).toMatchObject({ ok: true });
  });
});
