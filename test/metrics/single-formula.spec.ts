import fs from 'node:fs';
import path from 'node:path';

/**
 * The metric layer is the one place a formula lives (STYLE "New rooms"): no app or other lib
 * divides one advertising quantity by another itself. This reads every source file outside
 * libs/metrics, comments and strings removed, and looks for such a division.
 */
const ROOT = path.join(__dirname, '../..');
const QUANTITY = String.raw`[\w.]*(?:click|impression|purchase|conversion|sale|spend|cost|reach|user|order|revenue)s?\w*(?:\[[^\]]+\])?`;
const DIVISION = new RegExp(`${QUANTITY}\\)?\\s*\\/\\s*\\(?${QUANTITY}`, 'i');
/** A label of a rate written out (metric ids such as 'roas' are how code names the layer's metrics, and fine). */
const NAMED_RATE = /['"`](?:CTR|ROAS|CPC|CPM|CPA|ACoS|ACOS|[Cc]onversion rate)['"`]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' || entry.name === 'dist' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Comments and string literals out (a sentence "clicks / spend" is no formula); template text too. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
    .replace(/`(?:[^`\\]|\\.)*`/g, '``');
}

export function formulasOutsideTheMetricLayer(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const code = codeOnly(fs.readFileSync(file, 'utf8'));
    code.split('\n').forEach((line, index) => {
      if (DIVISION.test(line)) found.push(`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
    });
    const raw = fs.readFileSync(file, 'utf8');
    raw.split('\n').forEach((line, index) => {
      if (NAMED_RATE.test(line)) found.push(`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('one formula per metric', () => {
  const files = ['apps', 'libs'].flatMap((top) =>
    fs.readdirSync(path.join(ROOT, top)).flatMap((name) => {
      const src = path.join(ROOT, top, name, 'src');
      return top === 'libs' && name === 'metrics' ? [] : fs.existsSync(src) ? sourceFiles(src) : [];
    }),
  );

  it('finds no CTR, ROAS, conversion rate or other ratio computed outside libs/metrics', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(formulasOutsideTheMetricLayer(files)).toEqual([]);
  });

  it('would find one', () => {
    const file = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'formula-')), 'second.ts');
    fs.writeFileSync(file, ['const ctr = totals.clicks / totals.impressions;', "const label = 'ROAS';", '// purchases / clicks in a comment is fine'].join('\n'));
    expect(formulasOutsideTheMetricLayer([file])).toEqual([
      expect.stringContaining('second.ts:1: const ctr = totals.clicks / totals.impressions;'),
      expect.stringContaining("second.ts:2: const label = 'ROAS';"),
    ]);
  });
});
