import { parse } from 'csv-parse/sync';
import { seededRandom } from '@amc-reports/testing/src/seeded-random';
import { CsvScanError, CsvScanner } from './csv-scanner';

/** Records of `text` fed in chunks of `size` bytes (whole when omitted), with each record's start line. */
function scan(text: string | Buffer, size?: number, maxRecordBytes = 1 << 20): Array<{ line: number; fields: string[] }> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const records: Array<{ line: number; fields: string[] }> = [];
  const scanner = new CsvScanner((record) => records.push({ line: record.line, fields: record.texts() }), maxRecordBytes);
  const step = size ?? Math.max(1, bytes.length);
  for (let at = 0; at < bytes.length; at += step) scanner.push(bytes.subarray(at, at + step));
  scanner.end();
  return records;
}

const fieldsOf = (text: string, size?: number) => scan(text, size).map((record) => record.fields);

function scanError(text: string, maxRecordBytes?: number): CsvScanError {
  try {
    scan(text, undefined, maxRecordBytes);
  } catch (error) {
    if (error instanceof CsvScanError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('CsvScanner', () => {
  it.each<[string, string, string[][]]>([
    ['commas and doubled quotes inside quotes', 'campaign,clicks\n"Campaign 1, ""Q4""",1\n', [['campaign', 'clicks'], ['Campaign 1, "Q4"', '1']]],
    ['a CRLF file with LF inside quotes', 'a,b\r\n"line one\nline two",1\r\n', [['a', 'b'], ['line one\nline two', '1']]],
    ['an LF file with CRLF inside quotes', 'a,b\n"line one\r\nline two",1\n', [['a', 'b'], ['line one\r\nline two', '1']]],
    ['a BOM', '\uFEFFcampaign,clicks\nA,1\n', [['campaign', 'clicks'], ['A', '1']]],
    ['array-like text, quoted and not', 'path,n\n"[Sponsored Products, DSP]",1\n[DSP],2\n"[[1, ""X""]]",3\n', [['path', 'n'], ['[Sponsored Products, DSP]', '1'], ['[DSP]', '2'], ['[[1, "X"]]', '3']]],
    ['blank lines, a quoted empty field, no final line ending', 'a,b\n\n"",1\n\r\n\nx,', [['a', 'b'], ['', '1'], ['\r'], ['x', '']]],
    ['an old Mac file (CR endings)', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['a CR in an LF file is text', 'a,b\n1,2\r\n3,4\n', [['a', 'b'], ['1', '2\r'], ['3', '4']]],
    ['a LF in a CRLF file is text', 'a,b\r\n1,2\n3,4\r\n', [['a', 'b'], ['1', '2\n3', '4']]],
    ['Japanese text', 'キャンペーン,clicks\n"春のセール, 2026",1\n', [['キャンペーン', 'clicks'], ['春のセール, 2026', '1']]],
  ])('reads %s as csv-parse does, in any chunking', (_name, text, expected) => {
    expect(fieldsOf(text)).toEqual(expected);
    expect(parse(Buffer.from(text), { bom: true, skip_empty_lines: true, relax_column_count: true })).toEqual(expected);
    for (const size of [1, 2, 3, 5, 7]) expect(fieldsOf(text, size)).toEqual(expected);
  });

  it('numbers each record by the line it starts on, counting line breaks inside quotes', () => {
    expect(scan('a,b\r\n"x\r\ny",1\r\n\r\nz,2\r\n').map((record) => record.line)).toEqual([1, 2, 5]);
  });

  it.each<[string, string, string, number]>([
    ['a quote never closed', 'a,b\n1,2\n"x,\n3\n', 'unclosed_quote', 3],
    ['text after a closing quote', 'a,b\n"x"y,1\n', 'invalid_closing_quote', 2],
    ['a CR after a closing quote in an LF file', 'a,b\n"x"\r\n', 'invalid_closing_quote', 2],
    ['a quote inside an unquoted field', 'a,b\n1,2\nx"y,3\n', 'invalid_opening_quote', 3],
  ])('refuses %s and names the line', (_name, text, code, line) => {
    expect(scanError(text)).toMatchObject({ code, line });
  });

  it('refuses a record larger than maxRecordBytes, buffering no more than that', () => {
    const endless = `a,b\n"${'x'.repeat(10_000)}`;
    const scanner = new CsvScanner(() => undefined, 1024);
    expect(() => {
      for (let at = 0; at < endless.length; at += 100) scanner.push(Buffer.from(endless.slice(at, at + 100)));
    }).toThrow(expect.objectContaining({ code: 'record_too_large', line: 2 }));
    expect(scanError(`a\n${'y'.repeat(2000)}\n`, 1024)).toMatchObject({ code: 'record_too_large', line: 2 });
  });

  it('reads 2,000 seeded random nasty inputs exactly as csv-parse does (records or the error), whole and byte by byte', () => {
    const random = seededRandom(7);
    const pieces = ['a', ' ', ',', '"', '""', '\n', '\r', '\r\n', 'é', '日', '[', ']', '1', '\uFEFF'];
    const codes: Record<string, string> = {
      INVALID_OPENING_QUOTE: 'invalid_opening_quote',
      CSV_INVALID_CLOSING_QUOTE: 'invalid_closing_quote',
      CSV_QUOTE_NOT_CLOSED: 'unclosed_quote',
    };
    const outcome = (read: () => unknown): unknown => {
      try {
        return read();
      } catch (error) {
        const code = (error as { code: string }).code;
        return { error: codes[code] ?? code };
      }
    };
    let valid = 0;
    for (let iteration = 0; iteration < 2000; iteration++) {
      let text = random() < 0.2 ? '\uFEFF' : '';
      for (let count = Math.floor(random() * 30); count > 0; count--) text += pieces[Math.floor(random() * pieces.length)];
      const bytes = Buffer.from(text, 'utf8');
      const expected = outcome(() => parse(bytes, { bom: true, skip_empty_lines: true, relax_column_count: true }));
      if (Array.isArray(expected)) valid++;
      expect({ text, records: outcome(() => fieldsOf(text)) }).toEqual({ text, records: expected });
      expect({ text, records: outcome(() => fieldsOf(text, 1)) }).toEqual({ text, records: expected });
    }
    expect(valid).toBeGreaterThan(300);
  });
});
