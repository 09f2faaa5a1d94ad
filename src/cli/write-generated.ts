// Developer tool: regenerate docs/config.md's tables, schema/virtual-service.schema.json and the man page
// docs/ldirectord.8 from the directive table (and the CLI usage). Run `npx tsx src/cli/write-generated.ts`
// after changing src/config/directives.ts, codes.ts or the command line.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS } from './args';
import { usageText } from './usage';
import { VERSION } from '../model/version';
import { updateDoc } from '../config/docs';
import { renderManPage } from './man-page';
import { virtualServiceSchema } from '../config/schema';

export function schemaText(): string {
  return `${JSON.stringify(virtualServiceSchema(), null, 2)}\n`;
}

export async function manPageText(): Promise<string> {
  return renderManPage({ version: VERSION, usage: await usageText(), actions: ACTIONS });
}

async function writeAll(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const docPath = join(root, 'docs', 'config.md');
  writeFileSync(docPath, updateDoc(readFileSync(docPath, 'utf8')));
  writeFileSync(join(root, 'schema', 'virtual-service.schema.json'), schemaText());
  writeFileSync(join(root, 'docs', 'ldirectord.8'), await manPageText());
  process.stdout.write('updated docs/config.md, schema/virtual-service.schema.json and docs/ldirectord.8\n');
}

if (require.main === module) {
  writeAll().catch((e: unknown) => {
    process.stderr.write(`write-generated: ${String(e)}\n`);
    process.exitCode = 1;
  });
}
