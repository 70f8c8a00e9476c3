/**
 * Redaction of credentials and PII before anything is stored (DynamoDB, Redis, logs) or
 * streamed (Kinesis). Pattern based and deliberately conservative: a false positive costs a
 * word of analytics, a false negative leaks a secret.
 *
 * What is recognised (test/src/redact.test.ts, test/property/privacy.property.test.ts):
 * - AWS access key ids (AKIA..., ASIA...) and secret access keys (40 base64 characters with
 *   upper, lower and digit);
 * - e-mail addresses;
 * - card numbers: 12 to 19 digits, grouped by single spaces, dashes or dots or not, passing
 *   Luhn, also when more digits follow (an expiry date, a CVV);
 * - phone numbers: international (`+` and 8 to 15 digits), North American written with
 *   separators ((415) 555-0100, 415-555-0100, 1-800-555-0100), bare North American numbers
 *   (4155550100 or 14155550100: area code and exchange both start with 2-9, the shape the
 *   OrderNumber slot type refuses), and any number of 7 to 15 digits right after a phone word
 *   ("my cell is 5512345678", "llámame al 612 34 56 78", "mi número es ...");
 * - passwords, PINs, tokens and API keys, with the keyword before the value ("my password is
 *   X", "la contraseña: X", "my password? it's X", "pin 1234") or after it ("X is my
 *   password", "X es mi contraseña", "use X as my password"). A multi-word password is only
 *   fully redacted when quoted.
 * Order numbers (5 to 10 digits, two-letter prefix or not; see contracts/bot-model/slot-types.ts)
 * are left alone unless they follow a phone word.
 */

export const REDACTED = {
  awsAccessKey: '[AWS_ACCESS_KEY]',
  awsSecretKey: '[AWS_SECRET_KEY]',
  card: '[CARD]',
  email: '[EMAIL]',
  phone: '[PHONE]',
  password: '[PASSWORD]',
} as const;

const MARKERS: ReadonlySet<string> = new Set(Object.values(REDACTED));

/** Luhn checksum over the digits of a candidate card number. */
export function luhnValid(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && luhnDigits(digits);
}

const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g;
/** 40 base64 characters with upper, lower and digit: the shape of a secret access key. */
const AWS_SECRET_KEY =
  /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*\d)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}/g;

/** A run of digit groups joined by single spaces, dashes or dots. */
const DIGIT_GROUPS = /(?<![\d.-])\d+(?:[ .-]\d+)*(?!\d)/g;

/** Luhn over a string known to hold digits only. */
function luhnDigits(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i -= 1, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Card numbers inside a run of digit groups: from each group on, the longest span of whole
 * groups with 12..19 digits that passes Luhn ("4111 1111 1111 1111 12 26": the card is found,
 * the expiry date after it does not hide it).
 */
function redactCards(run: string): string {
  if (run.length < 12) return run;
  const groups = run.split(/[ .-]/);
  if (groups.length === 1) return run.length <= 19 && luhnDigits(run) ? REDACTED.card : run;
  const seps = run.match(/[ .-]/g) ?? [];
  let out = '';
  let i = 0;
  while (i < groups.length) {
    let end = -1;
    let span = '';
    for (let j = i; j < groups.length; j += 1) {
      span += groups[j];
      if (span.length > 19) break;
      if (span.length >= 12 && luhnDigits(span)) end = j;
    }
    const last = end >= 0 ? end : i;
    out += (end >= 0 ? REDACTED.card : groups[i]) + (last + 1 < groups.length ? seps[last] : '');
    i = last + 1;
  }
  return out;
}

/** International: + and 8..15 digits, separators and parentheses allowed (+34 612 345 678). */
const PHONE_INTL = /(?<![\w+])\+\d(?:[ .-]?\(?\d\)?){7,14}(?!\d)/g;
/** North American with separators: (415) 555-0100, 415-555-0100, 415.555.0100, 1-800-555-0100. */
const PHONE_NANP =
  /(?<![\w-])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}|\d{3}[ .-]\d{3}[ .-]\d{4})(?!\d)/g;
/**
 * Bare North American: NXX NXX XXXX (N = 2..9), separators or not, optionally after a 1:
 * 4155550100, 14155550100, 415-5550100.
 */
const PHONE_BARE = /(?<![\w-])(?:1[ .-]?)?[2-9]\d{2}[ .-]?[2-9]\d{2}[ .-]?\d{4}(?!\d)/g;
/** Words after which a number of 7 to 15 digits is a phone number, whatever its shape. */
const PHONE_CONTEXT_WORD =
  'phone|cell(?:phone)?|mobile|telephone|tel|fax|whats ?app|call(?: me)?|text me|' +
  'reach me|my number|contact number|tel[eé]fono|celular|cel|m[oó]vil|' +
  'll[aá]m(?:a|e|ame|eme|enme)|m[aá]rca(?:me)?|mi n[uú]mero|' +
  'n[uú]mero de contacto';
/** What may stand between the phone word and the number ("my phone number is", "mi celular es el"). */
const PHONE_CONNECTOR =
  "number|no\\.?|num|#|is|was|at|on|to|me|my|it['’]?s|home|work|office|cell|" +
  'mobile|phone|n[uú]mero|n[uú]m\\.?|es|era|al|a|el|mi|de|del|casa|trabajo|' +
  'oficina|contacto|celular|m[oó]vil|tel[eé]fono';
const PHONE_CONTEXT = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:${PHONE_CONTEXT_WORD})(?:[\\s:=,.-]+(?:${PHONE_CONNECTOR})(?![\\p{L}\\p{N}]))*[\\s:=#,.-]*)` +
    `\\+?\\(?\\d(?:[ .()-]{0,2}\\d){6,14}(?!\\d)`,
  'giu',
);

/** Words naming a credential (the value follows or precedes them). */
const SECRET_WORD =
  'pass(?:word|wd|code|phrase)?|pwd|contrase(?:ñ|n)a|clave(?: secreta| de acceso)?|pin|' +
  'api[ _-]?key|secret(?:[ _-]?(?:access[ _-]?)?key)?|token';
/**
 * "the password for my account is X", "la contraseña de mi cuenta es X", "my pin number is X",
 * "mi contraseña nueva es X".
 */
const QUALIFIER =
  '(?:\\s+(?:actual|nuev[ao]|viej[ao]|anterior|temporal|number|code|n[uú]mero|c[oó]digo)' +
  '|\\s+(?:for|of|to|on|de|del|para|en)(?:\\s+(?:my|the|your|this|mi|la|el|tu|su|este|esta))?\\s+[\\p{L}\\p{N}_-]{1,20})?';
/**
 * Between the word and the value: ":" or "=", a verb ("is", "es", "would be"), a question and
 * its answer ("? it's", "? es"), or only spaces or punctuation (then the value needs a digit).
 */
const SEPARATOR =
  '(?:\\s*[:=]\\s*' +
  "|(?:\\s+(?:is|was|es|era|ser[aá]|would be|will be)|['’]s)(?:\\s+(?:now|ahora))?\\s*[:=]?\\s*" +
  "|\\s*[?!.,;…-]+\\s*(?:(?:it['’]?s|it is|it was|that['’]?s|es|era|is)\\s*[:=]?\\s*)?" +
  '|\\s+)';
const PASSWORD_BEFORE = new RegExp(
  `(?<![\\p{L}\\p{N}])(${SECRET_WORD})(${QUALIFIER})(${SEPARATOR})("[^"]*"|'[^']*'|“[^”]*”|\\S+)`,
  'giu',
);
/** Between the value and the word: "is my", ", that's the", "es mi", "as my", "= ". */
const VALUE_IS =
  "(?:\\s*[,;:–—-]?\\s*(?:that['’]?s|that is|this is|it['’]?s|it is|eso es|esa es|esta es|ese es|" +
  "is|was|es|era|as|como|ser[aá]|would be)\\s+|\\s*=\\s*|['’]s\\s+)" +
  '(?:(?:my|the|our|your|mi|la|el|tu|su|nuestra)\\s+)?' +
  '(?:(?:new|old|current|actual|nueva|nuevo|vieja|antigua)\\s+)?';
/** "X is my password", "X, that's my password", "X es mi contraseña", "use X as my pin". */
const PASSWORD_AFTER = new RegExp(
  `(?<!\\S)("[^"]*"|'[^']*'|“[^”]*”|\\S+?)(${VALUE_IS}(?:${SECRET_WORD}))(?![\\p{L}\\p{N}])`,
  'giu',
);
/** Words that are not a password value ("what is my password", "my password is not working"). */
const NOT_A_VALUE = new Set(
  [
    'a also an and correct expired here how incorrect invalid is it its just locked my no not now or',
    'still that the there this too what whats where which who why wrong your',
    'ahora aquí aqui bloqueada como cómo correcta cual cuál donde dónde el esa ese eso esta este esto',
    'incorrecta inválida invalida la mi muy que qué también tu una un y ya',
  ]
    .join(' ')
    .split(' '),
);

const bare = (value: string): string =>
  value
    .replace(/^[¿¡"'“(]+/, '')
    .replace(/[?!.,;:"'”)]+$/, '')
    .replace(/['’]/g, '')
    .toLowerCase();

/** Already redacted ("secret key: [AWS_SECRET_KEY]."). */
const isMarker = (value: string): boolean => MARKERS.has(value.replace(/[?!.,;:]+$/, ''));

const IS_SECRET_WORD = new RegExp(`^(?:${SECRET_WORD})$`, 'iu');

/**
 * `text.replace(re, ...)`, except that a match the callback turns down (it returns where to
 * look again instead of a replacement) consumes nothing: "contraseña? password: X" is looked at
 * again from "password".
 */
function rewrite(text: string, re: RegExp, decide: (m: RegExpExecArray) => string | number): string {
  let out = '';
  let from = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const decision = decide(m);
    if (typeof decision === 'number') {
      re.lastIndex = Math.max(decision, m.index + 1);
      continue;
    }
    out += text.slice(from, m.index) + decision;
    from = m.index + m[0].length;
  }
  return out + text.slice(from);
}

/** Worth looking for a credential: one of the words is there. */
const MAY_HOLD_PASSWORD = /pass|pwd|contrase|clave|pin|key|secret|token/i;

/** Returns the text with every recognised credential or PII pattern replaced by a marker. */
export function redact(text: string): string {
  if (!text) return text;
  let out = text.replace(AWS_ACCESS_KEY, REDACTED.awsAccessKey);
  out = out.replace(AWS_SECRET_KEY, REDACTED.awsSecretKey);
  if (out.includes('@')) out = out.replace(EMAIL, REDACTED.email);
  if (/\d/.test(out)) {
    out = out.replace(DIGIT_GROUPS, redactCards);
    out = out.replace(PHONE_INTL, REDACTED.phone);
    out = out.replace(PHONE_NANP, REDACTED.phone);
    out = out.replace(PHONE_BARE, REDACTED.phone);
    out = out.replace(PHONE_CONTEXT, (_, lead: string) => `${lead}${REDACTED.phone}`);
  }
  if (MAY_HOLD_PASSWORD.test(out)) {
    out = rewrite(out, PASSWORD_BEFORE, (m) => {
      const [, word, qualifier, sep, value] = m as unknown as [string, string, string, string, string];
      const resume = m.index + word.length; // look again right after the word
      if (isMarker(value) || IS_SECRET_WORD.test(bare(value))) return resume;
      if (/[:=]|\p{L}/u.test(sep)) {
        // an explicit "is" / ":" / "es": any value but filler ("my password is not working")
        if (NOT_A_VALUE.has(bare(value))) return resume;
      } else if (qualifier || !/\d/.test(value)) {
        // only spaces or punctuation ("the password reset page", "password for order 12345"):
        // a value needs a digit and no qualifier
        return resume;
      }
      return `${word}${qualifier}${sep}${REDACTED.password}`;
    });
    out = rewrite(out, PASSWORD_AFTER, (m) => {
      const [, value, rest] = m as unknown as [string, string, string];
      if (isMarker(value) || NOT_A_VALUE.has(bare(value))) return m.index + 1;
      return `${REDACTED.password}${rest}`;
    });
  }
  return out;
}

/** Redacts every string value of a flat record (slots, attributes). */
export function redactValues(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = redact(v);
  return out;
}
