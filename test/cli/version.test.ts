// The one version string: package.json's, in the -v banner; the Perl release kept for the log lines.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packageVersion, PERL_RELEASE, VERSION, VERSION_LINE } from '../../src/model/version';

describe('version', () => {
  it("is package.json's, in the -v line after the Perl banner", () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect([VERSION, VERSION_LINE, PERL_RELEASE]).toEqual([
      pkg.version,
      `Linux Director v1.186-ha (ldirectord-ts ${pkg.version})`,
      'Linux Director v1.186-ha',
    ]);
  });

  it('names the file when package.json has no version', () => {
    expect(() => packageVersion('{"name":"x"}', '/opt/x/package.json')).toThrow(
      '/opt/x/package.json: no "version" string',
    );
    expect(packageVersion('{"version":"2.0.0"}', 'p')).toBe('2.0.0');
  });
});
