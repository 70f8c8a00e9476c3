/** Generators of malformed and hostile values for the property tests. */
import fc from 'fast-check';

/** Strings that have broken parsers, key builders and regexes before. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    'prototype',
    '}{',
    'conv:{x}:session',
    '\r\nFLUSHALL\r\n',
    '../../etc/passwd',
    "'; DROP TABLE conversations; --",
    '<script>alert(1)</script>',
    '{OrderNumber}',
    '\u0000',
    '\uD800',
    '🙂'.repeat(300),
    'a'.repeat(5000),
    'NaN',
    '-1',
    '1e309',
    'AKIAIOSFODNN7EXAMPLE',
    'my password is hunter2',
    '4111 1111 1111 1111',
    'ana@example.com',
    'ABC-123456',
  ),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, undefined, true, false, 0, -1, NaN, Infinity, 2 ** 53, [], {}),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);
