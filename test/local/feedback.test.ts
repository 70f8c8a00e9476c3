/**
 * Feedback on `npm start`, over HTTP, end to end: a turn is answered, its thumbs down is stored
 * with the turn (dynalite), written to the event files as a `feedback` event without the comment,
 * refused a second time (409), refused for another identity (404), and for a turn never answered.
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageResponse } from '../../contracts/conversation-api';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

let platform: LocalPlatform;
let dataDir: string;
const conversation = `feedback-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-feedback-'));
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory' });
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, identity?: string) =>
  fetch(`${platform.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(identity ? { 'x-local-identity': identity } : {}) },
    body: JSON.stringify(body),
  });

function eventLines(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ndjson') && p.includes(`${join(dataDir, 'events')}`))
        for (const l of readFileSync(p, 'utf8').split('\n')) if (l.trim()) out.push(JSON.parse(l));
    }
  };
  walk(dataDir);
  return out;
}

describe('feedback on the local platform', () => {
  test('GIVEN an answered turn WHEN the customer gives a thumbs down with a comment THEN it is stored with the turn, emitted without the comment, and only once', async () => {
    const answer = (await (
      await post(`/v1/conversations/${conversation}/messages`, { text: 'hello', locale: 'en_US' })
    ).json()) as MessageResponse;
    expect(answer.turn).toBe(1);

    const res = await post(`/v1/conversations/${conversation}/feedback`, {
      turn: 1,
      helpful: false,
      rating: 2,
      comment: 'mail me at jane.doe@example.com',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, turn: 1 });

    const item = await platform.dynamo.doc.send(
      new GetCommand({
        TableName: platform.dynamo.tableName,
        Key: { conversationId: conversation, turn: 1 },
      }),
    );
    expect(item.Item?.feedback).toMatchObject({ helpful: false, rating: 2 });
    expect(JSON.stringify(item.Item)).not.toContain('jane.doe');

    await platform.events.flush();
    const deadline = Date.now() + 5000;
    let feedbackEvents: Record<string, unknown>[] = [];
    while (Date.now() < deadline) {
      feedbackEvents = eventLines().filter((e) => e.type === 'feedback' && e.conversationId === conversation);
      if (feedbackEvents.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(feedbackEvents).toEqual([
      expect.objectContaining({ turn: 1, helpful: false, rating: 2, hasComment: true }),
    ]);
    expect(JSON.stringify(feedbackEvents)).not.toContain('jane');

    const again = await post(`/v1/conversations/${conversation}/feedback`, { turn: 1, helpful: true });
    expect(again.status).toBe(409);
  });

  test("GIVEN someone else's conversation or a turn never answered WHEN feedback is posted THEN 404", async () => {
    const other = await post(
      `/v1/conversations/${conversation}/feedback`,
      { turn: 1, helpful: true },
      'mallory',
    );
    expect(other.status).toBe(404);
    const never = await post(`/v1/conversations/${conversation}/feedback`, { turn: 9, helpful: true });
    expect(never.status).toBe(404);
  });

  test('GIVEN a bad body WHEN posted THEN 400 naming the field', async () => {
    const res = await post(`/v1/conversations/${conversation}/feedback`, {
      turn: 1,
      helpful: true,
      rating: 9,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_RATING', field: 'rating' } });
  });
});
