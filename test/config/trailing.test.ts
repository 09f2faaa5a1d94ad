// Read as the Perl ldirectord reads: trailing text after service=, scheduler= and after the closing quote of
// request=/receive= is ignored (with W_TRAILING_TEXT), and a line of blanks only is a blank line (ldirectord
// refused it; docs/compat.md "Trailing text and blank lines" says why we do not).

import { cf, ok, short } from './helpers';

describe('trailing text, as ldirectord reads it', () => {
  test.each([
    [
      'service=http foo',
      { service: 'http' },
      '3:15: W_TRAILING_TEXT service: ignored "foo" after the value, as ldirectord does',
    ],
    [
      'scheduler=wlc extra words',
      { scheduler: 'wlc' },
      '3:16: W_TRAILING_TEXT scheduler: ignored "extra words" after the value, as ldirectord does',
    ],
    [
      'request="/health" x',
      { request: '/health' },
      '3:20: W_TRAILING_TEXT request: ignored "x" after the value, as ldirectord does',
    ],
    [
      'receive="OK" trailing',
      { receive: 'OK' },
      '3:15: W_TRAILING_TEXT receive: ignored "trailing" after the value, as ldirectord does',
    ],
  ])('%s', async (line, expected, warning) => {
    const c = await ok(cf('', 'virtual=192.0.2.1:80', 'real=192.0.2.10:80 gate', line));
    expect(c.virtuals[0]).toMatchObject(expected);
    expect(c.warnings.map(short)).toEqual([warning]);
  });

  test('a quoted value runs to the last quote, as ldirectord\'s "(.*)"', async () => {
    const c = await ok(cf('', 'virtual=192.0.2.1:80', 'real=192.0.2.10:80 gate', 'receive="a" "b"'));
    expect(c.virtuals[0]).toMatchObject({ receive: 'a" "b' });
    expect(c.warnings).toEqual([]);
  });

  test('a line of blanks only is a blank line: it ends the section and is not an error', async () => {
    const c = await ok(
      'checktimeout=3\n   \t\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n    \nchecktimeout=4\n',
    );
    expect(c.virtuals.map((v) => v.reals.length)).toEqual([1]);
    expect(c.global.checktimeout).toBe(4);
  });
});
