import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { renderDashboardCsv, renderRawCsv } from './renderers/csv-renderer';
import { renderDashboardExcel, renderRawExcel } from './renderers/excel-renderer';
import type { ExportDocument, RenderSummary } from './renderers/export-document';
import { renderPdf } from './renderers/pdf-renderer';
import { renderPng } from './renderers/png-renderer';
import { type ExportExpectation, expectExport, expectRawExport } from './renderers/verify-export';
import type { ExportSource } from './load-export-source';

/** A dashboard PNG at this width unless the request asks for another (the renderer bounds it). */
export const DEFAULT_PNG_WIDTH = 1200;

export interface RenderedFile {
  summary: RenderSummary;
  /** What the file must hold, taken from the source: `verifyExport` checks one against the other. */
  expected: ExportExpectation;
}

export interface RenderFileOptions {
  /** Raw exports: data rows written so far (the renderers call it every 50,000 rows). */
  onRows?: (rows: number) => void;
}

/** Renders the export into `file` with the renderer for its format and scope. */
export async function renderExportFile(source: ExportSource, file: string, options: RenderFileOptions = {}): Promise<RenderedFile> {
  if (source.kind === 'raw') {
    const input = await source.open();
    const out = createWriteStream(file);
    const summary = source.format === 'csv'
      ? await renderRawCsv(input, out, { bom: source.options.bom ?? true, onProgress: options.onRows })
      : await renderRawExcel(input, out, { onProgress: options.onRows });
    return { summary, expected: expectRawExport(source.format, source.rowCount) };
  }
  const { document, viewKey } = source;
  switch (source.format) {
    case 'pdf': {
      // The PDF renderer draws every view it is given: one view's PDF is the document narrowed to it.
      const narrowed = narrowToView(document, viewKey);
      return { summary: await renderPdf(narrowed, createWriteStream(file)), expected: expectExport(narrowed, 'pdf') };
    }
    case 'png': {
      const { buffer, summary } = await renderPng(document, { viewKey, width: source.options.width ?? DEFAULT_PNG_WIDTH });
      await writeFile(file, buffer);
      return { summary, expected: expectExport(document, 'png', viewKey) };
    }
    case 'csv':
      return {
        summary: await renderDashboardCsv(document, createWriteStream(file), { bom: source.options.bom ?? true, viewKey }),
        expected: expectExport(document, 'csv', viewKey),
      };
    case 'excel':
      return { summary: await renderDashboardExcel(document, createWriteStream(file), { viewKey }), expected: expectExport(document, 'excel', viewKey) };
  }
}

function narrowToView(document: ExportDocument, viewKey: string | undefined): ExportDocument {
  if (viewKey === undefined) return document;
  return { ...document, views: document.views.filter((view) => view.key === viewKey) };
}
