// Resolving the IPVS generic-netlink family id (CTRL_CMD_GETFAMILY "IPVS"), and turning the two failures an
// operator can fix into errors that say how.

import { GENL_ID_CTRL, IPVS_GENL_NAME } from './codec/constants';
import { decodeFamilyReply, encodeRequestPayload, requests, type FamilyInfo } from './codec/messages';
import { ERRNO, IpvsError, isIpvsError } from './errors';
import type { Requester } from './transport/requester-pool';

/** genl controller version we speak (CTRL_ATTR_VERSION of nlctrl is 2; the kernel ignores the header's). */
const CTRL_VERSION = 1;

export async function resolveIpvsFamily(requester: Requester): Promise<FamilyInfo> {
  try {
    const parts = await requester.request({
      type: GENL_ID_CTRL,
      payload: encodeRequestPayload(requests.getFamily(IPVS_GENL_NAME), CTRL_VERSION),
      dump: false,
      operation: 'resolve-family',
    });
    const first = parts[0];
    if (!first)
      throw new IpvsError(
        'resolve-family',
        ERRNO.EINVAL,
        'CTRL_CMD_GETFAMILY "IPVS" was acknowledged without a reply',
        { code: 'IPVS_BAD_REPLY' },
      );
    try {
      return decodeFamilyReply(first.payload);
    } catch (e) {
      throw new IpvsError(
        'resolve-family',
        ERRNO.EINVAL,
        `malformed CTRL_CMD_GETFAMILY reply: ${(e as Error).message}`,
        { code: 'IPVS_BAD_REPLY', cause: e },
      );
    }
  } catch (e) {
    if (isIpvsError(e, 'ENOENT')) throw unavailable(e);
    throw e;
  }
}

export function unavailable(cause: unknown): IpvsError {
  return new IpvsError(
    'resolve-family',
    ERRNO.ENOENT,
    'IPVS is not available in this kernel: the generic netlink family "IPVS" does not exist. ' +
      'Load the module with `modprobe ip_vs`; if that fails, the kernel was built without CONFIG_IP_VS ' +
      '(IP virtual server support) and needs rebuilding or replacing.',
    { code: 'IPVS_UNAVAILABLE', cause },
  );
}

/** EPERM from any IPVS command: GENL_ADMIN_PERM wants CAP_NET_ADMIN in the initial user namespace. */
export function noCapability(e: IpvsError): IpvsError {
  return new IpvsError(
    e.operation,
    ERRNO.EPERM,
    `the kernel refused ${e.operation} with EPERM: IPVS needs the CAP_NET_ADMIN capability in the initial user ` +
      'namespace (run as root, or grant it, e.g. systemd AmbientCapabilities=CAP_NET_ADMIN); reads need it too, ' +
      'and user-namespaced containers cannot have it',
    { code: 'IPVS_NO_CAP_NET_ADMIN', cause: e },
  );
}
