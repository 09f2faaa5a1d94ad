// SMTP envelope injection through a config value, against the real CLI process: an `emailalert` in a YAML
// fragment carrying CR LF and a second `RCPT TO` (issue: the mail server accepted the injected recipient).
// `start` must refuse the file with its file:line and never open a connection to the mail server.

import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { LAUNCHER, run, sandbox } from './support';

const SMTP_HOST = '127.0.0.77';
let smtp: Server;
let connections = 0;

beforeAll(async () => {
  smtp = createServer((socket) => {
    connections += 1;
    socket.end('220 test\r\n');
  });
  // Port 25 on an address of its own: alerts go to smtp= on port 25 (ldirectord's only port); the tests run as root.
  smtp.listen(25, SMTP_HOST);
  await once(smtp, 'listening');
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

test('an emailalert with CR LF in a YAML fragment is refused at file:line, and no mail is sent', async () => {
  const s = sandbox();
  const confd = path.join(s.dir, 'services');
  mkdirSync(confd);
  const fragment = path.join(confd, 'web.yaml');
  writeFileSync(
    fragment,
    [
      'virtual: 127.0.0.1:8081',
      'checktype: on',
      `smtp: ${SMTP_HOST}`,
      'emailalert: "ops@example.org\\r\\nRCPT TO:<intruder@example.net>"',
      'real:',
      '  - 127.0.0.2:8081 masq',
      '',
    ].join('\n'),
  );
  writeFileSync(s.cf, `checkinterval=1\nstatusaddress=none\nlogfile="${s.log}"\nconfdir=services\n`);

  const r = await run(LAUNCHER, ['--dry-run', s.cf, 'start'], s.env);

  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${fragment}:4:`);
  expect(r.stderr).toMatch(/E_CONTROL_CHAR emailalert: a CR character/);
  expect(connections).toBe(0);
});
