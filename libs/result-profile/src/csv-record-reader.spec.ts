import { seededRandom } from '@amc-reports/testing/src/seeded-random';
import { readNumberCell } from './cell-values';
import { readPlainDecimal } from './csv-record-reader';

const read = (text: string): number => readPlainDecimal(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text));

describe('readPlainDecimal', () => {
  it.each<[string, number]>([
    ['690.0', 690],
    ['-3', -3],
    ['+7', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
    ['9530.25', 9530.25],
    ['0.000254', 0.000254],
    ['581000000000', 581_000_000_000],
    ['999999999999999', 999_999_999_999_999],
  ])('reads %s as %d, exactly as Number() does', (text, expected) => {
    expect(read(text)).toBe(expected);
    expect(read(text)).toBe(Number(text));
  });

  it('keeps the sign of zero as Number() does', () => {
    expect(Object.is(read('-0'), -0)).toBe(true);
    expect(Object.is(read('-0.0'), -0)).toBe(true);
  });

  it.each(['', '-', '+', '.', '1.2.3', '--1', '1e3', ' 12', '12 ', 'NULL', '1,234', '0x1F', '1234567890123456', '0.1234567890123456789', '١٢'])(
    'hands %j to the general reader (NaN)',
    (text) => {
      expect(read(text)).toBeNaN();
    },
  );

  it('agrees with readNumberCell on 100,000 seeded random decimals of up to 15 digits', () => {
    const random = seededRandom(15);
    for (let index = 0; index < 100_000; index++) {
      const digits = 1 + Math.floor(random() * 15);
      let text = '';
      for (let digit = 0; digit < digits; digit++) text += String(Math.floor(random() * 10));
      const dot = Math.floor(random() * (digits + 2)) - 1;
      if (dot >= 0) text = `${text.slice(0, dot)}.${text.slice(dot)}`;
      if (random() < 0.3) text = `-${text}`;
      const expected = readNumberCell(text);
      if (expected === undefined) throw new Error(`generator made a non-number: ${text}`);
      if (!Object.is(read(text), expected)) expect({ text, value: read(text) }).toEqual({ text, value: expected });
    }
  });
});
