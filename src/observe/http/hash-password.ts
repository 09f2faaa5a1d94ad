// Prints a statususers line: `tsx src/observe/http/hash-password.ts USER` (or node dist/…/hash-password.js)
// reads the password from the first line of standard input, so it never appears in the process list.

import { hashPassword } from './users';

async function main(argv: readonly string[]): Promise<number> {
  const user = argv[0];
  if (user === undefined || argv.length !== 1) {
    process.stderr.write('usage: hash-password USER  (password on standard input)\n');
    return 2;
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password === '') {
    process.stderr.write('hash-password: empty password on standard input\n');
    return 2;
  }
  process.stdout.write(`${await hashPassword(user, password)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (c) => {
      process.exitCode = c;
    },
    (e: Error) => {
      process.stderr.write(`hash-password: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
