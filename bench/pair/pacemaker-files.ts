// Writes the pacemaker arrangement's node files (corosync.conf, cib.xml, node.sh per node) into DIR/d1 and
// DIR/d2, for bench/pair/pacemaker-probe (the cluster alone, without a director or a client):
//   npx tsx bench/pair/pacemaker-files.ts DIR [nat|dr] [TOKEN_MS]
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { cibXml, corosyncConfig, nodeScript } from '../../test/support/pair/pacemaker-config';
import type { Forwarding } from '../../test/support/pair/plan';

const [dirArg, fwd = 'nat', token = '5000'] = process.argv.slice(2);
if (dirArg === undefined) throw new Error('usage: pacemaker-files.ts DIR [nat|dr] [TOKEN_MS]');
const root = path.resolve(dirArg);
for (const d of [1, 2] as const) {
  const dir = path.join(root, `d${d}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'corosync.conf'),
    corosyncConfig({ tokenMs: Number(token) }, path.join(dir, 'corosync.log')),
  );
  writeFileSync(path.join(dir, 'cib.xml'), cibXml(fwd as Forwarding));
  writeFileSync(path.join(dir, 'node.sh'), nodeScript(d, dir));
}
