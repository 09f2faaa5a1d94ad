// What the DNS check's message codec costs per check: encode one query, decode one answer (A, AAAA with two
// records, PTR with a compressed name). The codec is src/health/services/dns-wire.ts, whatever it wraps
// (docs/decisions/015-dns-library.md compares the hand-written one with dns-packet).
// Run: taskset -c 0 npx tsx bench/dns-codec.ts

import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { dnsCheck } from '../src/health/services/dns';
import { decodeResponse, encodeQuery } from '../src/health/services/dns-wire';
import { specFor } from '../test/health/spec-fixture';

const ROUNDS = 200_000;
const RUNS = 5;

// Saved replies (dnsmasq's answers for www.test): header, the question, then the answer records.
const REPLIES: Record<string, Buffer> = {
  A: Buffer.from('1234818000010001000000000377777704746573740000010001c00c000100010000000000047f00000a', 'hex'),
  AAAA: Buffer.from(
    '12348180000100020000000003777777047465737400001c0001c00c001c000100000000001020010db8000000000000000000000010' +
      'c00c001c000100000000001020010db8000000000000000000000011',
    'hex',
  ),
  PTR: Buffer.from(
    '123481800001000100000000023130013001300331323707696e2d61646472046172706100000c0001c00c000c0001000000000008037777770474657374' +
      '00',
    'hex',
  ),
};

function perCallUs(f: () => void): number {
  for (let i = 0; i < 10_000; i++) f(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) f();
    samples.push(((performance.now() - t0) * 1000) / ROUNDS);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(RUNS / 2)] as number;
}

/** A whole dns check (UDP socket, query, reply, decision) against a loopback responder answering the A reply. */
async function wholeCheckUs(): Promise<number> {
  const server = createSocket('udp4');
  server.on('message', (msg, from) => {
    const reply = Buffer.from(REPLIES.A as Buffer);
    msg.copy(reply, 0, 0, 2); // the query's id
    server.send(reply, from.port, from.address);
  });
  server.bind(0, '127.0.0.1');
  await once(server, 'listening');
  const port = server.address().port;
  const spec = specFor({
    service: 'dns',
    protocol: 'udp',
    port,
    realPort: port,
    virtualPort: 53,
    request: '/www.test',
    receive: '127.0.0.10',
    checktimeout: 10,
    negotiatetimeout: 10,
    tlsVerify: false,
  });
  const signal = new AbortController().signal;
  const n = 5000;
  for (let i = 0; i < 500; i++) await dnsCheck(spec, signal);
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const res = await dnsCheck(spec, signal);
      if (!res.ok) throw new Error(res.reason);
    }
    samples.push(((performance.now() - t0) * 1000) / n);
  }
  server.close();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(RUNS / 2)] as number;
}

const rows: [string, number][] = [
  ['encode A query', perCallUs(() => encodeQuery(0x1234, 'www.test', 'A'))],
  ['decode A reply (1 record)', perCallUs(() => decodeResponse(REPLIES.A as Buffer))],
  ['decode AAAA reply (2 records)', perCallUs(() => decodeResponse(REPLIES.AAAA as Buffer))],
  ['decode PTR reply (compressed name)', perCallUs(() => decodeResponse(REPLIES.PTR as Buffer))],
];
for (const [type, reply] of Object.entries(REPLIES)) {
  const answers = decodeResponse(reply).answers;
  if (answers.length === 0 || answers.some((a) => a.type !== type || a.data === '')) {
    throw new Error(`${type}: the saved reply decodes to ${JSON.stringify(answers)}`);
  }
}
console.log(`DNS codec, median of ${RUNS} runs of ${ROUNDS} calls (µs per call)`);
console.log('| operation | µs |');
console.log('|---|---|');
for (const [name, us] of rows) console.log(`| ${name} | ${us.toFixed(3)} |`);
console.log(
  `| codec share of one check (encode + decode A) | ${((rows[0]?.[1] ?? 0) + (rows[1]?.[1] ?? 0)).toFixed(3)} |`,
);
void wholeCheckUs().then((us) =>
  console.log(`| whole dns check over UDP loopback (A, receive matched) | ${us.toFixed(1)} |`),
);
