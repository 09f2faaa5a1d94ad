import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { OpLog } from '../../src/ipvs/memory/oplog';

const dest = { family: 'inet' as const, address: '127.0.0.1', port: 80 };
const service = { family: 'inet' as const, protocol: 'tcp' as const, address: '10.0.0.1', port: 80 };

test('a record carries the call, its outcome, its seq and whether it changes the table; absent keys are absent', () => {
  const log = new OpLog(3);
  expect(log.add({ operation: 'add-dest', outcome: 'ok', service, dest })).toEqual({
    operation: 'add-dest',
    outcome: 'ok',
    service,
    dest,
    seq: 1,
    mutating: true,
  });
  const listed = log.add({ operation: 'list-services', outcome: 'ok' });
  expect(Object.keys(listed).sort()).toEqual(['mutating', 'operation', 'outcome', 'seq']);
  expect(listed).toMatchObject({ seq: 2, mutating: false });
  expect(Object.isFrozen(listed)).toBe(true);
  log.add({ operation: 'zero', outcome: 'ESRCH', service });
  log.add({ operation: 'flush', outcome: 'ok' });
  expect(log.all().map((r) => r.seq)).toEqual([2, 3, 4]);
  expect(log.counts()).toEqual({ 'add-dest': 1, 'list-services': 1, zero: 1, flush: 1 });
});

test('records of the same kind share one V8 hidden class (a spread gave each its own)', () => {
  const script = `
    const { OpLog } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'ipvs', 'memory', 'oplog.ts'))});
    const log = new OpLog(1000);
    const rs = [];
    for (let i = 0; i < 1000; i++)
      rs.push(log.add({ operation: 'add-dest', outcome: 'ok', service: { family: 'inet' }, dest: { family: 'inet', address: '127.0.0.' + (i % 250), port: i } }));
    let same = 0;
    for (const r of rs) if (%HaveSameMap(rs[0], r)) same++;
    process.stdout.write(String(same));`;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--require', require.resolve('tsx/cjs'), '-e', script],
    {
      encoding: 'utf8',
    },
  );
  expect(Number(out)).toBe(1000);
});
