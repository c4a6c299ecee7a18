import { findUnstorableText, unstorableTextProblem } from './storable-text';

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
});
