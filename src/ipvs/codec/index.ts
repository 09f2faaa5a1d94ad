// The IPVS generic-netlink codec. One whole message, NEW_DEST for 10.0.0.2:80 (masq, weight 5) in the TCP
// service 10.0.0.1:80, as it goes on the wire (host order = little-endian here; "be" = network order):
//
//   offset  bytes                                   field
//   ------  --------------------------------------  ---------------------------------------------------
//   0       8c 00 00 00                             nlmsghdr.len = 140                    (netlink.ts)
//   4       1c 00                                   .type = IPVS family id (28, resolved at run time)
//   6       05 00                                   .flags = REQUEST | ACK
//   8       01 00 00 00 / 00 00 00 00               .seq, .pid
//   16      05 01 00 00                             genlmsghdr: cmd NEW_DEST(5), version 1, reserved
//   20      30 00 01 00                             nlattr IPVS_CMD_ATTR_SERVICE (48 bytes, nested)  (service.ts)
//   24        06 00 01 00 02 00 00 00                 AF u16 = 2 (inet), padded to 8
//   32        06 00 02 00 06 00 00 00                 PROTOCOL u16 = 6 (tcp)
//   40        14 00 03 00 0a 00 00 01 00…00           ADDR [16] = 10.0.0.1, zero-filled
//   60        06 00 04 00 00 50 00 00                 PORT be16 = 80
//   68      48 00 02 00                             nlattr IPVS_CMD_ATTR_DEST (72 bytes, nested)     (dest.ts)
//   72        06 00 0b 00 02 00 00 00                 ADDR_FAMILY u16 = 2
//   80        14 00 01 00 0a 00 00 02 00…00           ADDR [16] = 10.0.0.2
//   100       06 00 02 00 00 50 00 00                 PORT be16 = 80
//   108       08 00 03 00 00 00 00 00                 FWD_METHOD u32 = 0 (masq)
//   116       08 00 04 00 05 00 00 00                 WEIGHT u32 (C int) = 5
//   124       08 00 05 00 00 00 00 00                 U_THRESH u32 = 0
//   132       08 00 06 00 00 00 00 00                 L_THRESH u32 = 0
//
// Layers: attrs.ts (TLVs) → netlink.ts (nlmsghdr, genlmsghdr, ERROR/DONE payloads) → service.ts, dest.ts,
// stats.ts, daemon.ts (wire types ↔ model) → messages.ts (one builder per request, one decoder per reply).
// Real-kernel bytes for every message kind: test/fixtures/netlink/ipvs-kernel.json.

export * from './messages';
export { encodeNlMessage, parseNlMessages, type NlMessage } from './netlink';
export { CodecError } from './attrs';
