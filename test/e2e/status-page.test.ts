// The status page in a real headless Chromium (playwright-core, Debian's /usr/bin/chromium): the real stack
// (config loader, director on the in-memory table, the real health pool and HTTP checks, HTTP real servers
// on loopback, status server with statususers) is watched as a real server goes down (its HTTP server stopped) and comes back, and an
// operator drains another from the page. A screenshot is kept in test/artifacts/status-page.png.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  loadText,
  startReal,
  startStack,
  tempDir,
  usersFile,
  withStatus,
  type RealServer,
  type Stack,
} from '../observe/status/support/stack';

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
  const weight = (id: string, text: string) =>
    waitText(`tr[data-real="${id}"] .weight`, new RegExp(`^${text.replace(/[/]/g, '\\/')}$`));

  beforeAll(async () => {
    a = await startReal();
    b = await startReal();
    const V = 'tcp:127.0.0.1:8080';
    A = `${V}|127.0.0.1:${a.port}`;
    B = `${V}|127.0.0.1:${b.port}`;
    const dir = tempDir();
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
    const config = withStatus(await loadText(text, dir), {
      statusaddress: '127.0.0.1:0',
      statususers: await usersFile(dir, { alice: 'pw-alice' }),
    });
    stack = await startStack(config, { statsTtlMs: 0 });
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
    await page.goto(stack.url);
    await page.locator('body[data-loaded="yes"]').waitFor();
    await row(A).and(page.locator('[data-health="up"]')).waitFor();
    await row(B).and(page.locator('[data-health="up"]')).waitFor();
    await weight(A, '5 / 5 / 5');
    expect(await page.locator('section[data-virtual="tcp:127.0.0.1:8080"] h2').textContent()).toBe('127.0.0.1:8080');
    expect(await row(A).locator('.reason').textContent()).toMatch(
      /^✔ HTTP GET http:\/\/127\.0\.0\.1:\d+\/health: 200 OK/,
    );

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
    mkdirArtifacts();
    await page.screenshot({ path: SHOT, fullPage: true });

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
