import { ERRNO, IpvsError, errnoName, isIpvsError } from '../../src/ipvs/errors';

describe('IpvsError', () => {
  it('names kernel errnos and keeps operation and cause', () => {
    const cause = new Error('socket said no');
    const e = new IpvsError('add-dest', ERRNO.EEXIST, 'destination already exists', { cause });
    expect(e.code).toBe('EEXIST');
    expect(e.errno).toBe(17);
    expect(e.operation).toBe('add-dest');
    expect(e.cause).toBe(cause);
    expect(isIpvsError(e, 'EEXIST')).toBe(true);
    expect(isIpvsError(e, 'ESRCH')).toBe(false);
  });

  it('falls back to E<n> for unknown errnos and accepts an explicit code', () => {
    expect(errnoName(999)).toBe('E999');
    const e = new IpvsError('resolve-family', ERRNO.ENOENT, 'no IPVS', { code: 'IPVS_UNAVAILABLE' });
    expect(e.code).toBe('IPVS_UNAVAILABLE');
  });
});
