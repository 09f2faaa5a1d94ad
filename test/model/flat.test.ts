import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flat } from '../../src/model/flat';

const SRC = path.join(__dirname, '..', '..', 'src');

test('flat`` makes the same text as the template literal', () => {
  const vid = 'tcp|inet|10.2.0.1|80';
  expect(flat`${vid}|${'127.0.0.1'}:${8080}`).toBe(`${vid}|127.0.0.1:8080`);
  expect(flat``).toBe('');
  expect(flat`${1}${2}`).toBe('12');
});

/** V8's string representation of each expression's value, as %DebugPrint names it, in a fresh node. */
function representations(expressions: readonly string[]): string[] {
  const script = `
    const { flat } = require(${JSON.stringify(path.join(SRC, 'model', 'flat.ts'))});
    const { destId } = require(${JSON.stringify(path.join(SRC, 'ipvs', 'keys.ts'))});
    const { destLabel } = require(${JSON.stringify(path.join(SRC, 'reconcile', 'keys.ts'))});
    const vid = ['tcp', 'inet', '10.2.0.1', '80'].join('|');
    const address = '127.0.' + String(Date.now() % 200) + '.1';
    for (const value of [${expressions.join(', ')}]) %DebugPrint(value);`;
  // stdout to a file: V8 prints with C stdio, and a pipe that node has made non-blocking drops what does not fit
  const dir = mkdtempSync(path.join(tmpdir(), 'flat-'));
  try {
    const fd = openSync(path.join(dir, 'out'), 'w');
    const r = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--require', require.resolve('tsx/cjs'), '-e', script],
      {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      },
    );
    closeSync(fd);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const out = readFileSync(path.join(dir, 'out'), 'utf8');
    return [...out.matchAll(/^ - type: (\w+)$/gm)].map((m) => m[1] as string);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the strings it builds are flat where a template literal makes a tree of parts', () => {
  expect(
    representations([
      '`${vid}|${address}:${8080}`',
      'flat`${vid}|${address}:${8080}`',
      "destId({ family: 'inet', address, port: 8080 })",
      "destLabel({ family: 'inet6', address: '2001:db8::' + address.length, port: 8080 })",
    ]),
  ).toEqual(['CONS_ONE_BYTE_STRING_TYPE', 'ONE_BYTE_STRING_TYPE', 'ONE_BYTE_STRING_TYPE', 'ONE_BYTE_STRING_TYPE']);
});
