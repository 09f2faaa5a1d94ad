// Typed errors of the status server, with stable codes (docs/observability.md lists them).

export type ObserveErrorCode =
  | 'STATUS_BAD_ADDRESS' // statusaddress does not parse
  | 'STATUS_INSECURE' // a non-loopback address without TLS and statususers
  | 'STATUS_TLS_INCOMPLETE' // only one of statustlscert / statustlskey
  | 'STATUS_TLS_UNREADABLE' // the certificate or key cannot be read or used
  | 'STATUS_USERS_UNREADABLE' // the statususers file cannot be read
  | 'STATUS_USERS_BAD_LINE' // a line of the statususers file is not user:SCRYPT-HASH (or its parameters are out of bounds)
  | 'STATUS_LISTEN_FAILED'; // bind/listen failed (address in use, not local, …)

export class ObserveError extends Error {
  constructor(
    readonly code: ObserveErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ObserveError';
  }
}
