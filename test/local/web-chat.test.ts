/**
 * The web chat page in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; never a browser download): keyboard only, type a message, read the bot's
 * answer with intent/confidence/sentiment, switch to Spanish, get a Spanish answer.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BOT_MODEL } from '../../contracts/bot-model';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = join(__dirname, '..', '..', 'reports');

let platform: LocalPlatform;
let browser: Browser;
let page: Page;
let dataDir: string;

const greeting = BOT_MODEL.intents.find((i) => i.name === 'Greeting')!;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (never a browser download)`);
  dataDir = mkdtempSync(join(tmpdir(), 'local-web-'));
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory' });
  browser = await chromium.launch({
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
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Text of the last bot bubble, once there are `count` of them. */
async function botAnswer(count: number): Promise<string> {
  const bubbles = page.locator('#log .turn.bot .bubble');
  await bubbles.nth(count - 1).waitFor({ timeout: 10_000 });
  return (await bubbles.nth(count - 1).textContent()) ?? '';
}

test('GIVEN the web chat, keyboard only WHEN a message is typed, then Spanish chosen THEN its answer is shown, then a Spanish answer', async () => {
  // GIVEN the page, focus in the message box
  await page.goto(platform.url + '/');
  await expect(page.locator('#message')).toBeFocusedSoon();
  const conversationId = await page.locator('#conversation-id').textContent();
  expect(conversationId).toMatch(/^web-[0-9a-f-]{36}$/);

  // WHEN the user types an English greeting and presses Enter
  await page.keyboard.type(greeting.utterances.en_US[0]!);
  await page.keyboard.press('Enter');

  // THEN the bot answers with one of the model's English greeting responses, and the turn shows
  // the intent, confidence and sentiment
  const english = await botAnswer(1);
  expect(greeting.responses.en_US).toContain(english);
  const details = (await page.locator('#log .turn.bot').last().locator('.details').textContent()) ?? '';
  expect(details).toMatch(/intent: Greeting/);
  expect(details).toMatch(/confidence: \d+%/);
  expect(details).toMatch(/sentiment: (NEUTRAL|POSITIVE|NEGATIVE|MIXED)/);
  // the answer is in the live region that screen readers announce
  expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');

  // WHEN the user tabs to the language switch, picks Spanish with the keyboard, and writes in Spanish
  await page.locator('#locale').focus();
  await page.keyboard.press('ArrowDown'); // en_US -> es_US (a native select changes on arrow keys)
  await expect(page.locator('html')).toHaveLangSoon('es');
  await page.locator('#message').focus();
  await page.keyboard.type(greeting.utterances.es_US[0]!);
  await page.keyboard.press('Enter');

  // THEN the answer is one of the model's Spanish greeting responses
  const spanish = await botAnswer(2);
  expect(greeting.responses.es_US).toContain(spanish);
  expect(await page.locator('#message-label').textContent()).toBe('Tu mensaje');

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'local-web-chat.png'), fullPage: true });
});

test('GIVEN the web chat WHEN a message is empty or over-long THEN the error is shown to the user', async () => {
  await page.goto(platform.url + '/');
  await page.locator('#message').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#error')).toBeVisibleWithTextSoon(/type a message/i);

  // over 1,024 characters: refused on the page, counted as the channel counts
  await page.locator('#message').fill('a'.repeat(2000));
  await expect(page.locator('#message-count')).toBeVisibleWithTextSoon(/^2,000 \/ 1,024$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('#error')).toBeVisibleWithTextSoon(/2,000 characters; the limit is 1,024/);
  expect(await page.locator('#error').getAttribute('role')).toBe('alert');
  expect(await page.locator('#log .turn.user').count()).toBe(0);
});

test('GIVEN the web chat WHEN 1,023 letters and an emoji are typed THEN they are sent and answered: a character is a code point, as in the API', async () => {
  await page.goto(platform.url + '/');
  const text = 'a'.repeat(1023) + '😀'; // 1,024 characters, 1,025 UTF-16 code units
  await page.locator('#message').fill(text);
  // nothing cut it short (an input's maxlength counts UTF-16 code units)
  expect(await page.locator('#message').inputValue()).toBe(text);
  await expect(page.locator('#message-count')).toBeVisibleWithTextSoon(/^1,024 \/ 1,024$/);
  expect(await page.locator('#message-count').getAttribute('class')).not.toMatch(/\bover\b/);
  await page.keyboard.press('Enter');

  await botAnswer(1);
  expect(await page.locator('#error').isVisible()).toBe(false);
  expect(await page.locator('#log .turn.user .bubble').first().textContent()).toBe(text);

  // one more character is over the limit
  await page.locator('#message').fill(text + 'b');
  await expect(page.locator('#message-count')).toBeVisibleWithTextSoon(/^1,025 \/ 1,024$/);
  expect(await page.locator('#message-count').getAttribute('class')).toMatch(/\bover\b/);
});

test('GIVEN a phone-sized screen WHEN the bot answers THEN nothing overflows sideways and the answer is readable', async () => {
  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  try {
    await phone.goto(platform.url + '/');
    await phone.locator('#message').fill('hello');
    await phone.keyboard.press('Enter');
    await phone.locator('#log .turn.bot .bubble').first().waitFor({ timeout: 10_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await phone.locator('#new-conversation').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  } finally {
    await phone.close();
  }
});

// ---- small polling matchers (playwright-core has no test runner `expect`) -----------------------
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeFocusedSoon(): Promise<R>;
      toHaveLangSoon(lang: string): Promise<R>;
      toBeVisibleWithTextSoon(text: RegExp): Promise<R>;
    }
  }
}

async function poll(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

expect.extend({
  async toBeFocusedSoon(locator: ReturnType<Page['locator']>) {
    const pass = await poll(() => locator.evaluate((el) => el === document.activeElement));
    return { pass, message: () => 'expected the element to have the focus' };
  },
  async toHaveLangSoon(locator: ReturnType<Page['locator']>, lang: string) {
    const pass = await poll(async () => (await locator.getAttribute('lang')) === lang);
    return { pass, message: () => `expected lang="${lang}"` };
  },
  async toBeVisibleWithTextSoon(locator: ReturnType<Page['locator']>, text: RegExp) {
    const pass = await poll(
      async () => (await locator.isVisible()) && text.test((await locator.textContent()) ?? ''),
    );
    return { pass, message: () => `expected a visible element with text ${text}, got "${''}"` };
  },
});
