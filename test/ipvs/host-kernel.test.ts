// Against this machine's own kernel, for real. The project's hosts are built without IPVS, so openIpvs must
// fail with IPVS_UNAVAILABLE and say how to fix it; on a host that does have IPVS it must open and answer.

import { existsSync } from 'node:fs';
import { openIpvs } from '../../src/ipvs';

const hasIpvs = existsSync('/proc/net/ip_vs');

describe(`the host kernel (${hasIpvs ? 'has IPVS' : 'no IPVS'})`, () => {
  it(hasIpvs ? 'opens and reports the IPVS version' : 'reports IPVS_UNAVAILABLE with how to load it', async () => {
    if (hasIpvs) {
      const ipvs = await openIpvs();
      try {
        expect((await ipvs.info()).version).toBe(0x010201);
      } finally {
        await ipvs.close();
      }
      return;
    }
    await expect(openIpvs({ timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'IPVS_UNAVAILABLE',
      errno: 2,
      operation: 'resolve-family',
      message: expect.stringMatching(/not available in this kernel.*modprobe ip_vs.*CONFIG_IP_VS/s),
    });
  });
});
