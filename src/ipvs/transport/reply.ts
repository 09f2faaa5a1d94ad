// What one netlink reply message means for the request it answers (docs/ipvs-protocol.md): NLMSG_ERROR with
// status 0 is the ACK that completes a doit request, NLMSG_DONE completes a dump (its status checked), a
// non-zero status rejects with the kernel's errno, NOOP and OVERRUN carry nothing, anything else is a part of
// the answer. Pure: the request layer (requester.ts) acts on the outcome.

import { CodecError } from '../codec/attrs';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN } from '../codec/constants';
import { donePayloadErrno, errorPayloadErrno, type NlMessage } from '../codec/netlink';
import { ERRNO, errnoName, IpvsError, type IpvsOperation } from '../errors';

export type ReplyOutcome = 'collect' | 'ignore' | { readonly error?: IpvsError };

export function replyOutcome(m: NlMessage, operation: IpvsOperation): ReplyOutcome {
  try {
    if (m.type === NLMSG_ERROR) {
      const errno = errorPayloadErrno(m.payload);
      return errno === 0 ? {} : { error: kernelError(operation, errno) };
    }
    if (m.type === NLMSG_DONE) {
      const errno = donePayloadErrno(m.payload);
      return errno === 0 ? {} : { error: kernelError(operation, errno, 'the dump ended with an error') };
    }
    if (m.type === NLMSG_NOOP || m.type === NLMSG_OVERRUN) return 'ignore';
    return 'collect';
  } catch (e) {
    const detail = e instanceof CodecError ? e.message : String(e);
    return {
      error: new IpvsError(operation, ERRNO.EINVAL, `malformed reply: ${detail}`, {
        code: 'IPVS_BAD_REPLY',
        cause: e,
      }),
    };
  }
}

function kernelError(operation: IpvsOperation, errno: number, prefix = 'the kernel refused the request'): IpvsError {
  return new IpvsError(operation, errno, `${prefix}: ${errnoName(errno)} (errno ${errno})`);
}
