import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The text of a PDF as Debian's poppler-utils reads it (a second reader beside pdf-parse, which
 * the export check uses). `npm test` installs poppler-utils when it is missing (scripts/ensure-deps.js).
 */
export async function pdftotext(path: string, mode: 'raw' | 'layout' = 'raw'): Promise<string> {
  const { stdout } = await run('pdftotext', [`-${mode}`, '-enc', 'UTF-8', path, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Pages of a PDF (pdftotext separates them with form feeds). */
export async function pdfPages(path: string): Promise<string[]> {
  return (await pdftotext(path)).split('\f').slice(0, -1);
}

/** Every page's size in points as poppler's pdfinfo reads it ("595.28 x 841.89" is A4 portrait). */
export async function pdfPageSizes(path: string): Promise<Array<{ width: number; height: number }>> {
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '9999', path]);
  return [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((match) => ({ width: Number(match[1]), height: Number(match[2]) }));
}
