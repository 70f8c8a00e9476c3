/**
 * Privacy (issue 13, part D). Generated English and Spanish sentences carry secrets and PII in
 * any position: passwords with the keyword before or after the value, AWS access and secret
 * keys, Luhn-valid card numbers, e-mail addresses and phone numbers in every shape the redactor
 * claims (src/redact.ts). Properties:
 * - redact(): none of the secrets survives;
 * - end to end through the fulfillment handler, transcripts streamed (the worst case): no secret
 *   reaches a DynamoDB item, the Redis session, an event, a third-party call (Comprehend,
 *   Translate, Polly) or any log line at any level (DEBUG logger, output captured);
 * - the OrderNumber slot type: phone-shaped numbers are not order numbers, and Lex's `regex`
 *   and the handler's `jsRegex` accept the same values.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { BOT_MODEL, type LocaleId, type PatternSlotType } from '../../contracts/bot-model';
import { createFulfillmentHandler } from '../../src/fulfillment/create-handler';
import { decide } from '../../src/fulfillment/dialog';
import type { LexIntent } from '../../src/lex/types';
import { luhnValid, redact } from '../../src/redact';
import { SlotExtractor } from '../../local/nlu/slots';
import { baseDeps, lexEvent, scalar, TEST_CONFIG } from '../src/fixtures';

const params = (numRuns: number) => ({ numRuns, seed: Number(process.env.FC_SEED ?? 20250101) });

// ---- secrets ------------------------------------------------------------------------------------
type Kind = 'password' | 'awsAccessKey' | 'awsSecretKey' | 'card' | 'email' | 'phone' | 'contextPhone';
interface Secret {
  readonly kind: Kind;
  readonly value: string;
}

const chars = (alphabet: string, min: number, max = min) =>
  fc
    .array(fc.noBias(fc.integer({ min: 0, max: alphabet.length - 1 })), { minLength: min, maxLength: max })
    .map((ix) => ix.map((i) => alphabet[i]).join(''));
const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const digits = (min: number, max = min) => chars(DIGITS, min, max);
const nxx = fc.tuple(chars('23456789', 1), digits(2)).map(([a, b]) => a + b);

/** Passwords: a letter, then letters, digits and symbols; some with a digit, some letters only. */
const passwordWithDigit = fc
  .tuple(chars(UPPER + LOWER, 1), chars(UPPER + LOWER + DIGITS + '!#$%&*+-_@.?/', 3, 12), digits(1, 3))
  .map(([a, b, c]) => a + b + c);
const passwordLetters = chars(LOWER + UPPER, 6, 14);
const password = fc.oneof(passwordWithDigit, passwordLetters);

const awsAccessKey = fc
  .tuple(fc.constantFrom('AKIA', 'ASIA', 'AROA', 'AIDA'), chars(UPPER + DIGITS, 16))
  .map(([p, k]) => p + k);
/** The shape the redactor claims: 40 base64 characters with upper, lower and digit. */
const awsSecretKey = chars(UPPER + LOWER + DIGITS + '/+', 40).filter(
  (k) => /[a-z]/.test(k) && /[A-Z]/.test(k) && /\d/.test(k),
);

function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d += 1) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
const cardDigits = fc.oneof(
  digits(15).map((b) => withLuhnDigit(`4${b.slice(1)}`)), // Visa, 16
  fc.tuple(fc.constantFrom('51', '52', '55'), digits(13)).map(([p, b]) => withLuhnDigit(p + b)), // MC
  fc.tuple(fc.constantFrom('34', '37'), digits(12)).map(([p, b]) => withLuhnDigit(p + b)), // Amex, 15
  digits(12, 18).map((b) => withLuhnDigit(`6${b.slice(1)}`)), // 13..19 digits
);
const groupCard = (d: string, sep: string): string =>
  d.length === 15
    ? [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(sep)
    : (d.match(/.{1,4}/g) ?? []).join(sep);
const card = fc
  .tuple(cardDigits, fc.constantFrom('', ' ', '-', '.'))
  .map(([d, sep]) => (sep ? groupCard(d, sep) : d));

const email = fc
  .tuple(
    chars(LOWER + DIGITS, 1, 10),
    fc.constantFrom('', '.', '_', '+', '-'),
    chars(LOWER + DIGITS, 0, 6),
    chars(LOWER, 2, 10),
    fc.constantFrom('com', 'io', 'es', 'com.mx', 'co.uk'),
  )
  .map(([a, sep, b, domain, tld]) => `${a}${b ? sep + b : ''}@${domain}.${tld}`);

/** North American: area code and exchange start with 2-9. */
const nanp = fc.tuple(nxx, nxx, digits(4));
/** Every phone shape the redactor finds without a phone word nearby. */
const phone = fc.oneof(
  nanp.map(([a, b, c]) => `${a}${b}${c}`), // 4155550100
  nanp.map(([a, b, c]) => `1${a}${b}${c}`), // 14155550100
  fc
    .tuple(
      fc.tuple(digits(3), digits(3), digits(4)),
      fc.constantFrom(
        '({a}) {b}-{c}',
        '({a}){b}-{c}',
        '({a}) {b}{c}',
        '{a}-{b}-{c}',
        '{a}.{b}.{c}',
        '{a} {b} {c}',
      ),
    )
    .map(([[a, b, c], f]) => f.replace('{a}', a).replace('{b}', b).replace('{c}', c)),
  fc
    .tuple(nanp, fc.constantFrom('{a}-{b}{c}', '{a} {b}{c}', '{a}{b}-{c}', '1 {a}{b}{c}'))
    .map(([[a, b, c], f]) => f.replace('{a}', a).replace('{b}', b).replace('{c}', c)),
  fc
    .tuple(digits(3), digits(3), digits(4), fc.constantFrom('-', ' ', '.'), fc.constantFrom('1', '+1'))
    .map(([a, b, c, s, one]) => `${one}${s}${a}${s}${b}${s}${c}`), // 1-800-555-0100, +1 ...
  nanp.map(([a, b, c]) => `+1${a}${b}${c}`),
  fc
    .tuple(digits(3), digits(2), digits(2), digits(2))
    .map(([a, b, c, d]) => `+34 6${a.slice(1)} ${b}${c[0]} ${c[1]}${d}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+52 55 ${a} ${b}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  digits(8, 15).map((d) => `+${d}`),
);
/** Any number of 7 to 15 digits, grouped or not: a phone number only after a phone word. */
const contextPhone = fc.oneof(
  digits(7, 15),
  fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `${a} ${b} ${c}`), // 55 1234 5678
  fc.tuple(digits(3), digits(2), digits(2), digits(2)).map(([a, b, c, d]) => `${a} ${b} ${c} ${d}`),
  fc.tuple(digits(3), digits(4)).map(([a, b]) => `${a}-${b}`), // 555-0100
);

// ---- sentences ------------------------------------------------------------------------------------
const PHRASES: Record<Kind, readonly string[]> = {
  password: [
    // keyword before the value
    'my password is {}',
    'password: {}',
    'Password={}',
    "my password? it's {}",
    'my password. It is {}',
    'the password for my account is {}',
    'my new password is {}',
    "my password's {}",
    'pwd = {}',
    'mi contraseña es {}',
    'la contraseña: {}',
    'mi contraseña? es {}',
    'contraseña = {}',
    'mi clave es {}',
    'la contraseña de mi cuenta es {}',
    'mi contraseña nueva es {}',
    'api key: {}',
    'my PIN number is {}',
    'token = {}',
    // keyword after the value
    '{} is my password',
    '{} is the password',
    '{} was my old password',
    "{}, that's my password",
    'I use {} as my password',
    "{}'s my password",
    '{} = password',
    '{} es mi contraseña',
    '{} es la contraseña',
    '{}, esa es mi contraseña',
    'puse {} como contraseña',
    '{} es mi clave',
    '{} es mi nueva contraseña',
  ],
  awsAccessKey: ['my access key is {}', 'key {}', '{}', 'aws_access_key_id={}', 'mi clave de acceso es {}'],
  awsSecretKey: [
    'secret key: {}',
    '{}',
    'aws_secret_access_key={}',
    'my secret is {}',
    'la clave secreta es {}',
  ],
  card: [
    'my card is {}',
    'card number {}',
    'pay with {}',
    '{} exp 12/27',
    '{} 12/27',
    '{} 737',
    'mi tarjeta es {}',
    'tarjeta {} vence 12/27',
    '{}',
  ],
  email: ['my email is {}', 'write to {}', '{}', 'mi correo es {}', 'escríbeme a {}'],
  phone: [
    'call me at {}',
    'my number is {}',
    '{}',
    '{} is my number',
    'reach me on {} tomorrow',
    'mi teléfono es {}',
    'llámame al {}',
    'mi número es {}',
  ],
  contextPhone: [
    'my cell is {}',
    'my phone number is {}',
    'call me at {}',
    'text me at {}',
    'mi celular es {}',
    'llámame al {}',
    'mi número es {}',
    'mi teléfono: {}',
    'mi número de teléfono es el {}',
  ],
};
const FILLERS = [
  'hi',
  'where is my order 12345678',
  'I forgot my password',
  'reset my password please',
  'my package never arrived',
  '¿dónde está mi pedido 4482913?',
  '¿cómo cambio mi contraseña?',
  'me cobraron dos veces',
  'gracias',
  'I need help with my account',
];
const JOINERS = [', ', ' and ', '. ', ' y ', '; ', ' - '];

const secret: fc.Arbitrary<Secret> = fc.oneof(
  { weight: 4, arbitrary: password.map((value) => ({ kind: 'password' as const, value })) },
  awsAccessKey.map((value) => ({ kind: 'awsAccessKey' as const, value })),
  awsSecretKey.map((value) => ({ kind: 'awsSecretKey' as const, value })),
  { weight: 2, arbitrary: card.map((value) => ({ kind: 'card' as const, value })) },
  email.map((value) => ({ kind: 'email' as const, value })),
  { weight: 3, arbitrary: phone.map((value) => ({ kind: 'phone' as const, value })) },
  { weight: 2, arbitrary: contextPhone.map((value) => ({ kind: 'contextPhone' as const, value })) },
);

interface Sentence {
  readonly text: string;
  readonly secrets: readonly Secret[];
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One to three secrets, each in a phrase of its kind, between fillers, in any order. */
const sentence: fc.Arbitrary<Sentence> = fc
  .tuple(
    fc.array(
      fc.tuple(secret, fc.nat(), fc.boolean()).map(([s, i, cap]) => {
        const templates = PHRASES[s.kind];
        const t = templates[i % templates.length]!;
        const phrase = t.replace('{}', s.value);
        return { s, phrase: cap && !t.startsWith('{}') ? capitalize(phrase) : phrase };
      }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(fc.constantFrom(...FILLERS), { maxLength: 2 }),
    fc.array(fc.constantFrom(...JOINERS), { minLength: 5, maxLength: 5 }),
    fc.nat(),
  )
  .map(([withSecrets, fillers, joiners, shift]) => {
    const parts = [...withSecrets.map((w) => w.phrase), ...fillers];
    const k = shift % parts.length;
    const rotated = [...parts.slice(k), ...parts.slice(0, k)];
    const text = rotated.reduce((acc, p, i) => (i === 0 ? p : acc + joiners[i - 1] + p), '');
    return { text, secrets: withSecrets.map((w) => w.s) };
  })
  // a secret that also is part of the sentence's other words (a password "order") is no test
  .filter(({ text, secrets }) =>
    secrets.every(
      (s) => text.split(s.value).length === 2 || secrets.filter((o) => o.value === s.value).length > 1,
    ),
  );

const digitsOnly = (s: string) => s.replace(/\D/g, '');

/** The secrets (and, for numbers, their digits without separators) found in a text. */
function leaks(out: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  const outDigits = out.replace(/[\s().-]/g, '');
  for (const s of secrets) {
    if (out.includes(s.value)) found.push(`${s.kind} ${JSON.stringify(s.value)}`);
    else if (/^(card|phone|contextPhone)$/.test(s.kind) && outDigits.includes(digitsOnly(s.value)))
      found.push(`${s.kind} digits ${digitsOnly(s.value)}`);
  }
  return found;
}

describe('redact() over generated sentences (fast-check)', () => {
  test('GIVEN any generated English or Spanish sentence with secrets WHEN redacted THEN no secret survives, wherever it is (3,000 runs)', () => {
    fc.assert(
      fc.property(sentence, ({ text, secrets }) => {
        const out = redact(text);
        const found = leaks(out, secrets);
        if (found.length) throw new Error(`${found.join(', ')} survives: ${JSON.stringify(out)}`);
      }),
      params(3000),
    );
  });

  test('GIVEN any generated order number, alone or in a sentence, WHEN redacted THEN it is left intact (1,000 runs)', () => {
    const re = orderPattern();
    const orderNumber = fc
      .oneof(
        digits(5, 10),
        fc.tuple(chars(UPPER + LOWER, 2), digits(5, 10)).map(([p, d]) => p + d),
        nanp.map(([a, b, c]) => `${a}${b}${c}`),
      )
      .filter((o) => re.test(o));
    const template = fc.constantFrom('{}', 'where is my order {}', 'order {} please', 'mi pedido es el {}');
    fc.assert(
      fc.property(orderNumber, template, (o, t) => {
        const text = t.replace('{}', o);
        expect(redact(text)).toBe(text);
      }),
      params(1000),
    );
  });
});

// ---- the OrderNumber slot type --------------------------------------------------------------------
function orderType(): PatternSlotType {
  return BOT_MODEL.slotTypes.find((t) => t.name === 'OrderNumber') as PatternSlotType;
}
function orderPattern(): RegExp {
  return new RegExp(orderType().jsRegex);
}

describe('OrderNumber slot type: phone-shaped numbers are not order numbers', () => {
  const checkOrder = (value: string, locale: LocaleId = 'en_US') =>
    decide({
      model: BOT_MODEL,
      locale,
      invocationSource: 'DialogCodeHook',
      intent: {
        name: 'CheckOrderStatus',
        slots: { OrderNumber: scalar(value) },
        state: 'InProgress',
      } as LexIntent,
      turn: 1,
      sentimentEscalation: false,
      alreadyEscalated: false,
    });

  test.each(['4155550100', '2125550199', '14155550100', '+14155550100', '8005550100'])(
    'GIVEN the phone number %s as OrderNumber WHEN validated THEN it is refused and elicited again',
    (value) => {
      const d = checkOrder(value);
      expect(d).toMatchObject({
        dialogAction: 'ElicitSlot',
        slotToElicit: 'OrderNumber',
        invalidSlot: 'OrderNumber',
      });
      expect(d.slots.OrderNumber).toBeUndefined();
      expect(redact(value)).toBe('[PHONE]');
    },
  );

  // the model's prompts ("5 to 10 digits, for example 1234567") and the NLU fixtures' orders
  test.each([
    '12345',
    '1234567',
    '4482913',
    '55501234',
    '778812',
    '3009987',
    '1234567890',
    '4151234567',
    'AB99812',
    'CD123456',
    'AB4155550100',
  ])('GIVEN the order number %s WHEN validated THEN it is accepted', (value) => {
    expect(checkOrder(value)).toMatchObject({ dialogAction: 'Close', state: 'Fulfilled' });
    expect(checkOrder(value, 'es_US')).toMatchObject({ dialogAction: 'Close', state: 'Fulfilled' });
  });

  test('GIVEN "my number is 4155550100" WHEN the local NLU extracts an OrderNumber THEN there is none', () => {
    const slots = new SlotExtractor(BOT_MODEL, ['en_US', 'es_US']);
    expect(slots.extractValue('my number is 4155550100', 'OrderNumber', 'en_US')).toBeUndefined();
    expect(slots.extractValue('mi número es 14155550100', 'OrderNumber', 'es_US')).toBeUndefined();
    expect(slots.extractValue('where is my order 4482913', 'OrderNumber', 'en_US')?.originalValue).toBe(
      '4482913',
    );
  });

  test("GIVEN Lex's regex THEN it uses Lex's subset only: no anchors, wildcard, unbounded repeats or lookarounds", () => {
    const { regex } = orderType();
    expect(regex.length).toBeLessThanOrEqual(300);
    expect(regex).not.toMatch(/[\^$.*+]|\{\d+,\}|\(\?|\\[dDwWsSbB]/);
  });

  test("GIVEN any generated value WHEN Lex's regex and the handler's jsRegex test it THEN they accept the same values (5,000 runs)", () => {
    const { regex, jsRegex } = orderType();
    const lex = new RegExp(`^(?:${regex})$`);
    const js = new RegExp(jsRegex);
    const candidate = fc.oneof(
      digits(3, 12),
      fc.tuple(chars(UPPER + LOWER, 1, 3), digits(3, 12)).map(([p, d]) => p + d),
      nanp.map(([a, b, c]) => `${a}${b}${c}`),
      fc.string({ maxLength: 14 }),
    );
    fc.assert(
      fc.property(candidate, (c) => {
        expect(lex.test(c)).toBe(js.test(c));
      }),
      params(5000),
    );
  });
});

// ---- end to end -----------------------------------------------------------------------------------
/** Everything the handler prints (Powertools writes JSON lines to stdout and stderr). */
function captureOutput(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const capture = ((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  const spies = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')];
  for (const s of spies) s.mockImplementation(capture);
  return { lines, restore: () => spies.forEach((s) => s.mockRestore()) };
}

const levelsIn = (logs: string): string[] =>
  [
    ...new Set(logs.split('\n').flatMap((l) => (l ? [(JSON.parse(l) as { level: string }).level] : []))),
  ].sort();

const INTENTS = ['CheckOrderStatus', 'ReportIssue', 'TalkToAgent', 'Greeting', 'FallbackIntent'] as const;

interface Turn {
  readonly sentence: Sentence;
  readonly intent: (typeof INTENTS)[number];
  readonly source: 'DialogCodeHook' | 'FulfillmentCodeHook';
  readonly locale: LocaleId;
  readonly foreign: boolean;
  readonly voice: boolean;
  readonly fail: { sessions: boolean; context: boolean; events: boolean };
}

const turn: fc.Arbitrary<Turn> = fc.record({
  sentence,
  intent: fc.constantFrom(...INTENTS),
  source: fc.constantFrom('DialogCodeHook', 'FulfillmentCodeHook') as fc.Arbitrary<
    'DialogCodeHook' | 'FulfillmentCodeHook'
  >,
  locale: fc.constantFrom('en_US', 'es_US') as fc.Arbitrary<LocaleId>,
  foreign: fc.boolean(),
  voice: fc.boolean(),
  fail: fc.record({ sessions: fc.boolean(), context: fc.boolean(), events: fc.boolean() }),
});

/**
 * The slot Lex would fill: a bare North American number taken for an order number, or an order
 * number. (Other 10-digit numbers, 5512345678, are valid order numbers by design: stored as such.)
 */
function slotsOf(t: Turn): Record<string, unknown> {
  if (t.intent !== 'CheckOrderStatus') return {};
  const bare = t.sentence.secrets.find((s) => s.kind === 'phone' && /^1?\d{10}$/.test(s.value));
  return { OrderNumber: scalar(bare ? bare.value : '4482913') };
}

function endToEnd() {
  const logger = new Logger({ serviceName: 'privacy-test', logLevel: 'DEBUG' });
  const external: string[] = [];
  const deps = baseDeps({
    model: BOT_MODEL,
    logger,
    config: { ...TEST_CONFIG, streamTranscripts: true },
    sentiment: {
      detect: async (text: string) => {
        external.push(text);
        return { label: 'NEGATIVE', score: 0.9 };
      },
    },
    languageDetector: {
      detect: async (text: string) => {
        external.push(text);
        return { languageCode: 'fr', score: 0.95 };
      },
    },
    translator: {
      translate: async (text: string) => {
        external.push(text);
        return `fr:${text}`;
      },
    },
    speech: {
      synthesize: async (text: string) => {
        external.push(text);
        return { audioUrl: 'https://audio.example/x.mp3' };
      },
    },
  });
  return { deps, external, handler: createFulfillmentHandler(deps) };
}

async function runTurn(t: Turn): Promise<{ where: Record<string, string>; logs: string }> {
  const { deps, external, handler } = endToEnd();
  deps.sessions.fail = t.fail.sessions;
  deps.context.fail = t.fail.context;
  deps.events.fail = t.fail.events;
  const out = captureOutput();
  try {
    await handler(
      lexEvent({
        source: t.source,
        intent: t.intent,
        slots: slotsOf(t),
        text: t.sentence.text,
        locale: t.locale,
        inputMode: t.voice ? 'Speech' : 'Text',
        nluConfidence: t.foreign ? 0.2 : 0.93,
        sessionId: 'conv-privacy-0001',
      }),
    );
  } finally {
    out.restore();
  }
  const logs = out.lines.join('');
  return {
    logs,
    where: {
      'DynamoDB items': JSON.stringify([...deps.context.items.values()]),
      'Redis session state': JSON.stringify([...deps.sessions.data.values()]),
      events: JSON.stringify(deps.events.events),
      'third-party calls': JSON.stringify(external),
      logs,
    },
  };
}

describe('fulfillment handler with transcripts streamed: no secret is stored, streamed or logged', () => {
  test('GIVEN the DEBUG logger of these tests THEN the capture sees every level', () => {
    const { deps } = endToEnd();
    const out = captureOutput();
    try {
      deps.logger.debug('probe');
      deps.logger.info('probe');
      deps.logger.warn('probe');
      deps.logger.error('probe');
      deps.logger.critical('probe');
    } finally {
      out.restore();
    }
    expect(levelsIn(out.lines.join(''))).toEqual(['CRITICAL', 'DEBUG', 'ERROR', 'INFO', 'WARN']);
  });

  test('GIVEN failing dependencies WHEN a turn is handled THEN the capture sees its INFO, WARN and ERROR lines', async () => {
    const { logs } = await runTurn({
      sentence: { text: 'hello there', secrets: [] },
      intent: 'Greeting',
      source: 'FulfillmentCodeHook',
      locale: 'en_US',
      foreign: false,
      voice: false,
      fail: { sessions: true, context: true, events: true },
    });
    expect(levelsIn(logs)).toEqual(expect.arrayContaining(['ERROR', 'INFO', 'WARN']));
  });

  test('GIVEN any generated turn with secrets WHEN handled THEN no secret in DynamoDB, Redis, events, third-party calls or any log line (1,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(turn, async (t) => {
        const { where } = await runTurn(t);
        const reached = Object.entries(where).flatMap(([name, content]) => {
          const found = leaks(content, t.sentence.secrets);
          if (!found.length) return [];
          if (name !== 'logs') return [`${found.join(', ')} reaches ${name}: ${content.slice(0, 1000)}`];
          const lines = content.split('\n').filter((l) => leaks(l, t.sentence.secrets).length);
          return lines.map((l) => `${found.join(', ')} reaches the log line ${l.slice(0, 1000)}`);
        });
        if (reached.length) throw new Error(reached.join('\n'));
      }),
      params(1000),
    );
  });

  // The user's text, even redacted, belongs in the transcript stream (when allowed), never in the
  // logs at any level (the turn used to log it at DEBUG).
  test('GIVEN a turn WHEN handled THEN its text is in no log line', async () => {
    const text = 'my parcel to the blue house never arrived';
    const { logs } = await runTurn({
      sentence: { text, secrets: [] },
      intent: 'ReportIssue',
      source: 'DialogCodeHook',
      locale: 'en_US',
      foreign: false,
      voice: false,
      fail: { sessions: false, context: false, events: false },
    });
    expect(logs).toContain('turn handled');
    expect(logs).not.toContain(text);
  });
});
