/**
 * What the web chat's Chromium tests share: the local platform, Debian's /usr/bin/chromium via
 * playwright-core (never a browser download), the chat frame the loader adds, axe-core, and
 * polling waits (playwright-core has no test runner `expect`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../local/server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where screenshots go (looked at by a person: docs/web.md lists them). */
export const SCREENSHOTS = process.env.WEB_SCREENSHOT_DIR ?? join(tmpdir(), 'web-chat-screenshots');

export interface WebFixture {
  platform: LocalPlatform;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startWebFixture(opts: Pick<LocalPlatformOptions, 'auth'> = {}): Promise<WebFixture> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (never a browser download)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'local-web-'));
  const platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory', ...opts });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    platform,
    browser,
    async stop() {
      await browser.close();
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new page in its own context (its own localStorage), collecting page errors and CSP reports. */
export async function newPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, problems, close: () => context.close() };
}

/** The chat's frame (the loader's iframe), once it has loaded the chat. */
export async function chatFrame(page: Page): Promise<Frame> {
  let frame: Frame | undefined;
  await waitFor(async () => {
    frame = page.frames().find((f) => f.url().includes('embed=1'));
    return !!frame && (await frame.locator('#chat-input').count()) === 1;
  }, 'the chat frame');
  return frame!;
}

/** Polls `check` until true, else fails naming `what`. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err; // a frame navigating, an element not there yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (${(lastError as Error).message})` : ''}`);
}

/** The id of the focused element inside `frame` (and the frame element focused in its parent). */
export const focusedId = (frame: Frame | Page): Promise<string> =>
  frame.evaluate(() => document.activeElement?.id ?? '');

/** Texts of the bot bubbles (the welcome message excluded). */
export const botTexts = (frame: Frame | Page): Promise<string[]> =>
  frame.locator('#chat-log .turn.bot:not(.welcome) .bubble').allTextContents();

/** Waits for the `count`-th bot answer and returns its text. */
export async function botAnswer(frame: Frame | Page, count: number): Promise<string> {
  await waitFor(async () => (await botTexts(frame)).length >= count, `bot answer #${count}`);
  return (await botTexts(frame))[count - 1]!;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/** axe-core's serious and critical violations in `frame` (the context must bypass CSP to inject it). */
export async function axeSerious(frame: Frame | Page): Promise<AxeViolation[]> {
  await frame.addScriptTag({ content: AXE });
  const result = await frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
