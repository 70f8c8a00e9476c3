/**
 * The web chat's accessibility, layout and safety in headless Chromium against the local
 * platform: axe-core reports no serious or critical violation (full page, open embedded chat and
 * its host page, with citations, quick replies, a failed message and developer details on
 * screen); at 375 px the message box stays visible and nothing overflows sideways; hostile bot
 * and knowledge text (script tags, event handler attributes, `javascript:` links, HTML) is shown
 * as text and never runs, with the page's CSP switched off so the DOM building alone is proven.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page, Route } from 'playwright-core';
import type { MessageResponse } from '../../contracts/conversation-api';
import {
  axeSerious,
  botAnswer,
  chatFrame,
  newPage,
  SCREENSHOTS,
  startWebFixture,
  waitFor,
  type WebFixture,
} from './web-browser';

let fx: WebFixture;
const MESSAGES = '**/v1/conversations/*/messages';

beforeAll(async () => {
  fx = await startWebFixture();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await fx?.stop();
});

/** An answer of the contract's shape, as the channel would send it. */
function answer(overrides: Partial<MessageResponse>): MessageResponse {
  return {
    conversationId: 'web-x',
    turn: 1,
    messages: [{ contentType: 'PlainText', content: 'ok' }],
    intent: { name: 'ProductInfo', state: 'InProgress', confidence: 0.93 },
    slots: { ProductType: null },
    sentiment: 'NEUTRAL',
    language: 'en',
    source: 'intent',
    citations: [],
    quickReplies: [],
    ...overrides,
  };
}

const KNOWLEDGE = answer({
  source: 'knowledge',
  messages: [
    {
      contentType: 'PlainText',
      content:
        'Returns are free within **30 days**:\n- keep the receipt\n- use the [returns form](https://help.example.com/returns)\n\nSee /help for more.',
    },
  ],
  citations: [
    {
      title: 'Returns policy',
      link: 'https://help.example.com/returns',
      snippet: 'Items may be returned within 30 days of delivery.',
    },
    { title: 'Shipping', link: '/help/shipping', snippet: 'Orders ship in 2 business days.' },
  ],
  quickReplies: [
    { text: 'Start a return', value: 'start a return' },
    { text: 'Talk to an agent', value: 'agent' },
  ],
});

const fulfil = (body: MessageResponse) => (route: Route) =>
  route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

async function send(frame: Frame | Page, text: string): Promise<void> {
  await frame.locator('#chat-input').fill(text);
  await frame.locator('#chat-input').press('Enter');
}

function describeViolations(violations: Awaited<ReturnType<typeof axeSerious>>): string[] {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.map((n) => n.html).join(' | ')}`);
}

test('GIVEN the full-page chat with a knowledge answer, citations, quick replies, a failed message and developer details WHEN axe-core runs THEN no serious or critical violation', async () => {
  const { page, problems, close } = await newPage(fx.browser, { bypassCSP: true });
  try {
    let n = 0;
    await page.route(MESSAGES, (route) =>
      n++ === 1
        ? route.fulfill({
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '30' },
            body: '{"error":{"code":"RATE_LIMITED","message":"too many requests, retry later"}}',
          })
        : fulfil(KNOWLEDGE)(route),
    );
    await page.goto(`${fx.platform.url}/`);
    await send(page, 'how do returns work');
    await botAnswer(page, 1);
    await send(page, 'and refunds?');
    await page.locator('.turn.user.failed .retry').waitFor();
    await page.locator('#chat-dev').check();
    await page.screenshot({ path: join(SCREENSHOTS, 'full-page.png'), fullPage: true });
    expect(describeViolations(await axeSerious(page))).toEqual([]);
    // the refused request is the one console line (Chromium logs every 4xx)
    expect(problems.filter((p) => !/status of 429/.test(p))).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN the chat embedded by the loader, open, after an answer WHEN axe-core runs in the host page and in the chat THEN no serious or critical violation in either', async () => {
  const { page, problems, close } = await newPage(fx.browser, { bypassCSP: true });
  try {
    await page.route(MESSAGES, fulfil(KNOWLEDGE));
    await page.goto(`${fx.platform.url}/embed-demo.html`);
    await page.locator('[data-conversational-chat] .launcher').click();
    const frame = await chatFrame(page);
    await send(frame, 'how do returns work');
    await botAnswer(frame, 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'embedded-knowledge.png') });
    expect(describeViolations(await axeSerious(page))).toEqual([]);
    expect(describeViolations(await axeSerious(frame))).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN a 375 px phone WHEN a long conversation is held in the full page and in the embedded chat THEN the message box stays in view and nothing overflows sideways', async () => {
  const { page, problems, close } = await newPage(fx.browser, { viewport: { width: 375, height: 667 } });
  try {
    await page.route(MESSAGES, fulfil(KNOWLEDGE));
    const inputInView = async (frame: Frame | Page, height: number): Promise<void> => {
      const box = (await frame.locator('#chat-input').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      expect(
        await frame.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
    };
    await page.goto(`${fx.platform.url}/`);
    for (let i = 1; i <= 4; i++) {
      await send(page, `question number ${i} about returns and refunds for a very long order`);
      await botAnswer(page, i);
    }
    await inputInView(page, 667);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-full-page.png') });

    await page.goto(`${fx.platform.url}/embed-demo.html`);
    await page.locator('[data-conversational-chat] .launcher').click();
    const frame = await chatFrame(page);
    // the panel takes the whole screen; the chat's own close button replaces the launcher
    const panel = (await page.locator('[data-conversational-chat] .panel').boundingBox())!;
    expect(panel).toMatchObject({ x: 0, y: 0, width: 375, height: 667 });
    expect(await page.locator('[data-conversational-chat] .launcher').isVisible()).toBe(false);
    for (let i = 1; i <= 3; i++) {
      await send(frame, `question number ${i} about returns`);
      await botAnswer(frame, i);
    }
    await inputInView(frame, 667);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-embedded.png') });
    await frame.locator('#chat-close').click();
    await waitFor(
      () => page.locator('[data-conversational-chat] .launcher').isVisible(),
      'the launcher back',
    );
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN hostile bot and knowledge text WHEN shown (page CSP off) THEN no script runs, no element but text markup exists, and links are https or same-origin only', async () => {
  const { page, problems, close } = await newPage(fx.browser, { bypassCSP: true });
  try {
    const hostile = answer({
      source: 'knowledge',
      messages: [
        {
          contentType: 'PlainText',
          content:
            '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">\n' +
            '**<b onmouseover="window.__pwned = 3">bold</b>** [click](javascript:window.__pwned=4) ' +
            '[data](data:text/html,<script>alert(1)</script>) <a href="javascript:alert(5)">a</a>\n' +
            '- <iframe src="https://evil.example"></iframe>\n- [fine](https://help.example.com/ok)',
        },
        { contentType: 'PlainText', content: '<svg onload="window.__pwned = 6"></svg>' },
        { contentType: 'CustomPayload', content: '{"for":"programs","not":"customers"}' },
      ],
      citations: [
        {
          title: '<img src=x onerror="window.__pwned = 7">Returns',
          link: 'javascript:window.__pwned=8',
          snippet: '<script>window.__pwned = 9</script>snippet',
        },
        { title: 'Shipping', link: '//evil.example/x', snippet: 'ok' },
      ],
      quickReplies: [{ text: '<b onclick="window.__pwned = 10">pick</b>', value: 'x' }],
    });
    await page.route(MESSAGES, fulfil(hostile));
    await page.goto(`${fx.platform.url}/`);
    await send(page, 'hello');
    await botAnswer(page, 2);
    const log = page.locator('#chat-log');
    // hover and click everything a customer could
    await log.locator('strong').first().hover();
    for (const el of await log.locator('a, button.quick-reply').all()) await el.hover();
    await log.locator('.turn.bot .bubble').nth(1).click();
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(
      await log
        .locator(
          'script, img, iframe, svg:not(.icon-button svg):not(button svg), [onerror], [onclick], [onmouseover], [onload]',
        )
        .count(),
    ).toBe(0);
    const hrefs = await log.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // a bare https URL is a link like any https link; the javascript:, data: and //host targets are not
    expect(hrefs).toContain('https://help.example.com/ok');
    for (const href of hrefs) expect(href).toMatch(/^https:\/\//);
    expect(hrefs).not.toContain('https://evil.example/x');
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('<img src=x onerror="window.__pwned = 2">');
    expect(text).toContain('<svg onload="window.__pwned = 6"></svg>');
    expect(text).toContain('snippet');
    expect(text).not.toContain('for programs'); // a CustomPayload is not shown
    expect(text).not.toContain('"for"');
    expect(await log.locator('.citations li').first().textContent()).toContain(
      '<img src=x onerror="window.__pwned = 7">Returns',
    );
    expect(await log.locator('button.quick-reply').textContent()).toBe(
      '<b onclick="window.__pwned = 10">pick</b>',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'hostile-inert.png'), fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});
