// A misspelt directive gets the closest known name as a hint; a made-up word gets none.

import { closest } from '../../src/config/suggest';
import { cf, errors } from './helpers';

describe('did you mean', () => {
  test('reqeust → request, in the error at its line', async () => {
    expect(await errors(cf('', 'virtual=192.0.2.1:80', 'real=192.0.2.10:80 gate', 'reqeust="/"'))).toEqual([
      '3:2: E_UNKNOWN_DIRECTIVE unknown directive "reqeust" (did you mean request?)',
    ]);
  });

  test.each([
    ['checktimout', 'checktimeout'],
    ['quiesent', 'quiescent'],
    ['schedular', 'scheduler'],
    ['emailalrt', 'emailalert'],
  ])('%s → %s', (typo, known) => {
    expect(closest(typo, ['checktimeout', 'quiescent', 'scheduler', 'emailalert', 'request'])).toBe(known);
  });

  test('no hint for a word that is not close to any directive', () => {
    expect(closest('banana', ['checktimeout', 'request', 'real'])).toBeUndefined();
    expect(closest('x'.repeat(1000), ['request'])).toBeUndefined();
  });
});
