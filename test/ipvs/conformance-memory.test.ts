import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import { describeIpvsConformance } from '../conformance/ipvs-conformance';

describeIpvsConformance('in-memory table', async () => createMemoryIpvs());
