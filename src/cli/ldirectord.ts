// The `ldirectord` program as bin/ldirectord runs it: V8's memory settings first (heap-flags.ts), then the
// CLI. `npm run build` bundles it with everything it loads into dist/bundle/ldirectord.js, so a start reads one
// file of ours instead of a few hundred (docs/decisions/018-bundled-entry-points.md).
import { applyHeapFlags } from '../daemon/process/heap-flags';

applyHeapFlags();
// Required after the flags are set, not imported (an import would be evaluated before them).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('./main') as typeof import('./main');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ldirectord: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
