/**
 * Test helper: seeded random AMC-shaped CSV results with the nasty parts real ones have or could
 * have — quoted names with commas, doubled quotes and line breaks, array-like `path` text quoted
 * and not, NULL spelled several ways, numbers the fast path must hand over (exponents, blanks,
 * 17 digits), invalid cells, withheld rows, CRLF or LF (or a stray CRLF in an LF file), a BOM,
 * blank lines — and chunkings that cut inside quotes, CRLFs and UTF-8 characters.
 */
import type { ResultProfileOptions } from '../result-profile-builder';

export type Random = () => number;

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];
const chance = (random: Random, probability: number): boolean => random() < probability;

const ODD_NAMES = [
  'Campaign 12, "Q4"',
  'line one\nline two',
  'carriage\r\nreturn',
  'キャンペーン 春のセール',
  ' padded ',
  'NULL',
  'null',
  '',
  '   ',
  '__other__',
  '__null__',
  'a""b',
  'x'.repeat(300),
  '[not, an array]',
  'true',
  '12',
];
const AD_PRODUCTS = ['SPONSORED_PRODUCTS', 'SPONSORED_BRANDS', 'SPONSORED_DISPLAY', 'DSP', '', 'NULL'];
const PATHS = ['[Sponsored Products, DSP]', '[DSP]', '[]', ' [DSP] ', '[[1, "Brand_Defense_SB"], [2, "DSP"]]', '[Sponsored Brands]', '', 'NULL'];
const BOOLEANS = ['true', 'false', 'TRUE', 'False', ' true ', ''];
const FLAGS = ['true', 'false', 'false', 'false', 'TRUE', '1', '0', '', ' true', 'NULL'];
const ODD_NUMBERS = ['', '', 'NULL', 'null', ' 12 ', '1e3', '-2.5E-3', '-0', '.5', '5.', '+7', '007', '12345678901234567', '0.1234567890123456789', '9007199254740993', 'n/a', '1,234', '١٢', '\u00a042'];
const DATES = ['2026-10-01', '2026-10-02', '2026-10-03T08:00:00Z', '2026-10-04 23:59', '2026-02-30', '', 'NULL', 'yesterday'];

interface Column {
  name: string;
  cell: (random: Random, row: number) => string;
}

function number(random: Random, decimals: number, odd: number): string {
  if (chance(random, odd)) return pick(random, ODD_NUMBERS);
  const value = Math.floor(random() * 100_000) / 10 ** decimals;
  return chance(random, 0.1) ? String(-value) : value.toFixed(decimals);
}

function columnsFor(random: Random): Column[] {
  const campaigns = 1 + Math.floor(random() * (chance(random, 0.3) ? 400 : 30));
  const odd = chance(random, 0.5) ? 0.05 : 0;
  const all: Column[] = [
    { name: 'event_date', cell: (r) => (chance(r, odd) ? pick(r, DATES) : `2026-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`) },
    { name: 'campaign', cell: (r) => (chance(r, odd * 2) ? pick(r, ODD_NAMES) : `Campaign ${Math.floor(r() * campaigns)}${chance(r, 0.2) ? ', "evergreen"' : ''}`) },
    { name: 'campaign_id', cell: (r) => String(581000000000 + Math.floor(r() * campaigns)) },
    { name: 'ad_product_type', cell: (r) => pick(r, AD_PRODUCTS.slice(0, odd > 0 ? 6 : 4)) },
    { name: 'path', cell: (r) => (chance(r, odd) ? pick(r, ODD_NAMES) : pick(r, PATHS.slice(0, odd > 0 ? 8 : 6))) },
    { name: 'is_brand', cell: (r) => pick(r, BOOLEANS.slice(0, odd > 0 ? 6 : 2)) },
    { name: 'impressions', cell: (r) => number(r, 0, odd) },
    { name: 'clicks', cell: (r) => number(r, 0, odd) },
    { name: 'total_cost', cell: (r) => number(r, 2, odd) },
    { name: 'conversion_rate', cell: (r) => number(r, 6, odd) },
    { name: 'product_sales', cell: (r) => number(r, 2, odd) },
    { name: 'window_end', cell: (r) => (chance(r, odd) ? pick(r, DATES) : '2026-10-31') },
    { name: 'filtered', cell: (r) => pick(r, odd > 0 ? FLAGS : FLAGS.slice(0, 4)) },
  ];
  const kept = all.filter(() => chance(random, 0.75));
  return kept.length > 0 ? kept : all.slice(0, 3);
}

function quoteCell(random: Random, value: string): string {
  const mustQuote = /[",\r\n]/.test(value);
  return mustQuote || chance(random, 0.15) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A whole CSV result; withheld rows have NULL metrics (and `filtered` true when that column is there). */
export function randomAmcCsv(random: Random): Buffer {
  const columns = columnsFor(random);
  const rows = Math.floor(random() * (chance(random, 0.1) ? 1_500 : 150));
  const ending = chance(random, 0.5) ? '\r\n' : '\n';
  const strayCrlf = ending === '\n' && chance(random, 0.2);
  const lines = [columns.map((column) => quoteCell(random, column.name)).join(',')];
  for (let row = 0; row < rows; row++) {
    const withheld = chance(random, 0.05);
    const cells = columns.map((column) => {
      if (withheld && /impressions|clicks|cost|rate|sales/.test(column.name)) return '';
      if (withheld && column.name === 'filtered') return 'true';
      return column.cell(random, row);
    });
    lines.push(cells.map((cell) => quoteCell(random, cell)).join(','));
    if (chance(random, 0.02)) lines.push(''); // a blank line
  }
  let text = lines.map((line) => line + (strayCrlf && chance(random, 0.05) ? '\r\n' : ending)).join('');
  if (chance(random, 0.3)) text = text.slice(0, -ending.length); // no line ending after the last row
  if (chance(random, 0.3)) text = `\uFEFF${text}`;
  return Buffer.from(text, 'utf8');
}

/** Profile options small enough that caps, folding, sampling and cut keys all happen. */
export function randomProfileOptions(random: Random): ResultProfileOptions {
  if (chance(random, 0.4)) return {};
  const topK = 1 + Math.floor(random() * 20);
  return {
    topK,
    maxTrackedKeys: topK + Math.floor(random() * 40),
    maxTrackedPairs: topK + Math.floor(random() * 40),
    sampleSize: pick(random, [1, 2, 10, 100, 1000]),
    maxKeyLength: pick(random, [5, 20, 1000]),
    facetMaxKeys: pick(random, [2, 5, 50]),
    maxCrosses: pick(random, [0, 1, 16]),
    maxDates: pick(random, [3, 50, 10_000]),
  };
}

/**
 * The bytes cut into chunks: random sizes, and always right after some quotes, CRs and the first
 * byte of multi-byte characters, so records, quoted fields, CRLFs and characters span chunks.
 */
export function randomChunks(random: Random, bytes: Buffer): Buffer[] {
  const cuts = new Set<number>();
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    const special = byte === 0x22 || byte === 0x0d || byte >= 0xc0;
    if (special && chance(random, 0.3)) cuts.add(index + 1);
  }
  for (let at = 0; at < bytes.length; at += 1 + Math.floor(random() * 300)) cuts.add(at);
  const sorted = [...cuts].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const cut of [...sorted, bytes.length]) {
    chunks.push(bytes.subarray(previous, cut));
    previous = cut;
  }
  return chunks;
}
