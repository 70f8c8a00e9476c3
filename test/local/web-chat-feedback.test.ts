/**
 * The widget's thumbs against the real feedback route of the local platform (no interception):
 * headless Chromium opens the embedded chat, the customer writes, rates the answer with a thumb
 * (signed with the Cognito stand-in's credentials, checked strictly), and the feedback is read
 * back from where `npm start` keeps it: the turn's item in the embedded DynamoDB (dynalite) and
 * a `feedback` event in the conversation event files. web-chat.test.ts covers the widget's side
 * of failures with an intercepted route.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Frame, Page } from 'playwright-core';
import { BOT_MODEL } from '../../contracts/bot-model';
import { botAnswer, chatFrame, newPage, startWebFixture, waitFor, type WebFixture } from './web-browser';

let fx: WebFixture;
const greeting = BOT_MODEL.intents.find((i) => i.name === 'Greeting')!;
const MESSAGES_PATH = /\/v1\/conversations\/([^/]+)\/messages$/;

beforeAll(async () => {
  fx = await startWebFixture({ auth: 'sigv4' });
});

afterAll(async () => {
  await fx?.stop();
});

/** Opens the demo host page and the chat from its launcher; returns the chat's frame. */
async function openEmbedded(page: Page): Promise<Frame> {
  await page.goto(`${fx.platform.url}/embed-demo.html`);
  await page.locator('[data-conversational-chat] .launcher').click();
  return chatFrame(page);
}

/** The stored turn item of the local conversation table. */
async function storedTurn(
  conversationId: string,
  turn: number,
): Promise<Record<string, unknown> | undefined> {
  const { doc, tableName } = fx.platform.dynamo;
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: { conversationId, turn } }));
  return out.Item;
}

/** Every event line in the platform's event files (NDJSON under <dataDir>/events). */
function eventLines(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ndjson'))
        for (const line of readFileSync(path, 'utf8').split('\n'))
          if (line.trim()) out.push(JSON.parse(line));
    }
  };
  walk(join(fx.platform.dataDir, 'events'));
  return out;
}

test('GIVEN an answer in the embedded chat WHEN the customer gives it a thumbs down THEN the local platform stores it with the turn and emits a feedback event, and the widget acknowledges it', async () => {
  const { page, problems, close } = await newPage(fx.browser);
  try {
    const conversations = new Set<string>();
    const feedbackStatuses: number[] = [];
    page.on('request', (r) => {
      const m = MESSAGES_PATH.exec(new URL(r.url()).pathname);
      if (m) conversations.add(decodeURIComponent(m[1]!));
    });
    page.on('response', (r) => {
      if (r.url().endsWith('/feedback')) feedbackStatuses.push(r.status());
    });
    const frame = await openEmbedded(page);
    await frame.locator('#chat-input').fill(greeting.utterances.en_US[0]!);
    await frame.locator('#chat-input').press('Enter');
    await botAnswer(frame, 1);
    expect(conversations.size).toBe(1);
    const [conversationId] = [...conversations];

    // the answer's turn is stored, with no feedback yet
    const before = await storedTurn(conversationId!, 1);
    expect(before).toBeDefined();
    expect(before?.feedback).toBeUndefined();

    const turn = frame.locator('#chat-log .turn.bot:not(.welcome)').last();
    await turn.locator('button.thumb.down').click();
    await waitFor(
      async () => (await turn.locator('.feedback-status').textContent()) === 'Thanks for your feedback.',
      'the acknowledgement',
    );
    expect(await turn.locator('button.thumb.down').getAttribute('aria-pressed')).toBe('true');
    expect(await turn.locator('button.thumb.up').getAttribute('aria-pressed')).toBe('false');
    expect(await turn.locator('.feedback-status').getAttribute('class')).not.toMatch(/failed/);
    // the real route answered (202 Accepted), once
    expect(feedbackStatuses).toEqual([202]);

    // stored with the turn it rates, in the embedded DynamoDB
    const after = await storedTurn(conversationId!, 1);
    expect(after?.feedback).toEqual({ helpful: false, at: expect.any(String) });

    // and emitted on the conversation event files
    await fx.platform.events.flush();
    let events: Record<string, unknown>[] = [];
    await waitFor(async () => {
      events = eventLines().filter((e) => e.type === 'feedback' && e.conversationId === conversationId);
      return events.length > 0;
    }, 'the feedback event');
    expect(events).toEqual([
      expect.objectContaining({ turn: 1, helpful: false, rating: null, hasComment: false, channel: 'web' }),
    ]);
    expect(problems).toEqual([]);
  } finally {
    await close();
  }
});
