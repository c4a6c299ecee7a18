import { findUnstorableText, mayHoldUnstorableText, unstorableTextProblem } from './storable-text';

describe('storable text', () => {
  it.each([
    ['plain text', 'Brand — Q4 🎯 キャンペーン', null],
    ['a NUL character', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800b', /surrogate/],
    ['a lone low surrogate', '\udc00', /surrogate/],
    ['a high surrogate at the end', 'abc\ud83d', /surrogate/],
    ['a valid pair', '\ud83d\ude00', null],
  ])('%s', (_label, text, expected) => {
    const problem = unstorableTextProblem(text);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('names the field of the first bad string, however deep', () => {
    expect(findUnstorableText({ result: { rows: [['ok', 1], ['x', 'bad\u0000']] } })).toEqual({ field: 'result.rows.1.1', message: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ name: 'fine', settings: { 'key\ud800': 1 } })).toEqual({ field: 'settings.key\ud800', message: expect.stringMatching(/key contains a lone/) });
    expect(findUnstorableText('\u0000')).toEqual({ field: '(body)', message: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ a: [1, true, null, { b: 'ok' }] })).toBeNull();
  });

  it('names prototype keys, and leaves an ordinary "constructor" key alone', () => {
    expect(findUnstorableText(JSON.parse('{"settings":{"__proto__":{"isAdmin":true}}}'))).toEqual({
      field: 'settings.__proto__', message: expect.stringMatching(/"__proto__" is not allowed/),
    });
    expect(findUnstorableText(JSON.parse('{"a":{"constructor":{"prototype":{}}}}'))?.field).toBe('a.constructor');
    expect(findUnstorableText({ constructor: 'a column name' })).toBeNull();
  });

  // The gateway skips the walk when the body text cannot hold what it refuses: never wrongly.
  it('skips no body the walk would refuse: every UTF-16 code unit as a value and as a key', () => {
    const missed: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const unit = String.fromCharCode(code);
      const text = JSON.stringify({ rows: [[`a${unit}b`]], [`k${unit}`]: 1 });
      if (!mayHoldUnstorableText(text) && findUnstorableText(JSON.parse(text)) !== null) missed.push(code);
    }
    expect(missed).toEqual([]);
  });

  it.each([
    ['an escaped NUL', '{"a":"x\\u0000"}'],
    ['an escaped lone surrogate in a key', '{"k\\ud800":1}'],
    ['a prototype key', '{"s":{"__proto__":{"isAdmin":true}}}'],
    ['a prototype key written with an escape', '{"s":{"\\u005f_proto__":{"isAdmin":true}}}'],
    ['constructor.prototype', '{"a":{"constructor":{"prototype":{}}}}'],
  ])('walks a body with %s, and the walk refuses it', (_, text) => {
    expect(mayHoldUnstorableText(text)).toBe(true);
    expect(findUnstorableText(JSON.parse(text))).not.toBeNull();
  });

  it('skips the walk for an ordinary event body', () => {
    expect(mayHoldUnstorableText(JSON.stringify({ result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['Café – Ünïcode ✓', 1]] } }))).toBe(false);
  });
});
