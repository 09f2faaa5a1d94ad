// emailalert: turns the director's server changes into mails (docs/behaviour.md §4.9). Filtering (emailalertstatus
// against the daemon's state, empty recipient list = off) and reminders are decided here; delivery runs in the
// background, one mail at a time, so a slow or dead mail server never holds up a check or an IPVS change.

import type { DaemonState, SmtpSettings, VirtualService } from '../../model/config';
import type { Clock } from '../../health/types';
import type { Logger } from '../process/collaborators';
import type { ServerEvents, ServerChange } from './events';
import { buildAlert, type OutgoingAlert } from './message';
import { applyChange, dueReminders, type ReminderTable } from './reminders';

export interface AlertTransport {
  /** Direct SMTP to the smtp= host. */
  smtp(host: string, alert: OutgoingAlert, settings: SmtpSettings): Promise<void>;
  /** The local mailer (sendmail -t). */
  sendmail(alert: OutgoingAlert): Promise<void>;
}

export interface AlerterDeps {
  readonly hostname: string;
  /** Unix user name: the envelope sender is `<user>@<hostname>`. */
  readonly user: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly state: () => DaemonState;
  /** Global emailalertfrom (read per mail, so a reload takes effect). */
  readonly from: () => string | undefined;
  /** Global smtpstarttls/smtpuser/smtppasswordfile (read per mail); default: plain SMTP, no AUTH. */
  readonly smtpSettings?: () => SmtpSettings;
  readonly transport: AlertTransport;
  /** How often due reminders are looked for; default 1000 ms. */
  readonly reminderTickMs?: number;
  /** How long stop() waits for queued mails before abandoning them; default 10000 ms. */
  readonly stopGraceMs?: number;
}

export interface Alerter {
  /** Handle one server change: maybe a mail, maybe a reminder registered/cleared. */
  handle(change: ServerChange): void;
  attach(events: ServerEvents): () => void;
  /** Starts the reminder timer. */
  start(): void;
  /** Stops the reminder timer and waits for queued mails, at most stopGraceMs; the rest are abandoned. */
  stop(): Promise<void>;
  /** Resolves when every mail queued so far was handed over or failed. */
  idle(): Promise<void>;
  /** Looks for due reminders now (the timer calls it). */
  tick(): void;
}

export function createAlerter(d: AlerterDeps): Alerter {
  let reminders: ReminderTable = new Map();
  let queue: Promise<void> = Promise.resolve();
  let timer: unknown;
  let running = false;
  let abandoned = false;
  let queued = 0;

  const deliver = (v: VirtualService, text: string): void => {
    const state = d.state();
    if (v.emailalert.length === 0 || !v.emailalertstatus.includes(state)) return;
    const mail = buildAlert({ text, hostname: d.hostname, state, servicename: v.servicename, comment: v.comment });
    const sender = `${d.user}@${d.hostname}`;
    const from = d.from() ?? sender;
    const alert: OutgoingAlert = { sender, from, recipients: v.emailalert, mail, date: new Date(d.clock.now()) };
    const settings = d.smtpSettings?.() ?? { starttls: 'no' };
    const smtp = v.smtp;
    d.logger.info(`emailalert: ${mail.subject}`);
    queued++;
    queue = queue.then(async () => {
      queued--;
      if (abandoned) return;
      try {
        if (smtp !== undefined && smtp !== '') {
          await d.transport.smtp(smtp, alert, settings);
        } else {
          await d.transport.sendmail(alert);
        }
      } catch (e) {
        const what =
          smtp !== undefined && smtp !== '' ? 'failed to send SMTP email message' : 'failed to send email message';
        d.logger.error(`${what}: ${(e as Error).message}`);
      }
    });
  };

  const handle = (change: ServerChange): void => {
    reminders = applyChange(reminders, change, () => d.clock.now());
    deliver(change.virtual, change.message);
  };

  const tick = (): void => {
    const { due, table } = dueReminders(reminders, d.clock.now());
    reminders = table;
    for (const r of due) deliver(r.virtual, r.text);
  };

  const schedule = (): void => {
    if (!running) return;
    timer = d.clock.setTimeout(() => {
      tick();
      schedule();
    }, d.reminderTickMs ?? 1000);
  };

  return {
    handle,
    attach: (events) => events.onServerChange(handle),
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer !== undefined) d.clock.clearTimeout(timer);
      timer = undefined;
      // A dead mail server must not hold up the daemon's stop: wait a bounded time, then give up.
      const graceMs = d.stopGraceMs ?? 10_000;
      let graceTimer: unknown;
      const grace = new Promise<'late'>((resolve) => {
        graceTimer = d.clock.setTimeout(() => resolve('late'), graceMs);
      });
      const outcome = await Promise.race([queue.then(() => 'done' as const), grace]);
      d.clock.clearTimeout(graceTimer);
      if (outcome === 'late') {
        abandoned = true;
        d.logger.error(
          `emailalert: ${queued + 1} alert mail(s) not sent: the mail server did not answer within ${graceMs / 1000} s of the stop`,
        );
      }
    },
    idle: () => queue,
    tick,
  };
}
