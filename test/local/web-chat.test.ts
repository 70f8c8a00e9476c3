/**
 * The web chat widget in headless Chromium against the local platform (`npm start`'s server,
 * in-process): embedded in a plain host page by the loader's one script tag, keyboard only; an
 * English and a Spanish conversation (requests signed with credentials from the local Cognito
 * Identity stand-in, checked strictly by the local API Gateway); a quick-reply button filling a slot; history restored after a reload; a
 * 503 then a retry that honours Retry-After; feedback sent, or shown as failed; the developer
 * toggle. Screenshots go to SCREENSHOTS (docs/web.md says which were looked at).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { BOT_MODEL } from '../../contracts/bot-model';
import {
  botAnswer,
  botTexts,
  chatFrame,
  focusedId,
  newPage,
  SCREENSHOTS,
  startWebFixture,
  waitFor,
  type WebFixture,
} from './web-browser';

let fx: WebFixture;
const greeting = BOT_MODEL.intents.find((i) => i.name === 'Greeting')!;
const productInfo = BOT_MODEL.intents.find((i) => i.name === 'ProductInfo')!;
const MESSAGES = '**/v1/conversations/*/messages';

beforeAll(async () => {
  // API Gateway's IAM auth, strictly: every conversation request must carry a valid SigV4 signature
  fx = await startWebFixture({ auth: 'sigv4' });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await fx?.stop();
});

/** Opens the demo host page and the chat with the keyboard; returns the chat's frame. */
async function openEmbedded(page: Page, query = ''): Promise<Frame> {
  await page.goto(`${fx.platform.url}/embed-demo.html${query}`);
  const launcher = page.locator('[data-conversational-chat] .launcher');
  await launcher.waitFor();
  await launcher.focus();
  await page.keyboard.press('Enter');
  return chatFrame(page);
}

async function send(frame: Frame | Page, text: string): Promise<void> {
  await frame.locator('#chat-input').fill(text);
  await frame.locator('#chat-input').press('Enter');
}

test('GIVEN a plain page with the loader tag WHEN the launcher is opened by keyboard and the customer writes THEN the input has the focus, a typing indicator shows while the signed turn is pending, the answer and its language appear, and Escape closes back to the launcher', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    const signed: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/messages')) signed.push(r.headers()['authorization'] ?? '');
    });
    // the answer is held back a moment, so the pending state can be seen
    await page.route(MESSAGES, async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    const frame = await openEmbedded(page);
    const launcher = page.locator('[data-conversational-chat] .launcher');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await waitFor(async () => (await focusedId(frame)) === 'chat-input', 'the focus in the message box');
    // the welcome message opens the conversation
    expect(await frame.locator('#chat-log .welcome .bubble').textContent()).toBe(
      'Hi! How can I help you today?',
    );

    await page.keyboard.type(greeting.utterances.en_US[0]!);
    await page.keyboard.press('Enter');
    await frame.locator('#chat-typing').waitFor({ state: 'visible', timeout: 2000 });
    expect(await frame.locator('#chat-log').getAttribute('aria-busy')).toBe('true');
    const answer = await botAnswer(frame, 1);
    expect(greeting.responses.en_US).toContain(answer);
    expect(await frame.locator('#chat-typing').isVisible()).toBe(false);
    expect(await frame.locator('#chat-log .turn.bot').last().locator('.language').textContent()).toBe(
      'Answered in English',
    );
    expect(await frame.locator('#chat-log').getAttribute('aria-live')).toBe('polite');
    // the request was SigV4-signed with the stand-in's temporary credentials
    expect(signed[0]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=\S+\/\d{8}\/[a-z0-9-]+\/execute-api\/aws4_request, SignedHeaders=\S*x-amz-security-token\S*, Signature=[0-9a-f]{64}$/,
    );
    // ... and the platform checks it strictly: the same request unsigned is refused
    const unsigned = await frame.evaluate(async () => {
      const res = await fetch('/v1/conversations/web-unsigned/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hi', locale: 'en_US', channel: 'web', audio: false }),
      });
      return res.status;
    });
    expect(unsigned).toBe(403);
    // developer details are not shown to customers
    expect(await frame.locator('#chat-log .details').first().isVisible()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'embedded-open.png') });

    // Escape closes the chat and gives the focus back to the launcher
    await page.keyboard.press('Escape');
    await waitFor(
      async () => (await launcher.getAttribute('aria-expanded')) === 'false',
      'the chat to close',
    );
    expect(await page.locator('[data-conversational-chat] .panel').isVisible()).toBe(false);
    expect(
      await launcher.evaluate(
        (el) =>
          el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el,
      ),
    ).toBe(true);
    expect(problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN the loader with data-locale es_US WHEN the customer greets in Spanish THEN the chat speaks Spanish and the answer is a Spanish one, marked as such', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    const frame = await openEmbedded(page, '?locale=es_US&title=Ayuda');
    expect(await frame.locator('html').getAttribute('lang')).toBe('es');
    expect(await frame.locator('#chat-title').textContent()).toBe('Ayuda');
    expect(await frame.locator('#chat-input-label').textContent()).toBe('Tu mensaje');
    expect(await frame.locator('#chat-log .welcome .bubble').textContent()).toBe(
      '¡Hola! ¿En qué puedo ayudarte hoy?',
    );
    await send(frame, greeting.utterances.es_US[0]!);
    expect(greeting.responses.es_US).toContain(await botAnswer(frame, 1));
    expect(await frame.locator('#chat-log .turn.bot').last().locator('.language').textContent()).toBe(
      'Respondido en español',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'embedded-spanish.png') });
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN the bot asks for a product WHEN a quick-reply button is pressed THEN its value is sent, the slot is filled and the buttons go away', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    const frame = await openEmbedded(page);
    await send(frame, 'tell me about your products');
    const prompt = await botAnswer(frame, 1);
    expect(prompt).toBe(productInfo.slots[0]!.prompt.en_US);
    const buttons = frame.locator('#chat-log .quick-replies button');
    await waitFor(async () => (await buttons.count()) > 0, 'quick-reply buttons');
    expect(await frame.locator('#chat-log .quick-replies').getAttribute('aria-label')).toBe(
      'Suggested replies',
    );
    const labels = await buttons.allTextContents();
    expect(labels.length).toBe(5);
    await page.screenshot({ path: join(SCREENSHOTS, 'quick-replies.png') });

    // keyboard: focus the first button, press Enter
    await buttons.first().focus();
    await page.keyboard.press('Enter');
    const answer = await botAnswer(frame, 2);
    expect(await frame.locator('#chat-log .turn.user .bubble').last().textContent()).toBe(labels[0]);
    expect(answer).not.toBe(prompt);
    // the slot is filled: the developer toggle shows it
    await frame.locator('#chat-dev').check();
    const details =
      (await frame.locator('#chat-log .turn.bot').last().locator('.details').textContent()) ?? '';
    expect(details).toMatch(/intentProductInfo/);
    expect(details).toMatch(/slot ProductType\w+/);
    expect(await frame.locator('#chat-log .quick-replies').count()).toBe(0);
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN a conversation WHEN the host page is reloaded THEN the chat reopens with its history; "New conversation" starts an empty one', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    let frame = await openEmbedded(page);
    await send(frame, greeting.utterances.en_US[0]!);
    const first = await botAnswer(frame, 1);
    const conversation = await frame.evaluate(() => localStorage.length);
    expect(conversation).toBeGreaterThan(0);

    await page.reload();
    frame = await chatFrame(page); // reopened: it was open before the reload
    await waitFor(async () => (await botTexts(frame)).length === 1, 'the restored answer');
    expect(await botTexts(frame)).toEqual([first]);
    expect(await frame.locator('#chat-log .turn.user .bubble').allTextContents()).toEqual([
      greeting.utterances.en_US[0],
    ]);
    // the restored conversation goes on (same identity, same conversation id: the owner check passes)
    await send(frame, 'where is my order');
    await botAnswer(frame, 2);
    await page.screenshot({ path: join(SCREENSHOTS, 'restored-after-reload.png') });

    await frame.locator('#chat-new').click();
    expect(await botTexts(frame)).toEqual([]);
    expect(await frame.locator('#chat-status').textContent()).toBe('New conversation started.');
    expect(await focusedId(frame)).toBe('chat-input');
    await page.reload();
    frame = await chatFrame(page);
    expect(await botTexts(frame)).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN the API answers 503 with Retry-After 2 WHEN the message fails THEN it is marked with a retry that waits 2 s, and the retry is answered', async () => {
  const { page, close } = await newPage(fx.browser);
  try {
    let refused = 0;
    await page.route(MESSAGES, async (route) => {
      if (refused++ === 0)
        return route.fulfill({
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '2' },
          body: JSON.stringify({
            error: { code: 'UNAVAILABLE', message: 'the bot is temporarily unavailable' },
          }),
        });
      return route.continue();
    });
    const frame = await openEmbedded(page);
    await send(frame, greeting.utterances.en_US[0]!);
    const failure = frame.locator('#chat-log .turn.user.failed .failure');
    await failure.waitFor({ timeout: 5000 });
    const failedAt = Date.now();
    expect(await failure.textContent()).toBe(
      'Not sent. The assistant is unavailable for a moment.Retry in 2 s',
    );
    const retry = failure.locator('button.retry');
    expect(await retry.isDisabled()).toBe(true);
    expect(await retry.textContent()).toMatch(/^Retry in [12] s$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'retry-after.png') });

    await waitFor(async () => !(await retry.isDisabled()), 'the retry to be allowed', 5000);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1500);
    expect(await retry.textContent()).toBe('Retry');
    await retry.click();
    expect(greeting.responses.en_US).toContain(await botAnswer(frame, 1));
    expect(await frame.locator('#chat-log .turn.user.failed').count()).toBe(0);
    expect(refused).toBe(2);
  } finally {
    await close();
  }
});

test('GIVEN an answer WHEN thumbs up is sent THEN the FeedbackRequest names its turn and is acknowledged; a failed send is shown, not dropped', async () => {
  const { page, close } = await newPage(fx.browser);
  try {
    const feedback: unknown[] = [];
    let fail = false;
    await page.route('**/v1/conversations/*/feedback', async (route) => {
      feedback.push(JSON.parse(route.request().postData() ?? 'null'));
      expect(route.request().headers()['authorization']).toMatch(/^AWS4-HMAC-SHA256 /);
      await route.fulfill(
        fail
          ? {
              status: 500,
              contentType: 'application/json',
              body: '{"error":{"code":"INTERNAL","message":"x"}}',
            }
          : { status: 204, body: '' },
      );
    });
    const frame = await openEmbedded(page);
    await send(frame, greeting.utterances.en_US[0]!);
    await botAnswer(frame, 1);
    const turn = frame.locator('#chat-log .turn.bot').last();
    await turn.locator('button.thumb.up').click();
    await waitFor(
      async () => (await turn.locator('.feedback-status').textContent()) === 'Thanks for your feedback.',
      'the thanks',
    );
    expect(await turn.locator('button.thumb.up').getAttribute('aria-pressed')).toBe('true');
    expect(feedback).toEqual([{ turn: 1, helpful: true }]);

    fail = true;
    await turn.locator('button.thumb.down').click();
    await waitFor(
      async () =>
        (await turn.locator('.feedback-status').textContent()) === 'Your feedback could not be sent.',
      'the failure',
    );
    expect(await turn.locator('.feedback-status').getAttribute('class')).toMatch(/failed/);
    expect(feedback).toEqual([
      { turn: 1, helpful: true },
      { turn: 1, helpful: false },
    ]);
  } finally {
    await close();
  }
});

test('GIVEN the full-page chat WHEN a message is empty, over 1,024 characters, or exactly 1,024 with an emoji THEN the first two are refused on the page with the reason, the last is sent and answered', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    await page.goto(`${fx.platform.url}/`);
    await waitFor(async () => (await focusedId(page)) === 'chat-input', 'the focus in the message box');
    await page.keyboard.press('Enter');
    expect(await page.locator('#chat-error').textContent()).toBe('Please type a message first.');
    expect(await page.locator('#chat-error').getAttribute('role')).toBe('alert');

    const limit = 'a'.repeat(1023) + '😀'; // 1,024 characters (code points), 1,025 UTF-16 units
    await page.locator('#chat-input').fill(limit + 'b');
    await page.keyboard.press('Enter');
    expect(await page.locator('#chat-error').textContent()).toBe(
      'Your message has 1025 characters; the limit is 1024.',
    );
    expect(await page.locator('#chat-log .turn.user').count()).toBe(0);

    await page.locator('#chat-input').fill(limit);
    await page.keyboard.press('Enter');
    await botAnswer(page, 1);
    expect(await page.locator('#chat-error').isVisible()).toBe(false);
    expect(await page.locator('#chat-log .turn.user .bubble').first().textContent()).toBe(limit);
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN the developer toggle WHEN switched on THEN each answer shows intent, confidence, state and sentiment, and the panel the conversation and identity; off hides them', async () => {
  const { page, close } = await newPage(fx.browser);
  try {
    await page.goto(`${fx.platform.url}/`);
    await send(page, greeting.utterances.en_US[0]!);
    await botAnswer(page, 1);
    const details = page.locator('#chat-log .turn.bot').last().locator('.details');
    expect(await details.isVisible()).toBe(false);
    await page.locator('#chat-dev').focus();
    await page.keyboard.press('Space');
    expect(await details.isVisible()).toBe(true);
    const text = (await details.textContent()) ?? '';
    expect(text).toMatch(/intentGreeting/);
    expect(text).toMatch(/confidence\d+%/);
    expect(text).toMatch(/sentiment(NEUTRAL|POSITIVE|NEGATIVE|MIXED)/);
    const panel = (await page.locator('#chat-dev-panel').textContent()) ?? '';
    expect(panel).toMatch(/conversationweb-[0-9a-f-]{36}/);
    expect(panel).toMatch(/identityus-east-1:[0-9a-f-]{36}/);
    await page.keyboard.press('Space');
    expect(await details.isVisible()).toBe(false);
  } finally {
    await close();
  }
});

test('GIVEN a guest conversation WHEN the host page signs the customer in with ConversationalChat.setIdToken THEN Cognito gets the id token as the user pool login, a new conversation starts, and its requests are signed with the signed-in credentials', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    const USER_POOL = 'us-east-1_LocalTest';
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ sub: 'user-123' })).toString('base64url')}.sig`;
    // a config.json with a user pool, and a Cognito that knows it (the local stand-in is guests only)
    await page.route('**/config.json', async (route) => {
      const config = await (await route.fetch()).json();
      await route.fulfill({ json: { ...config, userPool: { id: USER_POOL, clientId: 'client-1' } } });
    });
    const logins: unknown[] = [];
    await page.route('**/local/cognito/', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      if (!body.Logins) return route.continue();
      logins.push(body.Logins);
      const target = route.request().headers()['x-amz-target'];
      await route.fulfill({
        contentType: 'application/x-amz-json-1.1',
        json: target?.endsWith('GetId')
          ? { IdentityId: 'us-east-1:signed-in-user' }
          : {
              IdentityId: 'us-east-1:signed-in-user',
              Credentials: {
                AccessKeyId: 'ASIASIGNEDINUSER0001',
                SecretKey: 'secret',
                SessionToken: 'token',
                Expiration: Date.now() / 1000 + 3600,
              },
            },
      });
    });
    const requests: { url: string; credential: string }[] = [];
    await page.route(MESSAGES, async (route) => {
      const credential =
        /Credential=([A-Z0-9]+)\//.exec(route.request().headers()['authorization'] ?? '')?.[1] ?? '';
      requests.push({ url: route.request().url(), credential });
      await route.fulfill({
        json: {
          conversationId: 'x',
          turn: requests.length,
          messages: [{ contentType: 'PlainText', content: `answer ${requests.length}` }],
          intent: { name: null, state: null, confidence: null },
          slots: {},
          sentiment: null,
          language: 'en',
          source: 'intent',
          citations: [],
          quickReplies: [],
        },
      });
    });
    const frame = await openEmbedded(page);
    await send(frame, 'hello as a guest');
    await botAnswer(frame, 1);

    await page.evaluate(
      (t) =>
        (
          window as unknown as { ConversationalChat: { setIdToken(t: string): void } }
        ).ConversationalChat.setIdToken(t),
      token,
    );
    await waitFor(
      async () =>
        (await frame.locator('#chat-status').textContent()) ===
        'You are signed in: a new conversation was started.',
      'the sign-in note',
    );
    expect(await botTexts(frame)).toEqual([]);
    await send(frame, 'hello as a customer');
    await botAnswer(frame, 1);

    expect(logins).toEqual([
      { [`cognito-idp.us-east-1.amazonaws.com/${USER_POOL}`]: token },
      { [`cognito-idp.us-east-1.amazonaws.com/${USER_POOL}`]: token },
    ]);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.credential).toMatch(/^ASIA/);
    expect(requests[0]!.credential).not.toBe('ASIASIGNEDINUSER0001');
    expect(requests[1]!.credential).toBe('ASIASIGNEDINUSER0001');
    expect(requests[1]!.url).not.toBe(requests[0]!.url); // another conversation id
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});

test('GIVEN a message still pending WHEN the page is reloaded THEN it comes back marked not sent, with a retry that sends it', async () => {
  const { page, close } = await newPage(fx.browser);
  try {
    let hold = true;
    await page.route(MESSAGES, async (route) => {
      if (hold) return; // never answered: the page goes away first
      await route.continue();
    });
    await page.goto(`${fx.platform.url}/`);
    await send(page, greeting.utterances.en_US[0]!);
    await page.locator('#chat-typing').waitFor({ state: 'visible' });
    hold = false;
    await page.reload();
    const failed = page.locator('#chat-log .turn.user.failed');
    await failed.waitFor();
    expect(await failed.locator('.failure').textContent()).toBe('Not sent.Retry');
    await failed.locator('button.retry').click();
    expect(greeting.responses.en_US).toContain(await botAnswer(page, 1));
    expect(await page.locator('#chat-log .turn.user.failed').count()).toBe(0);
  } finally {
    await close();
  }
});
