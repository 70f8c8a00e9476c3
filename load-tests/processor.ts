/**
 * Artillery processor (bundled by Artillery's esbuild from TypeScript): holds each virtual user's
 * conversation, builds and (when LOADTEST_ROLE_ARN is set) SigV4-signs every request, checks every
 * answer against what the script expected, and emits the custom counters the report reads:
 *
 *   conversation.started / .completed      conversations begun / finished
 *   conversation.turns                     message requests sent (the report's turns/s)
 *   conversation.answered                  200 answers
 *   conversation.rejected_as_expected      hostile input refused with the expected 4xx
 *   conversation.fallback                  answers from FallbackIntent (all)
 *   conversation.fallback_expected         ... of which the script sent out-of-domain text
 *   conversation.intent_match / _mismatch  the bot picked / did not pick the scripted intent
 *   conversation.slot_filled / _missed     a slot answer filled / did not fill the slot
 *   conversation.unexpected                an answer the contract does not allow (fails the VU)
 *
 * An unexpected answer fails the virtual user (vusers.failed, errors.<reason>): that is what the
 * thresholds gate. Expected 400s for hostile input are not failures.
 */
import { randomUUID } from 'node:crypto';
import { AssumedRoleCredentials, signRequest } from './auth';
import { generateConversation, type Conversation, type Turn } from './conversations';

type Done = (err?: Error) => void;
interface Vars extends Record<string, unknown> {
  target?: string;
  conversationId?: string;
  conversation?: Conversation;
  turnIndex?: number;
  thinkMs?: number;
  checkHealth?: boolean;
  thinkMinMs?: number | string;
  thinkMaxMs?: number | string;
}
interface Context {
  vars: Vars;
}
interface Events {
  emit(type: 'counter' | 'histogram', name: string, value: number): void;
}
interface RequestParams {
  url: string;
  method?: string;
  name?: string;
  body?: string;
  json?: unknown;
  headers?: Record<string, string>;
}
interface Response {
  statusCode: number;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export const COUNTER = {
  started: 'conversation.started',
  completed: 'conversation.completed',
  turns: 'conversation.turns',
  answered: 'conversation.answered',
  rejectedAsExpected: 'conversation.rejected_as_expected',
  fallback: 'conversation.fallback',
  fallbackExpected: 'conversation.fallback_expected',
  intentMatch: 'conversation.intent_match',
  intentMismatch: 'conversation.intent_mismatch',
  slotFilled: 'conversation.slot_filled',
  slotMissed: 'conversation.slot_missed',
  unexpected: 'conversation.unexpected',
} as const;

const FALLBACK_INTENT = 'FallbackIntent';
let credentials: AssumedRoleCredentials | undefined;
function roleCredentials(): AssumedRoleCredentials | undefined {
  const arn = process.env.LOADTEST_ROLE_ARN;
  if (!arn) return undefined;
  credentials ??= new AssumedRoleCredentials(arn);
  return credentials;
}

const num = (v: unknown, fallback: number): number => {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Request name for the per-endpoint breakdown. */
export function requestName(turn: Turn): string {
  return `messages-${turn.kind}`;
}

export function startConversation(context: Context, events: Events, done: Done): void {
  const conversation = generateConversation(Math.random);
  context.vars.conversation = conversation;
  context.vars.conversationId = `lt-${Date.now().toString(36)}-${randomUUID()}`;
  context.vars.turnIndex = 0;
  context.vars.thinkMs = 0;
  context.vars.checkHealth = Math.random() < 0.1;
  events.emit('counter', COUNTER.started, 1);
  events.emit('counter', `conversation.template.${conversation.template}`, 1);
  events.emit('counter', `conversation.locale.${conversation.locale}`, 1);
  done();
}

export function hasMoreTurns(context: Context, next: (more: boolean) => void): void {
  const c = context.vars.conversation;
  next(!!c && (context.vars.turnIndex ?? 0) < c.turns.length);
}

export function endConversation(_context: Context, events: Events, done: Done): void {
  events.emit('counter', COUNTER.completed, 1);
  done();
}

/** Scenario-level beforeRequest: runs before metrics-by-endpoint names the request. */
export function prepareRequest(req: RequestParams, context: Context, events: Events, done: Done): void {
  const isMessage = req.url.includes('/messages');
  if (isMessage) {
    const c = context.vars.conversation;
    const turn = c?.turns[context.vars.turnIndex ?? 0];
    if (!c || !turn) return done(new Error('no turn prepared'));
    req.url = req.url.replace(
      /\{\{\s*conversationId\s*\}\}/,
      encodeURIComponent(context.vars.conversationId!),
    );
    req.name = requestName(turn);
    req.body = typeof turn.body === 'string' ? turn.body : JSON.stringify(turn.body);
    delete req.json;
    req.headers = { ...(req.headers ?? {}), 'content-type': 'application/json' };
    events.emit('counter', COUNTER.turns, 1);
  }
  const creds = roleCredentials();
  if (!creds) return done();
  creds
    .get()
    .then((c) =>
      signRequest(
        {
          method: req.method ?? (isMessage ? 'POST' : 'GET'),
          url: req.url,
          headers: req.headers ?? {},
          body: req.body,
        },
        c,
      ),
    )
    .then((headers) => {
      req.headers = headers;
      done();
    })
    .catch((err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
}

/** The reason an answer breaks the contract, or undefined when it is what the turn expected. */
export function checkAnswer(
  turn: Turn,
  conversationId: string,
  res: Pick<Response, 'statusCode' | 'body'>,
): { problem?: string; parsed?: Record<string, unknown> } {
  const expect = turn.expect;
  if (expect.status === 400) {
    if (!expect.codes.includes(res.statusCode) && !(res.statusCode === 413 && expect.codes.includes(400)))
      return {
        problem: `status ${res.statusCode} for ${turn.kind} input (wanted ${expect.codes.join('/')})`,
      };
    return {};
  }
  if (res.statusCode !== 200) return { problem: `status ${res.statusCode}` };
  let parsed: Record<string, unknown>;
  try {
    parsed = (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as Record<string, unknown>;
  } catch {
    return { problem: 'answer is not JSON' };
  }
  if (!parsed || parsed.conversationId !== conversationId)
    return { problem: 'answer for another conversation' };
  const messages = parsed.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    return { problem: 'answer without messages', parsed };
  const intent = parsed.intent as { name?: unknown } | undefined;
  if (!intent || typeof intent.name !== 'string') return { problem: 'answer without intent', parsed };
  return { parsed };
}

export function checkTurn(
  req: RequestParams,
  res: Response,
  context: Context,
  events: Events,
  done: Done,
): void {
  if (!req.url.includes('/messages')) {
    if (res.statusCode !== 200) return done(new Error(`health ${res.statusCode}`));
    return done();
  }
  const c = context.vars.conversation!;
  const index = context.vars.turnIndex ?? 0;
  const turn = c.turns[index]!;
  context.vars.turnIndex = index + 1;
  const last = index + 1 >= c.turns.length;
  const min = num(context.vars.thinkMinMs, 500);
  const max = Math.max(min, num(context.vars.thinkMaxMs, 1500));
  context.vars.thinkMs = last ? 0 : Math.round(min + Math.random() * (max - min));

  const { problem, parsed } = checkAnswer(turn, context.vars.conversationId!, res);
  if (problem) {
    events.emit('counter', COUNTER.unexpected, 1);
    // Artillery counts errors.<message>: keep the message short and free of ids.
    return done(new Error(`unexpected ${problem} (${requestName(turn)})`));
  }
  if (turn.expect.status === 400) {
    events.emit('counter', COUNTER.rejectedAsExpected, 1);
    return done();
  }
  events.emit('counter', COUNTER.answered, 1);
  const intent = (parsed!.intent as { name: string }).name;
  events.emit('counter', `conversation.intent.${intent}`, 1);
  if (intent === FALLBACK_INTENT) {
    events.emit('counter', COUNTER.fallback, 1);
    if (turn.expect.fallback) events.emit('counter', COUNTER.fallbackExpected, 1);
  }
  if (turn.expect.intent) {
    events.emit('counter', intent === turn.expect.intent ? COUNTER.intentMatch : COUNTER.intentMismatch, 1);
  }
  if (turn.expect.slot) {
    const slots = (parsed!.slots ?? {}) as Record<string, unknown>;
    events.emit('counter', slots[turn.expect.slot] ? COUNTER.slotFilled : COUNTER.slotMissed, 1);
  }
  done();
}
