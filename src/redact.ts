/**
 * Redaction of credentials and PII before anything is stored (DynamoDB, Redis, logs) or
 * streamed (Kinesis). Pattern based and deliberately conservative: a false positive costs a
 * word of analytics, a false negative leaks a secret.
 */

export const REDACTED = {
  awsAccessKey: '[AWS_ACCESS_KEY]',
  awsSecretKey: '[AWS_SECRET_KEY]',
  card: '[CARD]',
  email: '[EMAIL]',
  phone: '[PHONE]',
  password: '[PASSWORD]',
} as const;

/** Luhn checksum over the digits of a candidate card number. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g;
/** 40 base64 characters with upper, lower and digit: the shape of a secret access key. */
const AWS_SECRET_KEY =
  /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*\d)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;
/** 12..19 digits, optionally grouped by single spaces or dashes. */
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])/g;
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}/g;
/**
 * Phone numbers: an international number (+ and 8..15 digits, separators allowed), or a North
 * American number written with separators ((555) 123-4567, 555-123-4567, 555.123.4567).
 * Bare digit runs are left alone so order numbers survive.
 */
const PHONE_INTL = /(?<![\w+])\+\d(?:[ .-]?\(?\d\)?){7,14}(?!\d)/g;
const PHONE_NANP = /(?<![\w])(?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g;
/** "password is X", "my pwd: X", "contraseña es X", "api key = X", "token X". */
const PASSWORD =
  /\b(pass(?:word|wd|code)?|pwd|contrase(?:ñ|n)a|clave|pin|api[ _-]?key|secret|token)(\s*(?:is|es|:|=|was|era)?\s*[:=]?\s*)("[^"]*"|'[^']*'|\S+)/gi;

/** Returns the text with every recognised credential or PII pattern replaced by a marker. */
export function redact(text: string): string {
  if (!text) return text;
  let out = text.replace(PASSWORD, (match, word: string, sep: string, value: string) => {
    // "the password reset page" -> not a password value; require an explicit separator or "is".
    if (!/(is|es|:|=|was|era)/i.test(sep) && !/\d/.test(value)) return match;
    return `${word}${sep}${REDACTED.password}`;
  });
  out = out.replace(AWS_ACCESS_KEY, REDACTED.awsAccessKey);
  out = out.replace(AWS_SECRET_KEY, REDACTED.awsSecretKey);
  out = out.replace(EMAIL, REDACTED.email);
  out = out.replace(CARD_CANDIDATE, (match) =>
    luhnValid(match.replace(/[ -]/g, '')) ? REDACTED.card : match,
  );
  out = out.replace(PHONE_INTL, REDACTED.phone);
  out = out.replace(PHONE_NANP, REDACTED.phone);
  return out;
}

/** Redacts every string value of a flat record (slots, attributes). */
export function redactValues(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = redact(v);
  return out;
}
