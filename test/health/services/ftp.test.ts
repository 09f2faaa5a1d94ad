import { epsvPort, ftpCheck, pasvPort } from '../../../src/health/services/ftp';
import { startVsftpd, type VsftpdServer } from '../../support/daemons/vsftpd';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

describe('ftp reply parsing', () => {
  it('reads PASV and EPSV ports', () => {
    expect(pasvPort('227 Entering Passive Mode (127,0,0,1,78,52).')).toBe(78 * 256 + 52);
    expect(pasvPort('227 nonsense')).toBeUndefined();
    expect(epsvPort('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(epsvPort('229 (|||0|)')).toBeUndefined();
  });
});

describe('ftp check against vsftpd', () => {
  let ftp: VsftpdServer;
  beforeAll(async () => {
    ftp = await startVsftpd({ 'health.txt': 'status: all good\n' });
  });
  afterAll(async () => {
    await ftp?.stop();
    expect(descendants()).toEqual([]); // the daemons and everything they forked are gone
  });

  const families = (): [string, number][] => [
    ['127.0.0.1', ftp.port],
    ['::1', ftp.port6],
  ];

  it('up when the file content matches receive (IPv4 PASV and IPv6 EPSV)', async () => {
    for (const [address, port] of families()) {
      const r = await ftpCheck(
        makeSpec({
          service: 'ftp',
          address,
          port,
          login: 'anonymous',
          passwd: 'ldirectord@test',
          request: '/health.txt',
          receive: 'all good',
        }),
        never,
      );
      expect(r).toMatchObject({ ok: true });
      expect(r.reason).toContain('retrieved health.txt (17 bytes)');
    }
  });

  it('empty receive: up when the transfer completes', async () => {
    const r = await ftpCheck(makeSpec({ service: 'ftp', port: ftp.port, request: '/health.txt' }), never);
    expect(r.ok).toBe(true);
  });

  it('down when the content does not match', async () => {
    const r = await ftpCheck(
      makeSpec({ service: 'ftp', port: ftp.port, request: '/health.txt', receive: 'broken' }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(
      /^FTP 127\.0\.0\.1:\d+: health\.txt: content does not match \/broken\/; got "status: all good\\n"$/,
    );
  });

  it('down, with the server reply, when the file is missing', async () => {
    const r = await ftpCheck(
      makeSpec({ service: 'ftp', address: '::1', port: ftp.port6, request: '/missing.txt', receive: 'x' }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^FTP \[::1\]:\d+: RETR missing\.txt failed: 550 /);
  });

  it('down when login is refused', async () => {
    const r = await ftpCheck(
      makeSpec({ service: 'ftp', port: ftp.port, login: 'root', passwd: 'x', request: '/health.txt' }),
      never,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/login as root failed: 5\d\d /);
  });
});
