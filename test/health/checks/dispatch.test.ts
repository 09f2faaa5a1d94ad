// The dispatcher: checktype first, then service for negotiate; a service without an implementation is a
// clear down result, never a throw.
import { createCheckRunner } from '../../../src/health/checks';
import type { Check } from '../../../src/health/types';
import { specFor } from '../spec-fixture';

const signal = new AbortController().signal;
const tagged =
  (tag: string): Check =>
  async () => ({ ok: true, reason: tag, durationMs: 0 });

test('negotiate goes to the services registry; a missing service is down with a reason', async () => {
  const run = createCheckRunner({ services: { smtp: tagged('smtp check') } });
  expect((await run(specFor({ service: 'smtp' }), signal)).reason).toBe('smtp check');
  expect(await run(specFor({ service: 'radius', port: 1812 }), signal)).toMatchObject({
    ok: false,
    reason: 'negotiate radius 127.0.0.1:1812: no check available for service radius',
  });
  expect(await run(specFor({ service: 'none' }), signal)).toMatchObject({ ok: true, reason: 'service none: no check' });
});

test('connect on a UDP virtual is a ping (docs/behaviour.md §3.1); on TCP a TCP connect', async () => {
  const run = createCheckRunner({ ping: tagged('ping'), connect: tagged('tcp connect') });
  expect((await run(specFor({ checktype: { kind: 'connect' }, protocol: 'udp' }), signal)).reason).toBe('ping');
  expect((await run(specFor({ checktype: { kind: 'connect' }, protocol: 'tcp' }), signal)).reason).toBe('tcp connect');
  expect((await run(specFor({ checktype: { kind: 'ping' } }), signal)).reason).toBe('ping');
});

test('on and off need no check', async () => {
  const run = createCheckRunner();
  expect(await run(specFor({ checktype: { kind: 'on' } }), signal)).toMatchObject({ ok: true, reason: 'checktype on' });
  expect(await run(specFor({ checktype: { kind: 'off' } }), signal)).toMatchObject({
    ok: false,
    reason: 'checktype off',
  });
});
