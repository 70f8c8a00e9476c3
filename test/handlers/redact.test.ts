import { luhnValid, redact } from '../../src/redact';

describe('redact', () => {
  test.each([
    ['AWS access key id', 'my key is AKIAIOSFODNN7EXAMPLE ok', 'my key is [AWS_ACCESS_KEY] ok'],
    [
      'AWS secret access key',
      'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here',
      'secret [PASSWORD] here',
    ],
    [
      'bare secret access key',
      'use wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY now',
      'use [AWS_SECRET_KEY] now',
    ],
    ['card number with spaces (Luhn valid)', 'card 4111 1111 1111 1111 thanks', 'card [CARD] thanks'],
    ['card number with dashes', 'pay with 5500-0000-0000-0004', 'pay with [CARD]'],
    ['card number plain', 'it is 378282246310005', 'it is [CARD]'],
    ['email', 'write to Ana.Lopez+shop@mail.example.co.uk please', 'write to [EMAIL] please'],
    ['US phone number', 'call me at (555) 123-4567', 'call me at [PHONE]'],
    ['US phone number dashed', 'call 555-123-4567 today', 'call [PHONE] today'],
    ['international phone number', 'llámame al +34 612 345 678', 'llámame al [PHONE]'],
    ['password typed into chat', 'my password is hunter2', 'my password is [PASSWORD]'],
    ['password with colon', 'Password: S3cr3t!', 'Password: [PASSWORD]'],
    ['Spanish password', 'mi contraseña es gato123', 'mi contraseña es [PASSWORD]'],
    ['quoted password', 'pwd = "two words"', 'pwd = [PASSWORD]'],
  ])('GIVEN text with a %s WHEN redacted THEN it is masked', (_, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  test.each([
    ['an order number', 'where is my order ABC-123456'],
    ['a digit-only order number', 'order 12345678 please'],
    ['a card-like number failing Luhn', 'reference 4111 1111 1111 1112'],
    ['the word password without a value', 'I forgot my password'],
    ['a password reset question', 'how do I reset the password page'],
    ['ordinary Spanish', '¿Dónde está mi pedido?'],
  ])('GIVEN %s WHEN redacted THEN the text is unchanged', (_, input) => {
    expect(redact(input)).toBe(input);
  });

  test('GIVEN several secrets in one text WHEN redacted THEN all are masked', () => {
    expect(redact('email a@b.io, card 4242424242424242, key ASIAABCDEFGHIJKLMNOP')).toBe(
      'email [EMAIL], card [CARD], key [AWS_ACCESS_KEY]',
    );
  });

  test('GIVEN an empty text WHEN redacted THEN empty', () => {
    expect(redact('')).toBe('');
  });

  test.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', false],
    ['0000000000000000', true],
    ['12ab', false],
  ])('luhnValid(%s) = %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});
