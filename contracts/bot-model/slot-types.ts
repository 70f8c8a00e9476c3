import { SlotTypeDefinition } from './types';

/**
 * Custom slot types. Enumeration values resolve to the same canonical value in both languages
 * (the handler and analytics see `billing`, whatever the user said).
 */
export const SLOT_TYPES: readonly SlotTypeDefinition[] = [
  {
    kind: 'pattern',
    name: 'OrderNumber',
    description:
      'An order number: 5 to 10 digits (a phone-shaped 10-digit number is not one), optionally after a two-letter prefix (AB12345)',
    // Lex V2 valueRegexFilter: a subset of regex, no anchors; built on AMAZON.AlphaNumeric.
    // A bare 10-digit number shaped like a North American phone number (area code and exchange
    // both starting with 2-9: 4155550100) is a phone number, not an order number: 10 digits
    // are accepted when the first or the fourth digit is 0 or 1 (1234567890, 4151234567).
    // Both patterns are the same alternation (test/property/privacy.property.test.ts).
    regex: '([A-Za-z]{2}[0-9]{5,10}|[0-9]{5,9}|[01][0-9]{9}|[0-9]{3}[01][0-9]{6})',
    jsRegex: '^(?:[A-Za-z]{2}[0-9]{5,10}|[0-9]{5,9}|[01][0-9]{9}|[0-9]{3}[01][0-9]{6})$',
  },
  {
    kind: 'enumeration',
    name: 'IssueCategory',
    description: 'What kind of problem the customer reports',
    values: {
      en_US: [
        { value: 'billing', synonyms: ['bill', 'invoice', 'charge', 'charged twice', 'payment', 'refund'] },
        {
          value: 'delivery',
          synonyms: ['shipping', 'shipment', 'package', 'late delivery', 'never arrived', 'courier'],
        },
        {
          value: 'damaged',
          label: 'damaged item',
          synonyms: ['broken', 'damaged item', 'cracked', 'defective', 'faulty'],
        },
        { value: 'account', synonyms: ['login', 'password reset', 'sign in', 'my account', 'locked out'] },
        { value: 'technical', synonyms: ['app', 'website', 'error message', 'bug', 'crash', 'not working'] },
      ],
      es_US: [
        {
          value: 'billing',
          label: 'facturación',
          synonyms: [
            'factura',
            'facturación',
            'cobro',
            'cargo',
            'pago',
            'reembolso',
            'me cobraron dos veces',
          ],
        },
        {
          value: 'delivery',
          label: 'entrega',
          synonyms: ['envío', 'entrega', 'paquete', 'paquetería', 'no llegó', 'retraso'],
        },
        {
          value: 'damaged',
          label: 'producto dañado',
          synonyms: ['roto', 'dañado', 'defectuoso', 'producto dañado', 'llegó roto'],
        },
        {
          value: 'account',
          label: 'cuenta',
          synonyms: ['cuenta', 'mi cuenta', 'contraseña', 'inicio de sesión', 'bloqueada'],
        },
        {
          value: 'technical',
          label: 'falla técnica',
          synonyms: ['aplicación', 'la app', 'sitio web', 'página web', 'error', 'falla técnica'],
        },
      ],
    },
  },
  {
    kind: 'enumeration',
    name: 'ProductType',
    description: 'The product family the customer asks about',
    values: {
      en_US: [
        { value: 'phone', synonyms: ['smartphone', 'mobile', 'cell phone', 'handset'] },
        { value: 'laptop', synonyms: ['notebook', 'computer', 'macbook', 'pc'] },
        { value: 'tablet', synonyms: ['ipad', 'tab'] },
        { value: 'headphones', synonyms: ['earbuds', 'headset', 'earphones'] },
        { value: 'smartwatch', synonyms: ['watch', 'fitness tracker', 'wearable'] },
      ],
      es_US: [
        { value: 'phone', label: 'teléfonos', synonyms: ['teléfono', 'celular', 'móvil', 'smartphone'] },
        {
          value: 'laptop',
          label: 'laptops',
          synonyms: ['portátil', 'computadora', 'computadora portátil', 'lap'],
        },
        { value: 'tablet', label: 'tabletas', synonyms: ['tableta', 'ipad'] },
        { value: 'headphones', label: 'audífonos', synonyms: ['audífonos', 'auriculares', 'cascos'] },
        {
          value: 'smartwatch',
          label: 'relojes inteligentes',
          synonyms: ['reloj', 'reloj inteligente', 'pulsera de actividad'],
        },
      ],
    },
  },
];
