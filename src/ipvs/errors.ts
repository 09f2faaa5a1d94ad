// Typed IPVS errors with stable codes. The transport maps kernel errno values to these at its edge, and the
// in-memory table raises the same ones, so code above the client never looks at raw numbers.

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  ENODEV: 19,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  ERANGE: 34,
  EAFNOSUPPORT: 97,
  ETIMEDOUT: 110,
} as const;

export type IpvsOperation =
  | 'resolve-family'
  | 'list-services'
  | 'get-service'
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'list-dests'
  | 'add-dest'
  | 'edit-dest'
  | 'delete-dest'
  | 'zero'
  | 'info'
  | 'get-timeouts'
  | 'set-timeouts'
  | 'start-daemon'
  | 'stop-daemon'
  | 'list-daemons'
  | 'flush';

const NAMES = new Map<number, string>(Object.entries(ERRNO).map(([name, n]) => [n, name]));

export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `E${errno}`;
}

/**
 * A failed IPVS operation. `code` is the errno name (`EEXIST`, `ESRCH`, …) or an IPVS_* code for failures
 * that are not a kernel answer (`IPVS_UNAVAILABLE`, `IPVS_NO_CAP_NET_ADMIN`, `IPVS_TIMEOUT`, `IPVS_SOCKET`).
 */
export class IpvsError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly operation: IpvsOperation;

  constructor(operation: IpvsOperation, errno: number, message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IpvsError';
    this.operation = operation;
    this.errno = errno;
    this.code = options?.code ?? errnoName(errno);
  }
}

export function isIpvsError(e: unknown, code?: string): e is IpvsError {
  return (
    e instanceof Error &&
    (e as IpvsError).name === 'IpvsError' &&
    (code === undefined || (e as IpvsError).code === code)
  );
}

/**
 * Every IPVS_* code the IPVS layer raises (kernel answers keep their errno name: EEXIST, ESRCH, …).
 * docs/decisions/002-netlink-binding.md lists the same codes; test/ipvs/error-codes.test.ts keeps them in step.
 */
export const IPVS_ERROR_CODES = {
  IPVS_UNAVAILABLE:
    'the kernel has no IPVS (generic netlink family "IPVS" unknown): `modprobe ip_vs`, or a kernel with CONFIG_IP_VS',
  IPVS_NO_CAP_NET_ADMIN: 'the kernel answered EPERM: the process lacks CAP_NET_ADMIN in the initial user namespace',
  IPVS_TIMEOUT: 'no answer within the request timeout (errno ETIMEDOUT); the socket is re-created',
  IPVS_SOCKET: 'the socket could not be opened, failed, or was re-created before the request was answered',
  IPVS_CLOSED: 'the client (or in-memory table) was closed',
  IPVS_BAD_REQUEST: 'a model value that cannot be encoded (bad address, port out of range, fractional weight, …)',
  IPVS_BAD_REPLY: 'a reply that does not decode',
  IPVS_BAD_OPTION: 'openIpvs options out of range (window outside 1..64, sockets outside 1..16, timeout not positive)',
  IPVS_BAD_ADDRESS: 'codec-internal: address text that does not parse (reaches callers as IPVS_BAD_REQUEST)',
  IPVS_BAD_MESSAGE: 'codec-internal: bytes that do not parse (reaches callers as IPVS_BAD_REPLY)',
} as const;
