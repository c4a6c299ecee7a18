import { contentDisposition, exportFileName, sanitiseFileName } from './export-download';

describe('sanitiseFileName', () => {
  it.each([
    ['Holiday funnel', 'Holiday funnel'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a_b_c_d_e_f_g_h_i_j'],
    ['  line\nbreak\ttab  ', 'line break tab'],
    ['report\u202Efdp.exe', 'report fdp.exe'],
    ['...hidden...', 'hidden'],
    ['', 'export'],
    ['\u0000\u0001', 'export'],
    ['ホリデー_スポンサー広告', 'ホリデー_スポンサー広告'],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('bounds the length by characters without splitting an emoji', () => {
    const name = sanitiseFileName('😀'.repeat(200));
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith('😀')).toBe(true);
  });
});

describe('exportFileName', () => {
  it('adds the completion date and the format extension, and marks raw exports', () => {
    const completedAt = new Date('2026-09-14T10:00:00Z');
    expect(exportFileName({ reportName: 'Q3: funnel', format: 'excel', scope: 'dashboard', completedAt })).toBe('Q3_ funnel 2026-09-14.xlsx');
    expect(exportFileName({ reportName: 'Q3', format: 'csv', scope: 'raw', completedAt })).toBe('Q3 raw 2026-09-14.csv');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name percent-encoded (RFC 5987)', () => {
    expect(contentDisposition('Café ホリデー (1).pdf')).toBe(
      `attachment; filename="Cafe ____ (1).pdf"; filename*=UTF-8''Caf%C3%A9%20%E3%83%9B%E3%83%AA%E3%83%87%E3%83%BC%20%281%29.pdf`,
    );
  });

  it('never lets a quote or a semicolon end the quoted fallback early', () => {
    expect(contentDisposition('a";b.csv')).toBe(`attachment; filename="a__b.csv"; filename*=UTF-8''a%22%3Bb.csv`);
  });
});
