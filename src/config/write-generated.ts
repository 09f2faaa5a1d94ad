// Developer tool: regenerate docs/config.md's tables and schema/virtual-service.schema.json from the directive
// table. Run `npx tsx src/config/write-generated.ts` after changing src/config/directives.ts or codes.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateDoc } from './docs';
import { virtualServiceSchema } from './schema';

export function schemaText(): string {
  return `${JSON.stringify(virtualServiceSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const docPath = join(root, 'docs', 'config.md');
  writeFileSync(docPath, updateDoc(readFileSync(docPath, 'utf8')));
  writeFileSync(join(root, 'schema', 'virtual-service.schema.json'), schemaText());
  process.stdout.write('updated docs/config.md and schema/virtual-service.schema.json\n');
}
