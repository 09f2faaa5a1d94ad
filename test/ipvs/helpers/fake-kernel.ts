// Minimal kernel-side answers for client tests: CTRL_CMD_GETFAMILY replies and plain ACK/errno answers.

import { str, u16, u32 } from '../../../src/ipvs/codec/attrs';
import {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_ATTR_MAXATTR,
  CTRL_ATTR_VERSION,
  CTRL_CMD_NEWFAMILY,
  GENL_ID_CTRL,
} from '../../../src/ipvs/codec/constants';
import { encodeGenl, encodeNlMessage, type NlMessage } from '../../../src/ipvs/codec/netlink';
import { ack } from './fake-peer';

export function familyReply(req: NlMessage, id: number): Buffer {
  const payload = encodeGenl(CTRL_CMD_NEWFAMILY, 2, [
    u16(CTRL_ATTR_FAMILY_ID, id),
    str(CTRL_ATTR_FAMILY_NAME, 'IPVS'),
    u32(CTRL_ATTR_VERSION, 1),
    u32(CTRL_ATTR_MAXATTR, 6),
  ]);
  return Buffer.concat([encodeNlMessage({ type: GENL_ID_CTRL, flags: 0, seq: req.seq, pid: 1, payload }), ack(req)]);
}

/** Answers GETFAMILY with `familyId()` (or `familyErrno`), and every IPVS command with `errno(cmd)`. */
export function kernelAnswers(opts: {
  familyId?: () => number;
  familyErrno?: number;
  errno?: (cmd: number) => number;
}) {
  return (m: NlMessage): Buffer[] => {
    if (m.type === GENL_ID_CTRL) {
      return opts.familyErrno ? [ack(m, opts.familyErrno)] : [familyReply(m, opts.familyId?.() ?? 28)];
    }
    return [ack(m, opts.errno?.(m.payload.readUInt8(0)) ?? 0)];
  };
}
