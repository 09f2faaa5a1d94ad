// IpvsClient over generic netlink: model values in, model values out. The codec builds and reads the
// messages, the requester carries them; this file only sequences them and maps errors.

import { IPVS_GENL_VERSION } from './codec/constants';
import {
  decodeConfigReply,
  decodeDaemonReply,
  decodeDestReply,
  decodeInfoReply,
  decodeServiceReply,
  encodeRequestPayload,
  requests,
  type FamilyInfo,
  type GenlRequest,
} from './codec/messages';
import type { NlMessage } from './codec/netlink';
import { describeDest, describeKey, explainErrno } from './describe';
import { ERRNO, errnoName, IpvsError, isIpvsError, type IpvsOperation } from './errors';
import { noCapability, resolveIpvsFamily } from './family';
import type { Requester } from './transport/requester-pool';
import type { IpvsClient, ServiceKey } from './types';
import { checkDaemon, checkDest, checkDestKey, checkService, checkServiceKey, checkTimeouts } from './validate';

export class NetlinkIpvsClient implements IpvsClient {
  private family: Promise<FamilyInfo> | undefined;

  constructor(private readonly requester: Requester) {}

  /** Forget the family id (called on a socket reset; the next call resolves it again). */
  invalidateFamily(): void {
    this.family = undefined;
  }

  async resolveFamily(): Promise<FamilyInfo> {
    if (!this.family) {
      const p = resolveIpvsFamily(this.requester);
      this.family = p;
      p.catch(() => {
        if (this.family === p) this.family = undefined;
      });
    }
    return this.family;
  }

  /**
   * Sends one request; a kernel refusal comes back naming the operation, its target and what the errno means.
   * `req` and `target` may be functions (doit requests only, never dumps): the request is then built and
   * encoded when the transport sends it, and its description made only for an error, so the thousands of
   * operations of a start-up pass wait in the queue as closures over their plans, not as bytes.
   */
  private async call(
    operation: IpvsOperation,
    req: GenlRequest | (() => GenlRequest),
    target: string | (() => string) = '',
  ): Promise<NlMessage[]> {
    const family = await this.resolveFamily();
    try {
      return await this.requester.request({
        type: family.id,
        payload:
          typeof req === 'function'
            ? () => encodeRequestPayload(req(), IPVS_GENL_VERSION)
            : encodeRequestPayload(req, IPVS_GENL_VERSION),
        dump: typeof req === 'function' ? false : req.dump,
        operation,
      });
    } catch (e) {
      if (!isIpvsError(e) || e.code !== errnoName(e.errno)) throw e;
      if (e.errno === ERRNO.EPERM) throw noCapability(e);
      const what = typeof target === 'function' ? target() : target;
      throw new IpvsError(
        operation,
        e.errno,
        `${operation}${what ? ` ${what}` : ''}: ${explainErrno(operation, e.errno)}`,
        { cause: e },
      );
    }
  }

  private decode<T>(operation: IpvsOperation, parts: NlMessage[], fn: (payload: Buffer) => T): T[] {
    try {
      return parts.map((p) => fn(p.payload));
    } catch (e) {
      throw new IpvsError(operation, ERRNO.EINVAL, `malformed ${operation} reply: ${(e as Error).message}`, {
        code: 'IPVS_BAD_REPLY',
        cause: e,
      });
    }
  }

  private one<T>(operation: IpvsOperation, parts: NlMessage[], fn: (payload: Buffer) => T): T {
    const [first] = this.decode(operation, parts.slice(0, 1), fn);
    if (first === undefined)
      throw new IpvsError(operation, ERRNO.EINVAL, `the kernel acknowledged ${operation} without a reply`, {
        code: 'IPVS_BAD_REPLY',
      });
    return first;
  }

  async listServices() {
    return this.decode('list-services', await this.call('list-services', requests.listServices()), decodeServiceReply);
  }

  async getService(key: ServiceKey) {
    checkServiceKey('get-service', key);
    return this.one(
      'get-service',
      await this.call('get-service', requests.getService(key), describeKey(key)),
      decodeServiceReply,
    );
  }

  async addService(s: Parameters<IpvsClient['addService']>[0]) {
    checkService('add-service', s);
    await this.call(
      'add-service',
      () => requests.newService(s),
      () => describeKey(s),
    );
  }

  async editService(s: Parameters<IpvsClient['editService']>[0]) {
    checkService('edit-service', s);
    await this.call(
      'edit-service',
      () => requests.setService(s),
      () => describeKey(s),
    );
  }

  async deleteService(key: ServiceKey) {
    checkServiceKey('delete-service', key);
    await this.call(
      'delete-service',
      () => requests.delService(key),
      () => describeKey(key),
    );
  }

  /**
   * The kernel answers a dest dump for a missing service with an empty dump; we tell "no service" from "no
   * destinations" by asking for the service when the dump is empty, and reject with ESRCH like every other
   * dest operation.
   */
  async listDests(key: ServiceKey) {
    checkServiceKey('list-dests', key);
    const parts = await this.call('list-dests', requests.listDests(key), describeKey(key));
    if (parts.length === 0) {
      try {
        await this.call('list-dests', requests.getService(key), describeKey(key));
      } catch (e) {
        if (isIpvsError(e, 'ESRCH')) throw new IpvsError('list-dests', ERRNO.ESRCH, e.message, { cause: e });
        throw e;
      }
    }
    return this.decode('list-dests', parts, (p) => decodeDestReply(p, key.family));
  }

  async addDest(key: ServiceKey, d: Parameters<IpvsClient['addDest']>[1]) {
    checkServiceKey('add-dest', key);
    checkDest('add-dest', d);
    await this.call(
      'add-dest',
      () => requests.newDest(key, d),
      () => `${describeDest(d)} to ${describeKey(key)}`,
    );
  }

  async editDest(key: ServiceKey, d: Parameters<IpvsClient['editDest']>[1]) {
    checkServiceKey('edit-dest', key);
    checkDest('edit-dest', d);
    await this.call(
      'edit-dest',
      () => requests.setDest(key, d),
      () => `${describeDest(d)} in ${describeKey(key)}`,
    );
  }

  async deleteDest(key: ServiceKey, d: Parameters<IpvsClient['deleteDest']>[1]) {
    checkServiceKey('delete-dest', key);
    checkDestKey('delete-dest', d);
    await this.call(
      'delete-dest',
      () => requests.delDest(key, d),
      () => `${describeDest(d)} from ${describeKey(key)}`,
    );
  }

  async zero(key?: ServiceKey) {
    if (key !== undefined) checkServiceKey('zero', key);
    await this.call('zero', requests.zero(key), key ? describeKey(key) : 'all');
  }

  async info() {
    return this.one('info', await this.call('info', requests.getInfo()), decodeInfoReply);
  }

  async getTimeouts() {
    return this.one('get-timeouts', await this.call('get-timeouts', requests.getConfig()), decodeConfigReply);
  }

  async setTimeouts(t: Parameters<IpvsClient['setTimeouts']>[0]) {
    checkTimeouts('set-timeouts', t);
    await this.call('set-timeouts', requests.setConfig(t));
  }

  async startSyncDaemon(d: Parameters<IpvsClient['startSyncDaemon']>[0]) {
    checkDaemon('start-daemon', d);
    await this.call('start-daemon', requests.newDaemon(d), `${d.state} on ${d.mcastInterface}`);
  }

  async stopSyncDaemon(state: Parameters<IpvsClient['stopSyncDaemon']>[0]) {
    if (state !== 'master' && state !== 'backup') {
      throw new IpvsError(
        'stop-daemon',
        ERRNO.EINVAL,
        `sync daemon state must be master or backup, got ${JSON.stringify(state)}`,
        { code: 'IPVS_BAD_REQUEST' },
      );
    }
    try {
      await this.call('stop-daemon', requests.delDaemon(state), state);
    } catch (e) {
      // A DEL_DAEMON that races a just-started sync thread stops the daemon but is never answered: the kernel's
      // kthread_stop() returns -EINTR and netlink sends no ACK for it (seen on 6.1). When the request times out,
      // the kernel's own list decides: a daemon that is gone has been stopped.
      if (!isIpvsError(e, 'IPVS_TIMEOUT')) throw e;
      const running = await this.listSyncDaemons();
      if (running.some((d) => d.state === state)) throw e;
    }
  }

  async listSyncDaemons() {
    return this.decode('list-daemons', await this.call('list-daemons', requests.listDaemons()), decodeDaemonReply);
  }

  async flush() {
    await this.call('flush', requests.flush());
  }

  async close() {
    this.requester.close();
  }
}
