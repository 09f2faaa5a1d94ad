// Operator overrides across a restart: restored at start (only for configured real servers), saved after each
// change; and end to end, a drain restored from the file keeps a healthy real server at weight 0.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseOverrides, type OverrideFs } from '../../../src/observe/actions/override-store';
import { nodeOverrideFs, persistedOverrides } from '../../../src/observe/actions/persisted-overrides';
import { until } from '../../support/until';
import { httpCheckedCf, loadText, startReal, startStack, tempDir } from '../status/support/stack';

const cf = (ports: readonly number[]): string =>
  httpCheckedCf(
    ['checkinterval=1', 'quiescent=no'],
    ports.map((p) => `127.0.0.1:${p} masq 4`),
  );
const id = (port: number): string => `tcp:127.0.0.1:8080|127.0.0.1:${port}`;

function logger() {
  const lines: string[] = [];
  return {
    lines,
    logger: { info: (m: string) => void lines.push(`info ${m}`), error: (m: string) => void lines.push(`error ${m}`) },
  };
}

test('restores the overrides of configured real servers, drops the others, and logs each', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ov.json');
  writeFileSync(file, JSON.stringify({ version: 1, overrides: { [id(1001)]: 'drain', [id(9999)]: 'maintenance' } }));
  const config = await loadText(cf([1001, 1002]), dir);
  const log = logger();
  const { overrides } = await persistedOverrides({ file, config, logger: log.logger, fs: nodeOverrideFs });
  expect([...overrides.all()]).toEqual([[id(1001), 'drain']]);
  expect(log.lines).toEqual([
    `info operator override restored from ${file}: ${id(1001)} set to drain`,
    `info operator override in ${file} dropped: ${id(9999)} is no longer configured`,
  ]);
});

test('every change is saved, in order: the file holds the last state', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ov.json');
  const config = await loadText(cf([1001, 1002]), dir);
  const p = await persistedOverrides({ file, config, logger: logger().logger, fs: nodeOverrideFs });
  const done = [
    p.overrides.change(id(1001), 'drain'),
    p.overrides.change(id(1002), 'maintenance'),
    p.overrides.change(id(1001), undefined),
  ];
  expect(await Promise.all(done)).toEqual([true, true, true]);
  await p.saved();
  expect([...parseOverrides(readFileSync(file, 'utf8'), file).overrides]).toEqual([[id(1002), 'maintenance']]);
});

test('a change whose save fails rejects with the reason and changes nothing', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ov.json');
  const config = await loadText(cf([1001]), dir);
  const full: OverrideFs = {
    ...nodeOverrideFs,
    writeFile: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
  };
  const p = await persistedOverrides({ file, config, logger: logger().logger, fs: full });
  await expect(p.overrides.change(id(1001), 'drain')).rejects.toThrow(
    `${file}: cannot save the operator overrides (ENOSPC); nothing changed`,
  );
  expect(p.overrides.get(id(1001))).toBeUndefined();
});

test('forgetting overrides of removed real servers is saved best-effort; a failure is logged', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ov.json');
  writeFileSync(file, JSON.stringify({ version: 1, overrides: { [id(1001)]: 'drain' } }));
  const config = await loadText(cf([1001]), dir);
  const full: OverrideFs = {
    ...nodeOverrideFs,
    writeFile: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
  };
  const log = logger();
  const p = await persistedOverrides({ file, config, logger: log.logger, fs: full });
  p.overrides.retain(new Set());
  await p.saved();
  expect(p.overrides.all().size).toBe(0);
  expect(log.lines.at(-1)).toBe(`error ${file}: cannot save the operator overrides: ENOSPC`);
});

test('a broken file is reported with its name and the daemon starts without overrides', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ov.json');
  writeFileSync(file, '{"version": 1, "overrides": ');
  const log = logger();
  const p = await persistedOverrides({
    file,
    config: await loadText(cf([1001]), dir),
    logger: log.logger,
    fs: nodeOverrideFs,
  });
  expect(p.overrides.all().size).toBe(0);
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatch(new RegExp(`^error ${file.replace(/[.]/g, '\\.')}: not valid JSON`));
});

test('end to end: a drain restored from the file keeps the healthy real server in the kernel at weight 0', async () => {
  const a = await startReal();
  const b = await startReal();
  const dir = tempDir();
  const overridesFile = path.join(dir, 'ov.json');
  writeFileSync(overridesFile, JSON.stringify({ version: 1, overrides: { [id(a.port)]: 'drain' } }));
  const stack = await startStack(await loadText(cf([a.port, b.port]), dir), { overridesFile });
  try {
    const weights = async (): Promise<Map<number, number> | undefined> => {
      const [svc] = await stack.ipvs.listServices();
      if (svc === undefined) return undefined;
      const dests = await stack.ipvs.listDests(svc);
      return dests.length === 2 ? new Map(dests.map((d) => [d.port, d.weight])) : undefined;
    };
    const w = await until('both real servers in the table', weights);
    expect(w.get(a.port)).toBe(0);
    expect(w.get(b.port)).toBe(4);
    const reals = (await stack.obs.status()).virtuals[0]?.reals ?? [];
    expect(reals.map((r) => r.override).sort()).toEqual(['drain', 'none']);
  } finally {
    await stack.stop();
    await a.down();
    await b.down();
  }
});
