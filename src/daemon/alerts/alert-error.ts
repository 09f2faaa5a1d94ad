// The one error type of alert delivery: a stable code and a message naming the server (or mailer) and the step.

export class AlertError extends Error {
  readonly code: 'ALERT_SMTP' | 'ALERT_TIMEOUT' | 'ALERT_SENDMAIL' | 'ALERT_ADDRESS';
  constructor(code: AlertError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AlertError';
    this.code = code;
  }
}
