// The IPVS conformance suite (test/conformance) against the real kernel, through our netlink client: it must
// pass here exactly as it passes on the in-memory table (test/ipvs/conformance-memory.test.ts).
import { openIpvs } from '../../src/ipvs';
import { describeIpvsConformance } from '../conformance/ipvs-conformance';

describeIpvsConformance('kernel (netlink client)', () => openIpvs());
