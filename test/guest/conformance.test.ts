// The IPVS conformance suite (test/conformance) against the real kernel, through our netlink client: it must
// pass here exactly as it passes on the in-memory table (test/ipvs/conformance-memory.test.ts).
//
// The request timeout is raised from the production 5 s: in the full guest suite, on a loaded 2-core host, a
// sync-daemon start/stop once went unanswered for 5 s right after the suites that create and delete many
// network namespaces (the kernel serialises both on rtnl). Slowness is not what this suite checks.
import { openIpvs } from '../../src/ipvs';
import { describeIpvsConformance } from '../conformance/ipvs-conformance';

describeIpvsConformance('kernel (netlink client)', () => openIpvs({ timeoutMs: 30_000 }));
