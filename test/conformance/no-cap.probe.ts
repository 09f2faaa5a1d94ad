// Run as an unprivileged user by netlink.kernel.ts: prints the code openIpvs/info fail with, as JSON.
import { openIpvs } from '../../src/ipvs';

async function main(): Promise<void> {
  try {
    const ipvs = await openIpvs({ timeoutMs: 10000 });
    try {
      await ipvs.info();
      console.log(JSON.stringify({ code: 'ok' }));
    } finally {
      await ipvs.close();
    }
  } catch (e) {
    const err = e as { code?: string; errno?: number; operation?: string; message?: string };
    console.log(JSON.stringify({ code: err.code, errno: err.errno, operation: err.operation, message: err.message }));
  }
}

void main();
