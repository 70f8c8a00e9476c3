import { luhnValid, redact } from '../../src/redact';

describe('redact', () => {
  test.each([
    ['AWS access key id', 'my key is AKIAIOSFODNN7EXAMPLE ok', 'my key is [AWS_ACCESS_KEY] ok'],
    [
      'AWS secret access key',
      'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here',
      'secret [AWS_SECRET_KEY] here',
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
    // phone numbers without separators (issue 13 D): the shape an order number no longer has
    ['bare 10-digit North American number', 'my number is 4155550100', 'my number is [PHONE]'],
    ['bare 10-digit number, no phone word', 'it is 4155550100', 'it is [PHONE]'],
    ['bare 11-digit number starting with 1', 'text 14155550100 please', 'text [PHONE] please'],
    ['number after "phone no."', 'phone no. 5512345678', 'phone no. [PHONE]'],
    ['1 and a bare number', 'it is 1 4155550100', 'it is [PHONE]'],
    ['10 digits after a phone word', 'my cell is 5512345678', 'my cell is [PHONE]'],
    ['Spanish number after a phone word', 'llámame al 612 34 56 78', 'llámame al [PHONE]'],
    ['number after "mi número"', 'mi número es 5512345678', 'mi número es [PHONE]'],
    ['7 digits after "phone number is"', 'my phone number is 5550100', 'my phone number is [PHONE]'],
    ['parenthesised area code and a dash', 'call (415)-555-0100', 'call [PHONE]'],
    // a card followed by more digits (expiry date, CVV) is still found by its Luhn check
    ['card number and expiry date', 'pay with 4111 1111 1111 1111 12/26', 'pay with [CARD] 12/26'],
    ['card number and CVV', 'card 4111-1111-1111-1111 737', 'card [CARD] 737'],
    ['card number with dots', 'card 4111.1111.1111.1111', 'card [CARD]'],
    ['area code in parentheses, no dash', 'call (415) 5550100', 'call [PHONE]'],
    ['North American number with one dash', 'it is 415-5550100', 'it is [PHONE]'],
    ['PIN number', 'my PIN number is 1234', 'my PIN number is [PASSWORD]'],
    // cards and phones are found before a password value takes their first group only
    ['card given as a PIN', 'my pin is 4111 1111 1111 1111', 'my pin is [CARD]'],
    [
      'password after a question about passwords',
      '¿cómo cambio mi contraseña?, password: gato',
      '¿cómo cambio mi contraseña?, password: [PASSWORD]',
    ],
    [
      'secret key ending a sentence after a password word',
      'la clave secreta es wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. ok',
      'la clave secreta es [AWS_SECRET_KEY]. ok',
    ],
    // passwords with the keyword after the value, or an answer after a question (issue 13 D)
    ['password before "is my password"', 'hunter2 is my password', '[PASSWORD] is my password'],
    [
      'password before "was my old password"',
      'hunter2 was my old password',
      '[PASSWORD] was my old password',
    ],
    ['password and "that\'s my password"', "hunter2, that's my password", "[PASSWORD], that's my password"],
    ['password used "as my password"', 'I use hunter2 as my password', 'I use [PASSWORD] as my password'],
    ['password and "\'s my password"', "hunter2's my password", "[PASSWORD]'s my password"],
    ['question then answer', "my password? it's hunter2", "my password? it's [PASSWORD]"],
    [
      'password of an account',
      'the password for my account is hunter2',
      'the password for my account is [PASSWORD]',
    ],
    ['letters-only password after "is"', 'my password is correcthorse', 'my password is [PASSWORD]'],
    ['PIN after the value', '1234 is my pin', '[PASSWORD] is my pin'],
    ['Spanish password before the keyword', 'gato123 es mi contraseña', '[PASSWORD] es mi contraseña'],
    ['Spanish password before "la contraseña"', 'gato es la contraseña', '[PASSWORD] es la contraseña'],
    ['Spanish "la contraseña:"', 'la contraseña: gato123', 'la contraseña: [PASSWORD]'],
    ['Spanish question then answer', 'mi contraseña? es gato123', 'mi contraseña? es [PASSWORD]'],
    [
      'Spanish adjective after the keyword',
      'mi contraseña nueva es gato123',
      'mi contraseña nueva es [PASSWORD]',
    ],
    ['Spanish "como contraseña"', 'puse gato123 como contraseña', 'puse [PASSWORD] como contraseña'],
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
    ['a 10-digit order number starting with 1', 'where is my order 1234567890'],
    ['a 10-digit order number with a 0/1 exchange', 'order 4151234567 please'],
    ['a prefixed 10-digit order number', 'where is AB4155550100'],
    ['an order number after "my order number is"', 'my order number is 4482913'],
    ['a Spanish order number', 'mi número de pedido es 55501234'],
    ['an order for a phone', 'my phone order 12345678'],
    ['"reset my password please"', 'reset my password please'],
    ['"what is my password"', 'what is my password?'],
    ['"my password is not working"', 'my password is not working'],
    ['"that\'s my password"', "that's my password"],
    ['"¿cómo cambio mi contraseña?"', '¿cómo cambio mi contraseña?'],
    ['"¿Cuál es mi contraseña?"', '¿Cuál es mi contraseña?'],
    ['"olvidé mi contraseña"', 'olvidé mi contraseña'],
    ['a password for an order', 'password for order 12345678'],
    ['prices and versions', 'it cost 12.50, app version 1.2.3'],
    ['10 digits with a dash, not North American', 'ref 415-1234567'],
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
  ])('GIVEN the digits %s WHEN Luhn-checked THEN luhnValid is %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});
