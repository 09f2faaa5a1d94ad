// One address module for the tree (src/model/address.ts): the config, the IPVS codec and the DNS check give
// the same canonical text for the same address, because they all call it.

import { canonicalAddress as configCanonical } from '../../src/config/address';
import { formatIPv6 } from '../../src/health/services/dns-wire';
import { canonicalAddress as ipvsCanonical } from '../../src/ipvs/codec/address';
import { canonicalIp, intToIpv4, ipv4ToInt, parseIpv6 } from '../../src/model/address';

describe('src/model/address.ts', () => {
  test.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['fe80:0:0:1:0:0:0:0', 'fe80:0:0:1::'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
  ])('%s → %s, the same in config, IPVS codec and DNS check', (input, out) => {
    expect(canonicalIp(input)).toBe(out);
    expect(configCanonical(input)).toBe(out);
    expect(ipvsCanonical('inet6', input)).toBe(out);
    expect(formatIPv6(parseIpv6(input)!)).toBe(out);
  });

  test('not an address: undefined, never a throw', () => {
    for (const bad of ['', '1.2.3', '1.2.3.256', '2001:db8::1::2', 'g::1', 'host.example'])
      expect(canonicalIp(bad)).toBeUndefined();
  });

  test('IPv4 as a number, both ways', () => {
    expect(ipv4ToInt('192.0.2.254')).toBe(0xc00002fe);
    expect(intToIpv4(0xc00002fe + 3)).toBe('192.0.3.1');
    expect(intToIpv4(ipv4ToInt('255.255.255.255'))).toBe('255.255.255.255');
  });
});
