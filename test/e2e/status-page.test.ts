// The status page in a real headless Chromium (playwright-core, Debian's /usr/bin/chromium): the real stack
// (config loader, director on the in-memory table, the real health pool and HTTP checks, HTTP real servers
// on loopback, status server with statususers) is watched as a real server goes down (its HTTP server stopped)
// and comes back, and an operator drains another from the page. The graphs (sampled every 500 ms here) are
// checked in the DOM: one SVG per graph, the points of their lines, the down stretch on the timeline. The
// in-memory table counts no traffic, so the kernel counters the graphs read come from a wrapper that adds
// them (steady growth per real server). The screenshot goes to test/artifacts/status-page.png, and with
// LDIRECTORD_DOCS_SCREENSHOT=1 also to docs/status-page.png (the picture in docs/observability.md).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { zeroStats } from '../../src/ipvs/codec/stats';
import { createMemoryIpvs } from '../../src/ipvs/memory/table';
import type { IpvsClient, IpvsStats } from '../../src/ipvs/types';
import { startReal, startStack, statusConfig, type RealServer, type Stack } from '../observe/status/support/stack';
import { until } from '../support/until';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOT = path.join(__dirname, '..', 'artifacts', 'status-page.png');
const DOCS_SHOT = path.join(__dirname, '..', '..', 'docs', 'status-page.png');

/** Counters as a kernel would show them while traffic flows: `perSecond` connections (and 1500 bytes in, 9 kB
 * out per connection) since `start`, with a slow swing so the lines are not flat. */
function flowing(perSecond: number, start: number): IpvsStats {
  const t = (Date.now() - start) / 1000;
  const conns = Math.floor(perSecond * t + perSecond * 2 * Math.sin(t / 3));
  return {
    ...zeroStats(),
    conns: BigInt(Math.max(0, conns)),
    inBytes: BigInt(Math.max(0, conns) * 1500),
    outBytes: BigInt(Math.max(0, conns) * 9000),
  };
}
function withTraffic(base: IpvsClient): Pick<IpvsClient, 'listServices' | 'listDests'> {
  const start = Date.now();
  return {
    async listServices() {
      return (await base.listServices()).map((s) => ({ ...s, stats: flowing(30, start) }));
    },
    async listDests(key) {
      return (await base.listDests(key)).map((d) => ({
        ...d,
        stats: flowing(d.weight === 0 ? 0 : 5 + (d.port % 20), start),
      }));
    },
  };
}

/** Points of a path drawn by src/observe/status/svg.ts linePath: a moveto per run, a relative pair per step. */
function pointsOf(d: string): number {
  return d
    .split('M')
    .filter(Boolean)
    .reduce((n, run) => {
      const rel = run.split('l')[1] ?? '';
      return n + 1 + (rel === '0 0' ? 0 : (rel.match(/-?\d+/g) ?? []).length / 2);
    }, 0);
}

// No skip of its own: without Chromium, jest.config.js leaves this file out with a loud warning
// (test/support/requirements.js), except under CI=true, where it runs and fails on the missing browser.
describe('status page in headless Chromium', () => {
  let a: RealServer;
  let b: RealServer;
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let A: string;
  let B: string;

  const row = (id: string) => page.locator(`tr[data-real="${id}"]`);
  /** Waits until the text of the first element matching `selector` matches `re` (polled in the page). */
  const waitText = (selector: string, re: RegExp) =>
    page.waitForFunction(
      ({ selector: sel, source }) => {
        const d = (
          globalThis as unknown as { document: { querySelector(q: string): { textContent: string | null } | null } }
        ).document;
        return new RegExp(source).test(d.querySelector(sel)?.textContent ?? '');
      },
      { selector, source: re.source },
    );
  interface RealShot {
    graphs: string[];
    svgs: number;
    conns: string;
    latency: string;
    trafficLines: number;
    connsCaption: string;
    timelineFills: string[];
    /** Path elements on the timeline (all the change ticks are one path). */
    timelineTicks: number;
    timelineCaption: string;
  }
  /** The graphs in the page now, read in one go. */
  const graphShot = () =>
    page.evaluate(
      (ids) => {
        interface E {
          getAttribute(n: string): string | null;
          textContent: string | null;
          querySelector(q: string): E | null;
          querySelectorAll(q: string): ArrayLike<E>;
        }
        const d = (globalThis as unknown as { document: E }).document;
        const names = (root: E | null) =>
          Array.from(root?.querySelectorAll('figure[data-graph]') ?? []).map((f) => f.getAttribute('data-graph') ?? '');
        const vbox = d.querySelector('section[data-virtual="tcp:127.0.0.1:8080"] .vgraphs');
        const reals: Record<string, RealShot> = {};
        for (const id of ids) {
          const tr = d.querySelector(`tr[data-real="${id}"]`);
          reals[id] = {
            graphs: names(tr),
            svgs: tr?.querySelectorAll('svg').length ?? 0,
            conns: tr?.querySelector('figure[data-graph="conns"] path')?.getAttribute('d') ?? '',
            latency: tr?.querySelector('figure[data-graph="latency"] path')?.getAttribute('d') ?? '',
            trafficLines: tr?.querySelectorAll('figure[data-graph="traffic"] path').length ?? 0,
            connsCaption: tr?.querySelector('figure[data-graph="conns"] figcaption')?.textContent ?? '',
            timelineFills: Array.from(tr?.querySelectorAll('figure[data-graph="timeline"] rect') ?? []).map(
              (r) => r.getAttribute('fill') ?? '',
            ),
            timelineTicks: tr?.querySelectorAll('figure[data-graph="timeline"] path').length ?? 0,
            timelineCaption: tr?.querySelector('figure[data-graph="timeline"] figcaption')?.textContent ?? '',
          };
        }
        return { virtualGraphs: names(vbox), virtualSvgs: vbox?.querySelectorAll('svg').length ?? 0, reals };
      },
      [A, B],
    );
  const weight = (id: string, text: string) =>
    waitText(`tr[data-real="${id}"] .weight`, new RegExp(`^${text.replace(/[/]/g, '\\/')}$`));

  beforeAll(async () => {
    a = await startReal();
    b = await startReal();
    const V = 'tcp:127.0.0.1:8080';
    A = `${V}|127.0.0.1:${a.port}`;
    B = `${V}|127.0.0.1:${b.port}`;
    const text = [
      'checkinterval=1',
      'quiescent=no',
      'fallback=127.0.0.1:9 masq',
      'virtual=127.0.0.1:8080',
      `\treal=127.0.0.1:${a.port} masq 5`,
      `\treal=127.0.0.1:${b.port} masq 2`,
      '\tservice=http',
      '\tchecktype=negotiate',
      '\trequest="/health"',
      '\treceive="ok"',
      '\tchecktimeout=2',
      '',
    ].join('\n');
    const { config } = await statusConfig(text, { alice: 'pw-alice' });
    const ipvs = createMemoryIpvs();
    stack = await startStack(config, {
      ipvs,
      statsFrom: withTraffic(ipvs),
      statsTtlMs: 0,
      graphs: { intervalMs: 500, windowMs: 30_000 },
    });
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is not installed (scripts/install-deps installs it): the browser test cannot run`);
    profile = mkdtempSync(path.join(tmpdir(), 'ldd-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      httpCredentials: { username: 'alice', password: 'pw-alice' },
      viewport: { width: 1280, height: 720 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await context?.close();
    await stack?.stop();
    await a?.down();
    await b?.down();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the real servers, one going down and coming back, and drains one from the page', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const graphRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/graphs.json')) graphRequests.push(new URL(r.url()).search);
    });
    const res = await page.goto(stack.url);
    // the graphs need no loosening of the policy: no style attributes, no images, no inline handlers
    expect(res?.headers()['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'nonce-[^']+'; style-src 'nonce-[^']+'; connect-src 'self'; img-src 'none';/,
    );
    // the graphs are behind the same credentials as the page
    expect((await fetch(`${stack.url}graphs.json`)).status).toBe(401);
    // a selection is bounded: more ids than a screen could show is refused, not drawn
    const many = Array.from({ length: 1001 }, (_, i) => `r=x${i}`).join('&');
    const alice = { Authorization: `Basic ${Buffer.from('alice:pw-alice').toString('base64')}` };
    const refused = await fetch(`${stack.url}graphs.json?only&${many}`, { headers: alice });
    expect([refused.status, await refused.text()]).toEqual([400, expect.stringContaining('at most 1000 servers')]);
    expect((await fetch(`${stack.url}graphs.json?only&r=${encodeURIComponent(A)}`, { headers: alice })).status).toBe(
      200,
    );
    await page.locator('body[data-loaded="yes"]').waitFor();
    await row(A).and(page.locator('[data-health="up"]')).waitFor();
    await row(B).and(page.locator('[data-health="up"]')).waitFor();
    await weight(A, '5 / 5 / 5');
    expect(await page.locator('section[data-virtual="tcp:127.0.0.1:8080"] h2').textContent()).toBe('127.0.0.1:8080');
    expect(await row(A).locator('.reason').textContent()).toMatch(
      /^✔ HTTP GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK/,
    );

    // the graphs: 2 per virtual service, 4 per real server, each one SVG; lines with a point per sample. Read
    // in one evaluation (a new sample redraws the boxes in view), retried until filled.
    const shot = await until('60 samples on all the graphs', async () => {
      const s = await graphShot();
      const full = (r: RealShot | undefined) => r !== undefined && r.svgs === 4 && pointsOf(r.conns) >= 60;
      return s.virtualSvgs === 2 && full(s.reals[A]) && full(s.reals[B]) ? s : undefined;
    });
    expect(shot.virtualGraphs).toEqual(['conns', 'traffic']);
    // the page asks only for the servers in view (here every one: two real servers and their virtual service)
    expect(graphRequests.length).toBeGreaterThan(0);
    for (const q of graphRequests) expect(q).toMatch(/^\?only(&|$)/);
    const asked = graphRequests.map((q) => new URLSearchParams(q));
    expect(asked.some((q) => q.getAll('r').includes(A) && q.getAll('r').includes(B))).toBe(true);
    expect(asked.some((q) => q.getAll('v').includes('tcp:127.0.0.1:8080'))).toBe(true);
    for (const id of [A, B]) expect(shot.reals[id]?.graphs).toEqual(['timeline', 'conns', 'traffic', 'latency']);
    // B had a check in each of the 60 samples of the window: its latency line has 60 points
    expect(pointsOf(shot.reals[B]?.latency ?? '')).toBe(60);
    expect(shot.reals[B]?.trafficLines).toBe(2);
    expect(shot.reals[B]?.connsCaption).toMatch(/^[\d.]+ conn\/s · max [\d.]+$/);

    await a.down();
    await row(A).and(page.locator('[data-health="down"]')).waitFor();
    await weight(A, '5 / - / -');
    // (a check in flight when A closed may see ECONNRESET; the following ones are refused)
    await waitText(`tr[data-real="${A}"] .reason`, /ECONNREFUSED/);
    expect(await row(A).locator('.reason').textContent()).toMatch(
      /^✘ HTTP GET http:\/\/127\.0\.0\.1:(\d+)\/health: connect ECONNREFUSED 127\.0\.0\.1:\1 \(\d+ ms\)$/,
    );
    expect(await row(A).locator('.health').textContent()).toBe('down');
    await page.locator('#recent li[data-kind="down"]').first().waitFor();
    expect(await page.locator('#recent li[data-kind="down"]').first().textContent()).toContain(`127.0.0.1:${a.port}`);
    expect(await row(B).getAttribute('data-health')).toBe('up');

    // the operator drains B from the page (Basic credentials of the context, custom header from the script)
    await row(B).locator('button[data-action="drain"]').click();
    await row(B).and(page.locator('[data-override="drain"]')).waitFor();
    await weight(B, '2 / 0 / 0');
    const dests = await stack.ipvs.listDests({ family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 8080 });
    expect(dests.find((d) => d.port === b.port)?.weight).toBe(0);
    await page.locator('#recent li[data-kind="operator"]').first().waitFor();

    // A was down: a red stretch on its timeline, a tick where it changed; no kernel row while out of the table
    // B drained: its timeline ends amber
    const later = await until("the down stretch on A's timeline and the drain on B's", async () => {
      const s = await graphShot();
      const red = s.reals[A]?.timelineFills.includes('#c0392b') === true;
      return red && s.reals[B]?.timelineFills.includes('#e69b00') === true ? s : undefined;
    });
    expect(later.reals[A]?.timelineTicks).toBe(1);
    expect(later.reals[A]?.timelineCaption).toMatch(/^down, [1-9]\d* changes?$/);
    expect(later.reals[B]?.timelineCaption).toMatch(/^drain, \d+ changes?$/);
    mkdirArtifacts();
    await page.screenshot({ path: SHOT, fullPage: true });
    if (process.env.LDIRECTORD_DOCS_SCREENSHOT === '1') copyFileSync(SHOT, DOCS_SHOT);

    await a.up();
    await row(A).and(page.locator('[data-health="up"]')).waitFor();
    await weight(A, '5 / 5 / 5');
    expect(await page.locator('#recent li[data-kind="up"]').count()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  });
});

function mkdirArtifacts(): void {
  // test/artifacts is in the repository (with a .gitignore for the screenshots)
  if (!existsSync(path.dirname(SHOT))) throw new Error(`missing ${path.dirname(SHOT)}`);
}
