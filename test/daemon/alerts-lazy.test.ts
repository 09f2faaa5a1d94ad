// nodemailer is loaded when an alert is sent, not before: a director without emailalert never loads it
// (docs/decisions/014-mail-library.md). The module registry records the first require of 'nodemailer'.
import { createAlerter } from '../../src/daemon/alerts/alerter';
import { systemAlertTransport } from '../../src/daemon/process/system';
import { configFrom } from './support/virtuals';
import { createFakeClock, WALL_CLOCK_START } from '../support/fake-clock';
import { memoryLogger } from './support/memory-logger';
import { startSmtpSink } from './support/smtp-sink';

const mockLoads: string[] = [];
jest.mock('nodemailer', () => {
  mockLoads.push('nodemailer');
  return jest.requireActual('nodemailer');
});

test('no emailalert: nodemailer is never required; the first alert mail requires it', async () => {
  const sink = await startSmtpSink();
  try {
    const c = await configFrom('smtp=127.0.0.1\nvirtual=127.0.0.1:80\n\treal=127.0.0.2:80 masq\n');
    const v = c.virtuals[0];
    if (v === undefined) throw new Error('no virtual');
    const logger = memoryLogger();
    const alerter = createAlerter({
      hostname: 'lb1',
      user: 'root',
      clock: createFakeClock({ start: WALL_CLOCK_START }),
      logger,
      state: () => 'running',
      from: () => undefined,
      transport: systemAlertTransport('lb1', { port: sink.port }),
    });
    const change = {
      kind: 'deleted' as const,
      virtual: v,
      server: { address: '127.0.0.2', port: 80 },
      fallback: false,
      message: 'Deleted real server: 127.0.0.2:80 (127.0.0.1:80)',
    };
    alerter.handle(change);
    await alerter.idle();
    expect(mockLoads).toEqual([]);
    expect(sink.messages).toEqual([]);

    alerter.handle({ ...change, virtual: { ...v, emailalert: ['ops@example.org'] } });
    await alerter.idle();
    expect(mockLoads).toEqual(['nodemailer']);
    expect(sink.messages.map((m) => m.recipients)).toEqual([['ops@example.org']]);
    expect(logger.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  } finally {
    await sink.close();
  }
});
