import { classifyFailure } from './classify-failure';
import { jsonbRefusal, UnstorableProfileTextError } from './profile-text-check';

describe('jsonbRefusal: what jsonb would refuse in a profile written as json', () => {
  it.each([
    ['a NUL in a value', { key: 'A\u0000B' }, '22P05'],
    ['a NUL in a name', { ['camp\u0000aign']: 1 }, '22P05'],
    ['a lone high surrogate', { key: 'x\ud800y' }, '22P02'],
    ['a lone low surrogate', { key: '\udc00' }, '22P02'],
  ])('%s', (_label, value, code) => {
    expect(jsonbRefusal(JSON.stringify(value))).toBe(code);
  });

  it.each([
    ['plain text', { campaign: 'Holiday_SP', impressions: 10 }],
    ['a surrogate pair (an emoji)', { campaign: 'Sale \ud83d\ude00' }],
    ['other control characters', { campaign: 'tab\there\u0001' }],
    ['an escaped backslash before "u0000"', { campaign: '\\u0000' }],
  ])('%s is storable', (_label, value) => {
    expect(jsonbRefusal(JSON.stringify(value))).toBeNull();
  });

  it('is classified as refused data, at once', () => {
    expect(classifyFailure(new UnstorableProfileTextError('22P05'))).toEqual({
      kind: 'permanent', code: 'INVALID_DATA',
      reason: 'the event or its result cannot be stored: a text holds a character the database cannot store in JSON (a NUL or a lone surrogate) (SQLSTATE 22P05)',
    });
  });
});
