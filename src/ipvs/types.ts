// The model-level view of the kernel's IPVS table, independent of the wire format. The netlink codec converts
// these to and from attribute trees; the in-memory table stores them; the reconciler diffs them.

export type IpvsFamily = 'inet' | 'inet6';
export type IpvsProtocol = 'tcp' | 'udp' | 'sctp';
/** Kernel forwarding methods (IP_VS_CONN_F_*): masq = NAT, route = direct routing ("gate"), tunnel = ipip. */
export type IpvsForwarding = 'masq' | 'local' | 'tunnel' | 'route' | 'bypass';
export type TunnelType = 'ipip' | 'gue' | 'gre';
export type TunnelCsum = 'nocsum' | 'csum' | 'remcsum';

/** A service is identified either by (family, protocol, address, port) or by (family, fwmark). */
export type ServiceKey =
  | { readonly family: IpvsFamily; readonly protocol: IpvsProtocol; readonly address: string; readonly port: number }
  | { readonly family: IpvsFamily; readonly fwmark: number };

export interface ServiceFlags {
  readonly persistent: boolean;
  /** One-packet scheduling (UDP), ipvsadm -o. */
  readonly onePacket: boolean;
  /** Scheduler flags 1..3 (sh-fallback/mh-fallback = 1, sh-port/mh-port = 2). */
  readonly sched1: boolean;
  readonly sched2: boolean;
  readonly sched3: boolean;
}

export type IpvsService = ServiceKey & {
  readonly scheduler: string;
  readonly flags: ServiceFlags;
  /** Persistence timeout, seconds. */
  readonly timeout: number;
  /** IPv4: dotted mask (default 255.255.255.255); IPv6: prefix length (default 128). */
  readonly netmask: string | number;
  /** Persistence engine ("sip"), absent when none. */
  readonly peName?: string;
};

export interface DestKey {
  /** Address family of the destination (may differ from the service's only with tunnel forwarding). */
  readonly family: IpvsFamily;
  readonly address: string;
  readonly port: number;
}

export interface IpvsDest extends DestKey {
  readonly forwarding: IpvsForwarding;
  readonly weight: number;
  /** 0 = no threshold. */
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  readonly tunnel?: { readonly type: TunnelType; readonly port: number; readonly csum: TunnelCsum };
}

export interface IpvsStats {
  readonly conns: bigint;
  readonly inPackets: bigint;
  readonly outPackets: bigint;
  readonly inBytes: bigint;
  readonly outBytes: bigint;
  readonly cps: bigint;
  readonly inPps: bigint;
  readonly outPps: bigint;
  readonly inBps: bigint;
  readonly outBps: bigint;
}

/** What a dump returns: the configuration plus what only the kernel knows. */
export type IpvsServiceEntry = IpvsService & { readonly stats?: IpvsStats };
export type IpvsDestEntry = IpvsDest & {
  readonly activeConns: number;
  readonly inactiveConns: number;
  readonly persistentConns: number;
  readonly stats?: IpvsStats;
};

export interface IpvsInfo {
  /** e.g. 0x010201 for 1.2.1 */
  readonly version: number;
  readonly connTableSize: number;
}

export interface IpvsTimeouts {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
}

export interface SyncDaemon {
  readonly state: 'master' | 'backup';
  readonly mcastInterface: string;
  readonly syncId: number;
  readonly maxLength?: number;
  readonly mcastGroup?: string;
  readonly mcastPort?: number;
  readonly mcastTtl?: number;
}

/**
 * The one interface through which the daemon touches IPVS. Implemented by the netlink client (real kernel)
 * and by the in-memory table (tests, --dry-run). Failures reject with an IpvsError carrying the errno.
 */
export interface IpvsClient {
  listServices(): Promise<IpvsServiceEntry[]>;
  getService(key: ServiceKey): Promise<IpvsServiceEntry>;
  addService(service: IpvsService): Promise<void>;
  editService(service: IpvsService): Promise<void>;
  deleteService(key: ServiceKey): Promise<void>;

  listDests(key: ServiceKey): Promise<IpvsDestEntry[]>;
  addDest(key: ServiceKey, dest: IpvsDest): Promise<void>;
  editDest(key: ServiceKey, dest: IpvsDest): Promise<void>;
  deleteDest(key: ServiceKey, dest: DestKey): Promise<void>;

  /** Zero the counters of one service, or of all when no key is given. */
  zero(key?: ServiceKey): Promise<void>;
  info(): Promise<IpvsInfo>;
  getTimeouts(): Promise<IpvsTimeouts>;
  /** 0 for a field means "leave unchanged", as in the kernel. */
  setTimeouts(timeouts: IpvsTimeouts): Promise<void>;

  startSyncDaemon(daemon: SyncDaemon): Promise<void>;
  stopSyncDaemon(state: SyncDaemon['state']): Promise<void>;
  listSyncDaemons(): Promise<SyncDaemon[]>;

  /** Deletes every service in the namespace. Only ever called when an operator explicitly asks. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
