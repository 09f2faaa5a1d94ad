import { smtpCheck } from '../../../src/health/services/smtp';
import { startPostfix, type PostfixServer } from '../../support/daemons/postfix';
import { descendants } from '../../support/leaks';
import { makeSpec, never } from './spec-fixture';

let postfix: PostfixServer;
beforeAll(async () => {
  postfix = await startPostfix();
}, 30_000);
afterAll(async () => {
  await postfix?.stop();
  expect(descendants()).toEqual([]); // master and every smtpd it forked are gone
});

const matrix = (['smtp', 'submission'] as const).flatMap((s) => ['127.0.0.1', '::1'].map((a) => [s, a] as const));

it.each(matrix)('%s on %s: up after greeting and EHLO from a real Postfix', async (service, address) => {
  const port = service === 'smtp' ? postfix.smtp : postfix.submission;
  const r = await smtpCheck(makeSpec({ service, address, port }), never);
  expect(r).toMatchObject({ ok: true });
  expect(r.reason).toMatch(new RegExp(`^${service.toUpperCase()} .*:${port}: 220 mx\\.test ESMTP ldts-test$`));
});

it('down when nothing listens', async () => {
  const r = await smtpCheck(makeSpec({ service: 'smtp', port: 1 }), never);
  expect(r).toMatchObject({ ok: false, reason: 'SMTP 127.0.0.1:1: connect failed: ECONNREFUSED' });
});
