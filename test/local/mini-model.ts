/**
 * A small bot model for the local platform's unit tests (the real one is contracts/bot-model): enough
 * intents, slots and slot types to exercise the Lex runtime's dialog and the slot extractor.
 */
import { ORDER_MESSAGES } from '../../contracts/bot-model/order-messages';
import type { BotModel } from '../../contracts/bot-model/types';

export const MINI_MODEL: BotModel = {
  name: 'MiniSupportBot',
  description: 'test model',
  locales: {
    en_US: { description: 'English', voiceId: 'Joanna', languageCode: 'en' },
    es_US: { description: 'Spanish', voiceId: 'Lupe', languageCode: 'es' },
  },
  slotTypes: [
    {
      kind: 'pattern',
      name: 'OrderNumberType',
      description: 'order number',
      regex: 'ORD-[0-9]{5}',
      jsRegex: '^ORD-\\d{5}$',
    },
    {
      kind: 'enumeration',
      name: 'ProductTypeType',
      description: 'products',
      values: {
        en_US: [
          { value: 'laptop', synonyms: ['notebook', 'portable computer'] },
          { value: 'phone', synonyms: ['smartphone', 'mobile phone', 'cell phone'] },
        ],
        es_US: [
          { value: 'portátil', synonyms: ['laptop', 'ordenador portátil'] },
          { value: 'teléfono', synonyms: ['móvil', 'celular'] },
        ],
      },
    },
  ],
  intents: [
    {
      name: 'Greeting',
      description: 'hello',
      slots: [],
      utterances: {
        en_US: ['hello', 'hi there', 'good morning', 'hey', 'good evening'],
        es_US: ['hola', 'buenos días', 'buenas tardes', 'qué tal', 'saludos'],
      },
      responses: { en_US: ['Hello! How can I help?'], es_US: ['¡Hola! ¿En qué puedo ayudarte?'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
    },
    {
      name: 'CheckOrderStatus',
      description: 'order status',
      slots: [
        {
          name: 'OrderNumber',
          slotType: 'OrderNumberType',
          required: true,
          prompt: { en_US: 'What is your order number?', es_US: '¿Cuál es tu número de pedido?' },
          invalidPrompt: {
            en_US: 'That order number is not valid.',
            es_US: 'Ese número de pedido no es válido.',
          },
        },
      ],
      utterances: {
        en_US: [
          'where is my order',
          'track my order {OrderNumber}',
          'order status',
          'status of order {OrderNumber}',
          'has my package shipped',
        ],
        es_US: [
          'dónde está mi pedido',
          'rastrear mi pedido {OrderNumber}',
          'estado del pedido',
          'estado de mi pedido {OrderNumber}',
          'ya enviaron mi paquete',
        ],
      },
      responses: {
        en_US: ['Order {OrderNumber} is on its way.'],
        es_US: ['El pedido {OrderNumber} está en camino.'],
      },
      dialogCodeHook: true,
      fulfillmentCodeHook: true,
    },
    {
      name: 'ProductInfo',
      description: 'products',
      slots: [
        {
          name: 'ProductType',
          slotType: 'ProductTypeType',
          required: true,
          prompt: { en_US: 'Which product?', es_US: '¿Qué producto?' },
          invalidPrompt: { en_US: 'Which product again?', es_US: '¿Qué producto otra vez?' },
        },
      ],
      utterances: {
        en_US: [
          'tell me about the {ProductType}',
          'product information',
          'what does the {ProductType} cost',
          'specs of the {ProductType}',
        ],
        es_US: [
          'háblame del {ProductType}',
          'información de productos',
          'cuánto cuesta el {ProductType}',
          'características del {ProductType}',
        ],
      },
      responses: { en_US: ['The {ProductType} is great.'], es_US: ['El {ProductType} es genial.'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: false,
    },
    {
      name: 'Goodbye',
      description: 'bye',
      slots: [],
      utterances: {
        en_US: ['bye', 'goodbye', 'see you later', 'thanks bye'],
        es_US: ['adiós', 'hasta luego', 'nos vemos', 'chao'],
      },
      responses: { en_US: ['Goodbye!'], es_US: ['¡Adiós!'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
    },
    {
      name: 'FallbackIntent',
      description: 'fallback',
      parentIntentSignature: 'AMAZON.FallbackIntent',
      slots: [],
      utterances: { en_US: [], es_US: [] },
      responses: { en_US: ['Sorry, I did not get that.'], es_US: ['Lo siento, no entendí.'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
    },
  ],
  messages: {
    escalation: {
      en_US: 'A person will take over: {TicketReference}.',
      es_US: 'Una persona seguirá: {TicketReference}.',
    },
    ticketUnavailable: { en_US: 'I could not register it.', es_US: 'No pude registrarlo.' },
    supportContact: { en_US: 'Contact: {SupportContact}.', es_US: 'Contacto: {SupportContact}.' },
    sorry: { en_US: 'Sorry, something went wrong.', es_US: 'Lo siento, algo salió mal.' },
    knowledge: {
      noAnswer: { en_US: "I don't know that one.", es_US: 'Eso no lo sé.' },
      unavailable: { en_US: "I can't look that up now.", es_US: 'Ahora no puedo buscar eso.' },
      blocked: { en_US: "Sorry, I can't help with that.", es_US: 'Perdón, con eso no puedo ayudar.' },
      handOverTitle: { en_US: 'Talk to a person?', es_US: '¿Hablar con una persona?' },
      handOverButton: { en_US: 'Talk to a person', es_US: 'Hablar con una persona' },
    },
    orders: ORDER_MESSAGES,
  },
};
