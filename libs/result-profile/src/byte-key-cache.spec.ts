import { ByteKeyCache, CACHE_MISS } from './byte-key-cache';

const bytes = (text: string) => Buffer.from(text, 'utf8');

function remember(cache: ByteKeyCache, text: string, value: number): void {
  const buffer = bytes(text);
  expect(cache.get(buffer, 0, buffer.length)).toBe(CACHE_MISS);
  cache.set(buffer, 0, buffer.length, value);
}

const lookUp = (cache: ByteKeyCache, text: string): number => cache.get(bytes(text), 0, bytes(text).length);

describe('ByteKeyCache', () => {
  it('answers what was set for the same bytes, wherever they sit in a buffer', () => {
    const cache = new ByteKeyCache();
    remember(cache, 'Campaign 1, "Q4"', 7);
    remember(cache, '', 3);
    const row = bytes('2026-10-01,Campaign 1, "Q4",DSP');
    expect(cache.get(row, 11, 27)).toBe(7);
    expect(cache.get(row, 10, 10)).toBe(3);
    expect(cache.get(row, 11, 26)).toBe(CACHE_MISS); // a prefix is another key
  });

  it('keeps 10,000 keys apart through its growth (no lost or mixed-up entries)', () => {
    const cache = new ByteKeyCache({ maxEntries: 20_000, maxBytes: 1 << 20, maxKeyBytes: 256 });
    for (let key = 0; key < 10_000; key++) remember(cache, `segment_${key}`, key);
    for (let key = 0; key < 10_000; key++) expect(lookUp(cache, `segment_${key}`)).toBe(key);
    expect(lookUp(cache, 'segment_10000')).toBe(CACHE_MISS);
  });

  it.each<[string, { maxEntries: number; maxBytes: number; maxKeyBytes: number }, string[], string]>([
    ['entries', { maxEntries: 2, maxBytes: 1000, maxKeyBytes: 100 }, ['a', 'b'], 'c'],
    ['bytes', { maxEntries: 100, maxBytes: 6, maxKeyBytes: 100 }, ['abc', 'def'], 'g'],
    ['key length', { maxEntries: 100, maxBytes: 1000, maxKeyBytes: 3 }, ['abc'], 'abcd'],
  ])('stops remembering past its %s cap (bounded memory), still answering what it holds', (_cap, limits, held, refused) => {
    const cache = new ByteKeyCache(limits);
    held.forEach((text, index) => remember(cache, text, index));
    remember(cache, refused, 99);
    expect(lookUp(cache, refused)).toBe(CACHE_MISS);
    held.forEach((text, index) => expect(lookUp(cache, text)).toBe(index));
  });
});
