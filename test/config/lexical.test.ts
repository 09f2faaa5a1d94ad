// Lines, sections, comments, quoting and error reporting (docs/behaviour.md §2.1).

import { loadConfig } from '../../src/config/load';
import { errors, fakeResolver, load, memFs, ok, short } from './helpers';

describe('sections', () => {
  test('a section is the indented lines after virtual=; a tab or 4+ spaces both indent', async () => {
    const c = await ok('virtual=192.0.2.1:80\n    real=192.0.2.10:80 gate\n\treal=192.0.2.11:80 gate\n');
    expect(c.virtuals[0]!.reals.map((r) => r.address)).toEqual(['192.0.2.10', '192.0.2.11']);
  });

  test('comment lines inside a section, even unindented, do not end it', async () => {
    const c = await ok('virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n# a comment\n\t# another\n\tscheduler=rr\n');
    expect(c.virtuals[0]!.scheduler).toBe('rr');
  });

  test('a blank line ends the section: an indented line after it is an error', async () => {
    expect(await errors('virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n\n\tscheduler=rr\n')).toEqual([
      '4:1: E_SYNTAX indented line outside a virtual section (a blank line ends a section; global directives start in column 0)',
    ]);
  });

  test('an unindented line ends the section and is read as a global directive', async () => {
    const c = await ok(
      'virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\nquiescent=yes\nvirtual=192.0.2.2:80\n\treal=192.0.2.10:80 gate\n',
    );
    expect(c.global.quiescent).toBe(true);
    expect(c.virtuals.map((v) => [v.id, v.quiescent])).toEqual([
      ['tcp:192.0.2.1:80', true],
      ['tcp:192.0.2.2:80', true],
    ]);
  });

  test('indented by fewer than 4 spaces inside a section: not a section line', async () => {
    expect(await errors('virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n  scheduler=rr\n')).toEqual([
      '3:1: E_SYNTAX indented line outside a virtual section (a blank line ends a section; global directives start in column 0)',
    ]);
  });

  test('CRLF line ends are accepted', async () => {
    const c = await ok('checkinterval=4\r\nvirtual=192.0.2.1:80\r\n\treal=192.0.2.10:80 gate\r\n');
    expect([c.global.checkinterval, c.virtuals[0]!.reals.length]).toEqual([4, 1]);
  });

  test('an empty file is a valid config with no virtual services', async () => {
    expect((await ok('')).virtuals).toEqual([]);
  });
});

describe('directive lines', () => {
  test('spaces around = are allowed', async () => {
    const c = await ok('checkinterval = 7\nvirtual = 192.0.2.1:80\n\treal = 192.0.2.10:80 gate\n');
    expect([c.global.checkinterval, c.virtuals.length]).toEqual([7, 1]);
  });

  test('names are case-sensitive, with a hint', async () => {
    expect(await errors('CheckInterval=5\n')).toEqual([
      '1:1: E_UNKNOWN_DIRECTIVE unknown directive "CheckInterval" (directive names are lowercase: checkinterval)',
    ]);
  });

  test('unknown directives, in both scopes', async () => {
    expect(await errors('frobnicate=1\nvirtual=192.0.2.1:80\n\twibble=2\n')).toEqual([
      '1:1: E_UNKNOWN_DIRECTIVE unknown directive "frobnicate"',
      '3:2: E_UNKNOWN_DIRECTIVE unknown directive "wibble"',
    ]);
  });

  test('a line that is not name=value', async () => {
    expect(await errors('this is not a directive\n')).toEqual([
      '1:1: E_SYNTAX expected name=value, found "this is not a directive"',
    ]);
  });

  test('bare supervised means yes, with a warning; other bare words are errors', async () => {
    const r = await load('supervised\n');
    expect(r.ok && [r.config.global.supervised, r.config.warnings.map(short)]).toEqual([
      true,
      ['1:1: W_SUPERVISED_BARE bare "supervised" read as supervised=yes'],
    ]);
    expect(await errors('fork\n')).toEqual(['1:1: E_SYNTAX expected fork=value']);
  });

  test('global directives inside a section and virtual directives at global level', async () => {
    expect(await errors('scheduler=rr\nvirtual=192.0.2.1:80\n\tlogfile="local0"\n')).toEqual([
      '1:1: E_WRONG_SCOPE scheduler is only valid inside a virtual section (indent it under a virtual= line)',
      '3:2: E_WRONG_SCOPE logfile is a global directive and cannot be used inside a virtual section',
    ]);
  });

  test('an indented virtual= inside a section is refused', async () => {
    expect(await errors('virtual=192.0.2.1:80\n\tvirtual=192.0.2.2:80\n')).toEqual([
      '2:2: E_UNKNOWN_DIRECTIVE unknown directive "virtual" (a virtual section must start in column 0)',
    ]);
  });
});

describe('comments and quotes', () => {
  test('# outside quotes starts a comment, also on global lines', async () => {
    const c = await ok(
      'emailalert=ops@example.org # the on-call list\nvirtual=192.0.2.1:80 # web\n\treal=192.0.2.10:80 gate # first\n',
    );
    expect(c.global.emailalert).toEqual(['ops@example.org']);
    expect(c.virtuals[0]!.reals).toHaveLength(1);
  });

  test('# inside double quotes is part of the value', async () => {
    const c = await ok('virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n\treceive="#1 result" # comment\n');
    expect(c.virtuals[0]!.receive).toBe('#1 result');
  });

  test('quotes are optional for text values and stripped', async () => {
    const c = await ok(
      'virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n\tvirtualhost="www.example.org"\n\tcheckcommand=/bin/check\n',
    );
    expect([c.virtuals[0]!.virtualhost, c.virtuals[0]!.checkcommand]).toEqual(['www.example.org', '/bin/check']);
  });

  test('numbers followed by text are read as ldirectord does, with a warning', async () => {
    const r = await load('checkinterval=3s\n');
    expect(r.ok && [r.config.global.checkinterval, r.config.warnings.map(short)]).toEqual([
      3,
      ['1:16: W_NUMBER_SUFFIX checkinterval: ignored "s" after 3'],
    ]);
  });

  test('a directive given twice: the last wins, with a warning', async () => {
    const r = await load('checkinterval=3\ncheckinterval=4\n');
    expect(r.ok && [r.config.global.checkinterval, r.config.warnings.map(short)]).toEqual([
      4,
      ['2:1: W_DUPLICATE_DIRECTIVE checkinterval given again (first at line 1); the last value wins'],
    ]);
  });

  test('checkcount is deprecated: a warning', async () => {
    const r = await load('checkcount=2\n');
    expect(r.ok && r.config.warnings.map((w) => w.code)).toEqual(['W_DEPRECATED']);
  });
});

describe('error reporting', () => {
  test('every error of the file is reported in one run, in file order, with file:line:col', async () => {
    const text = [
      'checktimeout=0',
      'autoreload=sometimes',
      'virtual=192.0.2.1:80',
      '\treal=192.0.2.10:80 bridge',
      '\tscheduler=WRR',
      '',
      'virtual=192.0.2.2',
      '\treal=192.0.2.10:80 gate',
      '',
    ].join('\n');
    const r = await loadConfig('/etc/ha.d/bad.cf', {
      resolver: fakeResolver(),
      ...memFs({ '/etc/ha.d/bad.cf': text }),
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.source.file}:${e.source.line}:${e.source.col}: ${e.code}`)).toEqual([
      '/etc/ha.d/bad.cf:1:14: E_BAD_INTEGER',
      '/etc/ha.d/bad.cf:2:12: E_BAD_BOOLEAN',
      '/etc/ha.d/bad.cf:4:21: E_BAD_REAL',
      '/etc/ha.d/bad.cf:5:12: E_BAD_VALUE',
      '/etc/ha.d/bad.cf:7:9: E_MISSING_PORT',
    ]);
    expect(r.errors.every((e) => e.severity === 'error')).toBe(true);
  });

  test('a failed load returns no config at all (no partly applied globals, docs/behaviour.md §4.5)', async () => {
    const r = await load('quiescent=yes\nautoreload=maybe\n');
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'E_BAD_BOOLEAN' })], warnings: [] });
    expect('config' in r).toBe(false);
  });

  test('warnings are kept apart from errors', async () => {
    const r = await load('checkcount=2\nfork=maybe\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.errors.map((e) => e.code), r.warnings.map((w) => w.code)]).toEqual([['E_BAD_BOOLEAN'], ['W_DEPRECATED']]);
  });

  test('a missing main file is an E_IO diagnostic, not an exception', async () => {
    const r = await loadConfig('/nope.cf', { resolver: fakeResolver(), ...memFs({}) });
    expect(r.ok === false && r.errors.map(short)).toEqual(['1:1: E_IO cannot read /nope.cf: ENOENT']);
  });

  test('the loaded config is deeply frozen', async () => {
    const c = await ok('virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.virtuals[0]!.reals[0]!)).toBe(true);
    expect(Object.isFrozen(c.global.emailalertstatus)).toBe(true);
    expect(() => {
      (c.virtuals as unknown as unknown[]).push(1);
    }).toThrow(TypeError);
  });
});

test('diagnostics come in file order even when a global line follows a section', async () => {
  const r = await load('virtual=192.0.2.1:80\n\tscheduler=WRR\nfork=maybe\n');
  expect(r.ok === false && r.errors.map((e) => `${e.source.line}:${e.code}`)).toEqual([
    '2:E_BAD_VALUE',
    '3:E_BAD_BOOLEAN',
  ]);
});

test('a UTF-8 byte order mark at the start is ignored', async () => {
  expect((await ok('\uFEFFcheckinterval=4\n')).global.checkinterval).toBe(4);
});
