// Status server settings: safe defaults, `none`, and refusal of a non-loopback address without TLS and users,
// with the directive's file:line in the message.
import { prepareObservability } from '../../../src/observe/http/observability';
import { isLoopback, parseHostPort, statusSettings, DEFAULT_STATUS_PORT } from '../../../src/observe/http/settings';
import { createLogger, createMemorySink } from '../../../src/observe/log/logger';
import { loadText, realPool } from '../status/support/stack';
import { codeOf } from './support/code-of';

const at = { file: '/etc/ha.d/ldirectord.cf', line: 7, col: 15 };
const s = (value: string) => ({ value, at });

describe('status settings', () => {
  it('defaults to loopback on the documented port, without TLS or users', () => {
    expect(statusSettings({})).toEqual({ enabled: true, host: '127.0.0.1', port: DEFAULT_STATUS_PORT, loopback: true });
  });

  it.each(['none', 'off', '', 'NONE'])('is off with statusaddress %j', (v) => {
    expect(statusSettings({ statusaddress: s(v) })).toEqual({ enabled: false });
  });

  it('accepts loopback addresses of both families and localhost', () => {
    expect(statusSettings({ statusaddress: s('127.0.0.2:0') })).toMatchObject({
      host: '127.0.0.2',
      port: 0,
      loopback: true,
    });
    expect(statusSettings({ statusaddress: s('[::1]:9999') })).toMatchObject({
      host: '::1',
      port: 9999,
      loopback: true,
    });
    expect(statusSettings({ statusaddress: s('localhost:80') })).toMatchObject({ host: '127.0.0.1', loopback: true });
  });

  it.each([
    ['0.0.0.0:9186', 'missing statustlscert and statustlskey and statususers'],
    ['192.0.2.1:443', 'missing statustlscert and statustlskey and statususers'],
    ['[::]:9186', 'missing statustlscert and statustlskey and statususers'],
  ])('refuses %s without TLS and users, naming file:line', (addr, missing) => {
    expect(codeOf(() => statusSettings({ statusaddress: s(addr) }))).toBe(
      `STATUS_INSECURE: /etc/ha.d/ldirectord.cf:7:15: statusaddress ${addr} is not a loopback address: the status server then needs TLS and authentication (${missing}); use 127.0.0.1 or ::1, or statusaddress none`,
    );
  });

  it('refuses a non-loopback address with TLS but no users, and with users but no TLS', () => {
    expect(
      codeOf(() => statusSettings({ statusaddress: s('0.0.0.0:1'), statustlscert: s('/c'), statustlskey: s('/k') })),
    ).toMatch(/^STATUS_INSECURE: .*ldirectord\.cf:7:15: .*missing statususers\)/);
    expect(codeOf(() => statusSettings({ statusaddress: s('0.0.0.0:1'), statususers: s('/u') }))).toMatch(
      /^STATUS_INSECURE: .*missing statustlscert and statustlskey\)/,
    );
  });

  it('accepts a non-loopback address with TLS and users', () => {
    expect(
      statusSettings({
        statusaddress: s('0.0.0.0:8443'),
        statustlscert: s('/c'),
        statustlskey: s('/k'),
        statususers: s('/u'),
      }),
    ).toEqual({
      enabled: true,
      host: '0.0.0.0',
      port: 8443,
      loopback: false,
      tls: { cert: '/c', key: '/k' },
      usersFile: '/u',
    });
  });

  it('wants the certificate and key together', () => {
    expect(codeOf(() => statusSettings({ statustlscert: s('/c') }))).toMatch(
      /^STATUS_TLS_INCOMPLETE: \/etc\/ha\.d\/ldirectord\.cf:7:15: statustlscert and statustlskey must be given together/,
    );
  });

  it.each(['9186', 'host:80', '127.0.0.1', '127.0.0.1:99999', '::1:80', '[127.0.0.1]:80', '127.0.0.1:-1'])(
    'rejects the address %j',
    (addr) => {
      expect(codeOf(() => statusSettings({ statusaddress: s(addr) }))).toMatch(
        /^STATUS_BAD_ADDRESS: \/etc\/ha\.d\/ldirectord\.cf:7:15: statusaddress/,
      );
    },
  );

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', 'localhost'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(parseHostPort('[2001:db8::1]:80')).toEqual({ host: '2001:db8::1', port: 80 });
  });
});

describe('status directives through the real config loader', () => {
  it('refuses to start on a non-loopback address without TLS and users, naming file:line:col of the directive', async () => {
    const config = await loadText(
      ['checkinterval=5', 'statusaddress=0.0.0.0:9186', 'virtual=127.0.0.1:80', '\treal=127.0.0.2:80 masq', ''].join(
        '\n',
      ),
    );
    expect(config.global.statusaddress).toEqual({ value: '0.0.0.0:9186', at: { file: config.file, line: 2, col: 15 } });
    const logger = createLogger({ sink: createMemorySink() });
    await expect(prepareObservability({ config, ...realPool(), logger })).rejects.toMatchObject({
      code: 'STATUS_INSECURE',
      message: expect.stringMatching(
        new RegExp(
          `^${config.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:15: statusaddress 0\\.0\\.0\\.0:9186 is not a loopback address`,
        ),
      ),
    });
  });
});
