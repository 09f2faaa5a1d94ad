// confdir=: .cf fragments and YAML files, in name order; both syntaxes give the same model.

import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load';
import type { VirtualService } from '../../src/model/config';
import { fakeResolver, MAIN, memFs, short } from './helpers';

const D = '/etc/ha.d/services';

async function loadWith(main: string, files: Record<string, string>) {
  return loadConfig(MAIN, { resolver: fakeResolver(), ...memFs({ [MAIN]: main, ...files }) });
}

/** The model without where it came from, to compare two spellings of one service. */
function strip(v: VirtualService): unknown {
  return JSON.parse(JSON.stringify(v, (k, val: unknown) => (k === 'source' ? undefined : val)));
}

const CF_FRAGMENT = `# web
virtual=192.0.2.1:443
\treal=192.0.2.10:8443 masq 2 "health", "OK" l:1 u:100
\treal=192.0.2.11->192.0.2.12:8443 masq
\treal=web1.example:https gate
\tservice=https
\tvirtualhost="www.example.org"
\trequest="/"
\treceive="Welcome"
\tlogin="mon"
\tpasswd="pw"
\tscheduler=sh
\tschedflags=sh-fallback,sh-port
\tpersistent=600
\tnetmask=255.255.255.0
\temailalert="a@example.org, b@example.org"
\temailalertstatus=starting,running
\tfallback=127.0.0.1:8081 masq
\tquiescent=yes
\tcheckport=8443
\tfailurecount=3
\tsuccesscount=2
`;

const YAML_FILE = `# web
virtual: 192.0.2.1:443
real:
  - { address: 192.0.2.10, port: 8443, forward: masq, weight: 2, request: health, receive: OK, lower: 1, upper: 100 }
  - { address: 192.0.2.11, to: 192.0.2.12, port: 8443, forward: masq }
  - web1.example:https gate
service: https
virtualhost: www.example.org
request: /
receive: Welcome
login: mon
passwd: pw
scheduler: sh
schedflags: [sh-fallback, sh-port]
persistent: 600
netmask: 255.255.255.0
emailalert: [a@example.org, b@example.org]
emailalertstatus: [starting, running]
fallback: 127.0.0.1:8081 masq
quiescent: true
checkport: 8443
failurecount: 3
successcount: 2
`;

describe('confdir', () => {
  test('a .cf fragment and a YAML file with the same service give the same model', async () => {
    const a = await loadWith('confdir=services\n', { [`${D}/web.cf`]: CF_FRAGMENT });
    const b = await loadWith('confdir=services\n', { [`${D}/web.yaml`]: YAML_FILE });
    if (!a.ok || !b.ok) throw new Error('both should load');
    expect(a.config.virtuals).toHaveLength(1);
    expect(strip(b.config.virtuals[0]!)).toEqual(strip(a.config.virtuals[0]!));
    expect(a.config.virtuals[0]!.reals).toHaveLength(4);
  });

  test("the main file's virtuals come first, then conf.d files in name order; other files are ignored", async () => {
    const r = await loadWith('confdir=services\nvirtual=192.0.2.1:1\n\treal=192.0.2.10 gate\n', {
      [`${D}/b.yaml`]: 'virtual: 192.0.2.1:3\nreal: [192.0.2.10 gate]\n',
      [`${D}/a.cf`]: 'virtual=192.0.2.1:2\n\treal=192.0.2.10 gate\n',
      [`${D}/c.yml`]: 'virtual: 192.0.2.1:4\n',
      [`${D}/README.md`]: 'virtual=nonsense',
      [`${D}/.hidden.cf`]: 'nonsense',
      [`${D}/10.cf`]: 'virtual=192.0.2.1:5\n',
    });
    expect(r.ok && r.config.virtuals.map((v) => v.port)).toEqual([1, 5, 2, 3, 4]);
  });

  test('globals of the main file are the defaults of conf.d services', async () => {
    const r = await loadWith('checktimeout=4\nquiescent=yes\nconfdir=services\n', {
      [`${D}/a.yaml`]: 'virtual: 192.0.2.1:80\n',
    });
    expect(r.ok && [r.config.virtuals[0]!.checktimeout, r.config.virtuals[0]!.quiescent]).toEqual([4, true]);
  });

  test("confdir is relative to the main file's directory; an absolute path works too", async () => {
    const r = await loadWith('confdir=/srv/lb\n', { '/srv/lb/x.cf': 'virtual=192.0.2.1:80\n' });
    expect(r.ok && r.config.virtuals.map((v) => v.id)).toEqual(['tcp:192.0.2.1:80']);
  });

  test('confdir=. does not load the main file as its own fragment', async () => {
    const r = await loadWith('confdir=.\n', { '/etc/ha.d/x.cf': 'virtual=192.0.2.1:80\n' });
    expect(r.ok && r.config.virtuals.map((v) => v.id)).toEqual(['tcp:192.0.2.1:80']);
  });

  test('a missing confdir is an error at the directive', async () => {
    const r = await loadWith('confdir=nowhere\n', {});
    expect(r.ok === false && r.errors.map(short)).toEqual([
      '1:9: E_IO confdir: cannot read directory /etc/ha.d/nowhere: ENOENT',
    ]);
  });

  test('duplicates across files name the first definition', async () => {
    const r = await loadWith('confdir=services\nvirtual=192.0.2.1:80\n', {
      [`${D}/dup.yaml`]: 'virtual: 192.0.2.1:http\n',
    });
    expect(
      r.ok === false &&
        r.errors.map((e) => `${e.source.file}:${e.source.line}:${e.source.col}: ${e.code} ${e.message}`),
    ).toEqual([
      `${D}/dup.yaml:1:1: E_DUPLICATE_VIRTUAL duplicate virtual server tcp:192.0.2.1:80 (first defined at ${MAIN}:2)`,
    ]);
  });
});

describe('.cf fragments', () => {
  test('global directives are refused, naming the file and line', async () => {
    const r = await loadWith('confdir=services\n', { [`${D}/a.cf`]: 'checktimeout=3\nvirtual=192.0.2.1:80\n' });
    expect(r.ok === false && r.errors.map((e) => `${e.source.file}:${e.source.line}: ${e.code} ${e.message}`)).toEqual([
      `${D}/a.cf:1: E_FRAGMENT checktimeout: global directives are not allowed in a conf.d fragment (put them in the main file)`,
    ]);
  });

  test('more than one section is refused; none is a warning', async () => {
    const r = await loadWith('confdir=services\n', {
      [`${D}/a.cf`]: 'virtual=192.0.2.1:80\n\nvirtual=192.0.2.1:81\n',
      [`${D}/b.cf`]: '# nothing yet\n',
    });
    expect(r.ok === false && [r.errors.map(short), r.warnings.map(short)]).toEqual([
      ['3:1: E_FRAGMENT a conf.d fragment holds exactly one virtual section; put this one in a file of its own'],
      ['1:1: W_EMPTY_FRAGMENT no virtual section in this conf.d file'],
    ]);
  });
});

describe('YAML files', () => {
  const yamlErrors = async (text: string): Promise<string[]> => {
    const r = await loadWith('confdir=services\n', { [`${D}/v.yaml`]: text });
    if (r.ok) throw new Error('expected errors');
    return r.errors.map(short);
  };

  test.each([
    ['virtual: [1, 2\n', '2:1: E_YAML_SYNTAX'],
    ['virtual: 192.0.2.1:80\nvirtual: 192.0.2.1:81\n', '2:1: E_YAML_SYNTAX Map keys must be unique'],
    ['- virtual: 192.0.2.1:80\n', '1:1: E_YAML_SHAPE expected a mapping of directives (virtual: ..., real: [...])'],
    ['service: http\n', '1:1: E_YAML_SHAPE missing virtual: (or virtual6:) key'],
    [
      'virtual: 192.0.2.1:80\nscheduler: [rr]\n',
      '2:12: E_YAML_SHAPE scheduler must be a single value (string, number or true/false)',
    ],
    [
      'virtual: 192.0.2.1:80\nreal:\n  - { address: 192.0.2.10, forward: gate, color: red }\n',
      '3:43: E_YAML_SHAPE real: unknown key "color" (known: address, to, port, forward, weight, request, receive, lower, upper)',
    ],
    [
      'virtual: 192.0.2.1:80\nreal:\n  - { address: 192.0.2.10 }\n',
      '3:5: E_YAML_SHAPE real: a real server mapping needs address and forward',
    ],
    [
      'virtual: 192.0.2.1:80\nreal:\n  - { address: 192.0.2.10, forward: gate, request: /x }\n',
      '3:5: E_YAML_SHAPE real: request and receive go together',
    ],
    [
      'virtual: 192.0.2.1:80\nreal:\n  - [a]\n',
      '3:5: E_YAML_SHAPE real items must be "ADDRESS:PORT gate ..." strings or mappings',
    ],
    [
      'virtual: 192.0.2.1:80\nlogfile: "/tmp/x"\n',
      '2:1: E_WRONG_SCOPE logfile is a global directive and cannot be used inside a virtual section',
    ],
    ['virtual: 192.0.2.1:80\ncolour: red\n', '2:1: E_UNKNOWN_DIRECTIVE unknown directive "colour"'],
    [
      'virtual: 192.0.2.1:80\nchecktimeout: 0\n',
      '2:15: E_BAD_INTEGER checktimeout must be between 1 and 2147483647, got 0',
    ],
    [
      'virtual: 192.0.2.1:80\nreal:\n  - 192.0.2.10:80 bridge\n',
      '3:19: E_BAD_REAL real: forward method must be gate, masq or ipip, got "bridge"',
    ],
    ['virtual: null\n', '1:10: E_YAML_SHAPE virtual must be ADDRESS:PORT or a firewall mark'],
  ])('%j', async (text, expected) => {
    const errs = await yamlErrors(text);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.startsWith(expected)).toBe(true);
  });

  test('firewall marks, virtual6, booleans and numbers', async () => {
    const r = await loadWith('confdir=services\n', {
      [`${D}/a.yaml`]: 'virtual: 7\nreal: [192.0.2.10 gate]\nquiescent: false\ncheckport: 80\nchecktype: 2\n',
      [`${D}/b.yaml`]:
        'virtual6: "[2001:db8::1]:80"\nreal6:\n  - { address: "2001:db8::10", port: 80, forward: gate }\nops: no\n',
    });
    if (!r.ok) throw new Error(r.errors.map(short).join('\n'));
    expect(r.config.virtuals.map((v) => [v.id, v.quiescent, v.checkport, v.checktype, v.reals[0]!.address])).toEqual([
      ['fwm:7', false, 80, { kind: 'combined', n: 2 }, '192.0.2.10'],
      ['tcp:[2001:db8::1]:80', false, undefined, { kind: 'negotiate' }, '2001:db8::10'],
    ]);
  });

  test('an empty YAML file is a warning', async () => {
    const r = await loadWith('confdir=services\n', { [`${D}/empty.yaml`]: '# nothing\n' });
    expect(r.ok && r.config.warnings.map((w) => w.code)).toEqual(['W_EMPTY_FRAGMENT']);
  });
});

test('the YAML and .cf examples in docs/config.md load', async () => {
  const doc = readFileSync(`${__dirname}/../../docs/config.md`, 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
  const cfBlock = /```\n(# global directives[\s\S]*?)```/.exec(doc)![1]!;
  const r = await loadWith(`${cfBlock.replace(/ {2,}#.*$/gm, '')}\nconfdir=services\n`, { [`${D}/doc.yaml`]: yaml });
  if (!r.ok) throw new Error(r.errors.map(short).join('\n'));
  expect(r.config.virtuals.map((v) => v.id)).toEqual(['tcp:192.0.2.1:80', 'tcp:127.0.0.100:443']);
});
