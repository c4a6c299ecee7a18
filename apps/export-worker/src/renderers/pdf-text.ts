import { Worker } from 'node:worker_threads';

export interface PdfText {
  /** Pages in the document. */
  total: number;
  /** Extracted text per page. */
  pages: string[];
}

/**
 * Runs in a worker thread, in plain CommonJS: pdf-parse (pdfjs) loads its own worker module with a
 * dynamic import, which needs Node's native loader (not available inside a test runner's module
 * sandbox), and parsing a large PDF is CPU work that should not hold the event loop.
 */
const EXTRACT_TEXT = `
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse } = require(workerData.modulePath);
(async () => {
  const parser = new PDFParse({ data: workerData.data });
  try {
    const result = await parser.getText();
    parentPort.postMessage({ ok: true, total: result.total, pages: result.pages.map((page) => page.text) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message ? error.message : error) });
  } finally {
    await parser.destroy();
  }
})();
`;

type WorkerReply = { ok: true; total: number; pages: string[] } | { ok: false; message: string };

/** The text of every page of a PDF, through pdf-parse; rejects when the file does not parse. */
export function extractPdfText(pdf: Buffer): Promise<PdfText> {
  // A copy the worker owns (transferred, not cloned); the caller's buffer stays intact.
  const data = new Uint8Array(pdf.byteLength);
  data.set(pdf);
  const worker = new Worker(EXTRACT_TEXT, { eval: true, workerData: { modulePath: require.resolve('pdf-parse'), data }, transferList: [data.buffer] });
  return new Promise<PdfText>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => (reply.ok ? resolve({ total: reply.total, pages: reply.pages }) : reject(new Error(reply.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the PDF text worker exited with code ${code}`)));
  }).finally(() => void worker.terminate());
}
