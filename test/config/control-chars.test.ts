// CR, LF and NUL are refused in every value at the config boundary, with file:line, in both syntaxes: values
// reach SMTP envelopes (emailalert, emailalertfrom), log lines (servicename) and metric labels.

import { formatDiagnostic } from '../../src/config/load';
import { errors, load } from './helpers';

const D = '/etc/ha.d/services';

describe('control characters in values', () => {
  test.each([
    ['emailalertfrom=ops@example.org\rRCPT TO:<x@evil>', '1:31: E_CONTROL_CHAR emailalertfrom: a CR character'],
    ['emailalert=ops@example.org\0', '1:27: E_CONTROL_CHAR emailalert: a NUL character'],
  ])('.cf global %j', async (line, expected) => {
    const e = await errors(`${line}\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n`);
    expect(e).toHaveLength(1);
    expect(e[0]).toContain(expected);
  });

  test('.cf servicename with a CR (a forged log line) is refused at its line', async () => {
    const e = await errors(
      'virtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n\tservicename=web\r2026 forged: Deleted real server\n',
    );
    expect(e).toEqual([
      '3:17: E_CONTROL_CHAR servicename: a CR character is not allowed in a value (values reach log lines, mail commands and metric labels)',
    ]);
  });

  test.each([
    ['emailalert: "a@example.org\\r\\nRCPT TO:<evil@example.org>"', 'emailalert: a CR character'],
    ['servicename: "web\\nforged line"', 'servicename: a LF character'],
    ['emailalert: ["a@example.org", "b@example.org\\u0000"]', 'emailalert: a NUL character'],
  ])('YAML %s', async (entry, expected) => {
    const r = await load('confdir=services\n', {
      [`${D}/web.yaml`]: `virtual: 192.0.2.1:80\nreal: ["192.0.2.10:80 gate"]\n${entry}\n`,
    });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.errors.map(formatDiagnostic);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${D}/web\\.yaml:3:\\d+: E_CONTROL_CHAR `));
    expect(lines[0]).toContain(expected);
  });

  test('a value without control characters still loads', async () => {
    const r = await load(
      'emailalertfrom=ops@example.org\nvirtual=192.0.2.1:80\n\treal=192.0.2.10:80 gate\n\tservicename=web\n',
    );
    expect(r.ok).toBe(true);
  });
});
