// Typed IPVS errors with stable codes. The transport maps kernel errno values to these at its edge, and the
// in-memory table raises the same ones, so code above the client never looks at raw numbers.

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  ERANGE: 34,
  EAFNOSUPPORT: 97,
  ETIMEDOUT: 110,
} as const;

export type ErrnoName = keyof typeof ERRNO;

export type IpvsOperation =
  | 'resolve-family' | 'list-services' | 'get-service' | 'add-service' | 'edit-service' | 'delete-service'
  | 'list-dests' | 'add-dest' | 'edit-dest' | 'delete-dest' | 'zero' | 'info' | 'get-timeouts'
  | 'set-timeouts' | 'start-daemon' | 'stop-daemon' | 'list-daemons' | 'flush';

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
  return e instanceof Error && (e as IpvsError).name === 'IpvsError' && (code === undefined || (e as IpvsError).code === code);
}
