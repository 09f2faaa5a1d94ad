// The announce socket's default path, shared by the config (announcesocket) and the process ExaBGP runs
// (src/announce/exabgp-process.ts), which must agree without a config file of their own.
export const DEFAULT_ANNOUNCE_SOCKET = '/var/run/ldirectord.announce.sock';
