// The two-director bed in the guest kernel (effectful edge of plan.ts): builds the namespaces, runs the
// real servers and the client, and starts, crashes and revives a director with whatever runs on it.
// Every resource taken pushes its teardown; dispose() runs them in reverse and is safe to call twice.
import * as path from 'node:path';

import {
  allNamespaces,
  benchPlan,
  clientNs,
  directorNs,
  directorPlan,
  directorPorts,
  realNs,
  REALS,
  sysctlPlan,
  VIP,
  type DirectorId,
  type Forwarding,
  type NsBatch,
} from './plan';
import { runInNs, startInNs, type NsProcess } from './ns-process';

const here = __dirname;

async function runBatch(b: NsBatch): Promise<void> {
  if (b.lines.length === 0) return;
  const args = [...(b.ns ? ['-n', b.ns] : []), '-batch', '-'];
  await runInNs(undefined, ['ip', ...args], b.lines.map((l) => `${l.join(' ')}\n`).join(''));
}

/** Writes sysctls through /proc from one shell in the namespace (one process, not one per key). */
function shellWrites(writes: ReadonlyArray<{ key: string; value: string }>): string {
  return writes.map((w) => `echo ${w.value} > /proc/sys/${w.key}`).join('; ');
}

export interface Bed {
  readonly forwarding: Forwarding;
  readonly client: NsProcess;
  /** A process kept in each live director namespace, so its /proc/<pid>/net is readable without a fork. */
  anchor(d: DirectorId): NsProcess | undefined;
  /** Brings director `d`'s namespace and links up (after a crash too) and returns its anchor. */
  directorUp(d: DirectorId): Promise<NsProcess>;
  /** Runs a program in director `d`'s namespace; it is killed with the director's crash. */
  onDirector(d: DirectorId, name: string, argv: readonly string[], env?: NodeJS.ProcessEnv): NsProcess;
  /** A shell command line run to completion in director `d`'s namespace. */
  shell(d: DirectorId, script: string): Promise<string>;
  /**
   * The node dies: its links go down first (nothing it does afterwards reaches anyone), then every process
   * in it is SIGKILLed and the namespace, with its IPVS table, its addresses and its sync daemons, is gone.
   */
  crash(d: DirectorId): Promise<void>;
  /** The last `n` output lines of every process the bed started, for a failure's message. */
  tail(n: number): string;
  dispose(): Promise<void>;
}

export async function buildBed(forwarding: Forwarding, o: { streams: number }): Promise<Bed> {
  const disposers: Array<() => Promise<void>> = [];
  const onDirectors = new Map<DirectorId, NsProcess[]>([
    [1, []],
    [2, []],
  ]);
  const anchors = new Map<DirectorId, NsProcess>();
  // A story cut off by its test's timeout keeps running: once the bed is disposed (the next test may already
  // have built its own, under the same namespace names), whatever the old story asks of it must fail.
  let disposed = false;
  const live = (what: string): void => {
    if (disposed) throw new Error(`pair bed: ${what} after dispose (a story outlived its test)`);
  };

  const teardownAll = async (): Promise<void> => {
    // Leftovers of an earlier run (a test that died) must not collide with this one.
    await runInNs(undefined, [
      'sh',
      '-c',
      // Only what exists: `ip link del` of a missing name makes the kernel try to load a module by that name.
      `for n in ${allNamespaces().join(' ')}; do [ -e /run/netns/$n ] || continue; ip netns pids $n | xargs -r kill -KILL; ip netns del $n; done; ` +
        'for l in pfront pback pcl prs1 prs2 prs3 pd1f pd1b pd2f pd2b; do [ -e /sys/class/net/$l ] && ip link del $l; done; true',
    ]);
  };
  await teardownAll();
  disposers.push(teardownAll);

  const nss = [clientNs, ...REALS.map(realNs)];
  await runBatch({ lines: nss.map((n) => ['netns', 'add', n]) });
  for (const b of benchPlan(forwarding)) await runBatch(b);
  for (const n of nss) await runBatch({ ns: n, lines: [['link', 'set', 'lo', 'up']] });
  const writes = sysctlPlan(forwarding);
  await runInNs(undefined, ['sh', '-c', shellWrites(writes.filter((w) => w.ns === undefined))]);
  for (const i of REALS) {
    const mine = writes.filter((w) => w.ns === realNs(i));
    if (mine.length > 0) await runInNs(realNs(i), ['sh', '-c', shellWrites(mine)]);
  }

  const servers = REALS.map((i) =>
    startInNs(`rs${i}`, realNs(i), [process.execPath, path.join(here, 'real-server.js'), `rs${i}`]),
  );
  disposers.push(async () => {
    await Promise.all(servers.map((s) => s.kill()));
  });
  await Promise.all(servers.map((s) => s.line(/^listening$/)));

  const client = startInNs('client', clientNs, [
    process.execPath,
    path.join(here, 'client.js'),
    VIP,
    String(o.streams),
  ]);
  disposers.push(() => client.kill());

  const killDirector = async (d: DirectorId): Promise<void> => {
    const procs = onDirectors.get(d) ?? [];
    await Promise.all(procs.splice(0).map((p) => p.kill('SIGKILL')));
    await anchors.get(d)?.kill('SIGKILL');
    anchors.delete(d);
    const ns = directorNs(d);
    await runInNs(undefined, [
      'sh',
      '-c',
      `[ -e /run/netns/${ns} ] || exit 0; ip netns pids ${ns} | xargs -r kill -KILL; ` +
        `${directorPorts(d)
          .map((p) => `[ -e /sys/class/net/${p} ] && ip link del ${p};`)
          .join(' ')} ip netns del ${ns}; true`,
    ]);
  };
  disposers.push(async () => {
    await killDirector(1);
    await killDirector(2);
  });

  const bed: Bed = {
    forwarding,
    client,
    anchor: (d) => anchors.get(d),
    async directorUp(d) {
      live(`director ${d} up`);
      const ns = directorNs(d);
      await runBatch({ lines: [['netns', 'add', ns]] });
      for (const b of directorPlan(d)) await runBatch(b);
      await runBatch({ ns, lines: [['link', 'set', 'lo', 'up']] });
      const anchor = startInNs(`anchor-d${d}`, ns, ['sh', '-c', 'echo up; exec sleep 100000']);
      await anchor.line(/^up$/);
      anchors.set(d, anchor);
      return anchor;
    },
    onDirector(d, name, argv, env) {
      live(`${name} on director ${d}`);
      const p = startInNs(`${name}@d${d}`, directorNs(d), argv, env);
      onDirectors.get(d)?.push(p);
      return p;
    },
    shell: async (d, script) => {
      live(`a shell on director ${d}`);
      return runInNs(directorNs(d), ['sh', '-c', script]);
    },
    async crash(d) {
      live(`crash of director ${d}`);
      await runBatch({
        ns: directorNs(d),
        lines: [
          ['link', 'set', 'eth0', 'down'],
          ['link', 'set', 'eth1', 'down'],
        ],
      });
      await killDirector(d);
    },
    tail(n) {
      const all = [...servers, client, ...[...onDirectors.values()].flat()];
      return all.map((p) => `--- ${p.name} (pid ${p.pid}):\n${p.lines.slice(-n).join('\n')}`).join('\n');
    },
    async dispose() {
      disposed = true;
      while (disposers.length > 0)
        await disposers
          .pop()?.()
          .catch(() => undefined);
    },
  };
  return bed;
}
