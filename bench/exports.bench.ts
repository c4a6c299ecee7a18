/**
 * Export renderers against their raw baselines, each measured in its own forked process so peak
 * RSS belongs to that measurement alone. Run: node -r @swc-node/register bench/exports.bench.ts
 * (ROWS=200000 for a quicker run).
 */
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportDocument } from '../apps/export-worker/src/renderers/export-document';

// Each task loads its own modules, so a child's peak RSS holds only what that measurement needs.
const fixtures = () => import('../apps/export-worker/test/fixtures/export-document.fixture');
const renderers = {
  csv: () => import('../apps/export-worker/src/renderers/csv-renderer'),
  excel: () => import('../apps/export-worker/src/renderers/excel-renderer'),
  pdf: () => import('../apps/export-worker/src/renderers/pdf-renderer'),
  png: () => import('../apps/export-worker/src/renderers/png-renderer'),
  chart: () => import('../apps/export-worker/src/renderers/chart-svg'),
  fonts: () => import('../apps/export-worker/src/renderers/fonts'),
};

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const DEV_NULL = '/dev/null';

interface Measurement {
  ms: number;
  rows?: number;
  peakRssMb: number;
  /** A second run in the same process (fonts and modules warm). */
  warmMs?: number;
}

type Task = (csvPath: string) => Promise<Omit<Measurement, 'peakRssMb'>>;

async function timed(run: () => Promise<number | void>): Promise<{ ms: number; rows?: number }> {
  const start = process.hrtime.bigint();
  const rows = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, rows: rows ?? undefined };
}

/** A 6-chart, 20-insight dashboard: the fixture's three charts plus area, stacked-bar and pie views. */
async function benchDocument(): Promise<ExportDocument> {
  const doc = (await fixtures()).buildExportDocument();
  const daily = doc.views.find((view) => view.key === 'performance.daily')!;
  const sales = doc.views.find((view) => view.key === 'attribution.sales_by_campaign')!;
  const extra: BuiltView[] = [
    { ...daily, key: 'performance.daily_area', name: 'Daily reach (area)', position: 10, chart: { ...daily.chart, kind: 'area' } },
    { ...daily, key: 'performance.daily_stacked', name: 'Daily mix (stacked)', position: 11, chart: { ...daily.chart, kind: 'stacked-bar' } },
    { ...sales, key: 'attribution.share', name: 'Share of sales', position: 12, chart: { ...sales.chart, kind: 'pie' } },
  ];
  const insights = Array.from({ length: 20 }, (_, index) => ({
    ...doc.insights[index % doc.insights.length],
    text: `${doc.insights[index % doc.insights.length].text} (#${index + 1})`,
  }));
  return { ...doc, views: [...doc.views, ...extra], insights };
}

const TASKS: Record<string, Task> = {
  // The child's footprint before any work: node plus @swc-node/register compiling TypeScript.
  floor: async () => ({ ms: 0 }),
  'csv-baseline': async (csv) => {
    const { parse } = await import('csv-parse');
    const { stringify } = await import('csv-stringify');
    return timed(async () => {
      let rows = -1;
      await pipeline(createReadStream(csv), parse({ on_record: (record: string[]) => ((rows += 1), record) }), stringify(), createWriteStream(DEV_NULL));
      return rows;
    });
  },
  'csv-export': async (csv) => {
    const { renderRawCsv } = await renderers.csv();
    return timed(async () => (await renderRawCsv(createReadStream(csv), createWriteStream(DEV_NULL), { bom: true })).rowCount);
  },
  'excel-baseline': async (csv) => {
    const { parse } = await import('csv-parse');
    const { default: ExcelJS } = await import('exceljs');
    return timed(async () => {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(DEV_NULL), useSharedStrings: false, useStyles: true });
      const sheet = workbook.addWorksheet('Result');
      let rows = -1;
      for await (const record of createReadStream(csv).pipe(parse())) {
        sheet.addRow(record).commit();
        rows += 1;
      }
      sheet.commit();
      await workbook.commit();
      return rows;
    });
  },
  'excel-export': async (csv) => {
    const { renderRawExcel } = await renderers.excel();
    return timed(async () => (await renderRawExcel(createReadStream(csv), createWriteStream(DEV_NULL), {})).rowCount);
  },
  pdf: async () => {
    const { renderPdf } = await renderers.pdf();
    const doc = await benchDocument();
    const run = () => timed(() => renderPdf(doc, createWriteStream(DEV_NULL)).then(() => undefined));
    const cold = await run();
    return { ms: cold.ms, warmMs: (await run()).ms };
  },
  'pdf-baseline': async () => {
    // The six charts alone through ECharts SSR: the floor under any PDF of this dashboard.
    const { renderChartSvg } = await renderers.chart();
    const charts = (await benchDocument()).views.filter((view) => view.viewType === 'chart');
    const run = () => timed(async () => void charts.forEach((view) => renderChartSvg(view.chart, view.data.rows, { width: 760, height: 400 })));
    const cold = await run();
    return { ms: cold.ms, warmMs: (await run()).ms };
  },
  png: async () => {
    const { renderPng } = await renderers.png();
    const doc = await benchDocument();
    const run = () => timed(() => renderPng(doc, { width: 1200, viewKey: 'performance.daily' }).then(() => undefined));
    const cold = await run();
    return { ms: cold.ms, warmMs: (await run()).ms };
  },
  'png-baseline': async () => {
    // resvg straight on the ECharts SVG with the fonts as files: the naive path the renderer avoids.
    const { Resvg } = await import('@resvg/resvg-js');
    const { renderChartSvg } = await renderers.chart();
    const { regularFontPath, boldFontPath } = await renderers.fonts();
    const view = (await benchDocument()).views.find((candidate) => candidate.key === 'performance.daily')!;
    const run = () =>
      timed(async () => {
        const svg = renderChartSvg(view.chart, view.data.rows, { width: 1200, height: 600 });
        new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [regularFontPath(), boldFontPath()], defaultFontFamily: 'Noto Sans JP' } }).render().asPng();
      });
    const cold = await run();
    return { ms: cold.ms, warmMs: (await run()).ms };
  },
};

function measure(task: string, csvPath: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--task', task, csvPath], { execArgv: ['-r', '@swc-node/register'] });
    child.once('message', (message) => resolve(message as Measurement));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`${task} exited with ${code}`)));
  });
}

async function runChild(task: string, csvPath: string): Promise<void> {
  const result = await TASKS[task](csvPath);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.send!({ ...result, peakRssMb } satisfies Measurement, () => process.exit(0));
}

const mb = (value: number) => `${value.toFixed(0)} MB`;
const rate = (m: Measurement) => `${Math.round((m.rows! / m.ms) * 1000).toLocaleString('en-US')} rows/s`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'exports-bench-'));
  try {
    const csvPath = join(dir, 'result.csv');
    const { rawResultCsv } = await import('../apps/export-worker/test/fixtures/raw-result.fixture');
    await pipeline(rawResultCsv(ROWS, 5_000), createWriteStream(csvPath));
    console.log(`source: ${ROWS.toLocaleString('en-US')} rows x 10 columns (${csvPath})\n`);
    const results: Record<string, Measurement> = {};
    for (const task of Object.keys(TASKS)) results[task] = await measure(task, csvPath);

    const csvRatio = results['csv-export'].ms ? results['csv-baseline'].ms / results['csv-export'].ms : 0;
    const xlsRatio = results['excel-baseline'].ms / results['excel-export'].ms;
    const rows: string[][] = [
      ['raw CSV export', `${rate(results['csv-export'])}, ${mb(results['csv-export'].peakRssMb)}`, `${rate(results['csv-baseline'])}, ${mb(results['csv-baseline'].peakRssMb)}`,
        `${csvRatio.toFixed(2)}x baseline (>= 0.7), RSS < 256 MB: ${verdict(csvRatio >= 0.7 && results['csv-export'].peakRssMb < 256)}`],
      ['raw Excel export', `${rate(results['excel-export'])}, ${mb(results['excel-export'].peakRssMb)}`, `${rate(results['excel-baseline'])}, ${mb(results['excel-baseline'].peakRssMb)}`,
        `${xlsRatio.toFixed(2)}x baseline (>= 0.7), RSS < 512 MB: ${verdict(xlsRatio >= 0.7 && results['excel-export'].peakRssMb < 512)}`],
      ['PDF, 6 charts + 20 insights', `${results.pdf.ms.toFixed(0)} ms cold, ${results.pdf.warmMs!.toFixed(0)} ms warm`, `${results['pdf-baseline'].ms.toFixed(0)} ms cold, ${results['pdf-baseline'].warmMs!.toFixed(0)} ms warm (6 charts, SVG only)`,
        `< 1000 ms: ${verdict(results.pdf.ms < 1000)}`],
      ['PNG, one chart at 1200 px', `${results.png.ms.toFixed(0)} ms cold, ${results.png.warmMs!.toFixed(0)} ms warm`, `${results['png-baseline'].ms.toFixed(0)} ms cold, ${results['png-baseline'].warmMs!.toFixed(0)} ms warm (resvg text from font files)`,
        `< 150 ms: ${verdict(results.png.warmMs! < 150)}`],
    ];
    console.log(`runtime floor of a measuring child (node + @swc-node/register, no work): ${mb(results.floor.peakRssMb)} peak RSS\n`);
    const header = ['measurement', 'renderer', 'baseline (same run)', 'target'];
    const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index].length)));
    for (const row of [header, widths.map((width) => '-'.repeat(width)), ...rows]) console.log(row.map((cell, index) => cell.padEnd(widths[index])).join(' | '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--task') {
  runChild(process.argv[3], process.argv[4]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
