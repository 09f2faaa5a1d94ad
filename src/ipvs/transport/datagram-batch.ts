// Several netlink messages in one datagram, up to a size: the kernel processes them in order and answers each
// one (docs/ipvs-protocol.md). A message that would overflow the datagram sends what is held first.

export class DatagramBatch<T> {
  private parts: Buffer[] = [];
  private bytes = 0;
  private items: T[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly sendDatagram: (datagram: Buffer, items: readonly T[]) => void,
  ) {}

  add(message: Buffer, item: T): void {
    if (this.bytes + message.length > this.maxBytes) this.send();
    this.parts.push(message);
    this.bytes += message.length;
    this.items.push(item);
  }

  /** Sends what is held, if anything. */
  send(): void {
    if (this.parts.length === 0) return;
    const datagram = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    const items = this.items;
    this.parts = [];
    this.bytes = 0;
    this.items = [];
    this.sendDatagram(datagram, items);
  }
}
