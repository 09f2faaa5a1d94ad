// The conformance suite against a real kernel through the netlink client. Not a host test (the host kernel
// has no IPVS): run it inside the guest, as root, with test/conformance/run-in-guest.sh.
import { openIpvs } from '../../src/ipvs';
import { describeIpvsConformance } from './ipvs-conformance';

describeIpvsConformance('netlink client, real kernel', () => openIpvs({ timeoutMs: 10000 }));
