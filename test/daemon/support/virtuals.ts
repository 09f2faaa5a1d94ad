// Real VirtualService objects, produced by the real config loader from ldirectord.cf text.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import type { Config } from '../../../src/model/config';

export async function configFrom(text: string): Promise<Config> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ldd-v-'));
  const file = path.join(dir, 'ldirectord.cf');
  writeFileSync(file, text.replace(/@DIR@/g, dir));
  const r = await loadConfig(file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code} ${e.message}`).join('\n'));
  return r.config;
}
