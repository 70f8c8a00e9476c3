import { INTENTS } from './intents';
import { ORDER_MESSAGES } from './order-messages';
import { SLOT_TYPES } from './slot-types';
import { BotModel } from './types';

/** The customer-support bot: the one definition Lex and the local NLU are generated from. */
export const MODEL: BotModel = {
  name: 'CustomerSupport',
  description: 'Customer support: order status, problem reports, product information, hand-over to an agent',
  locales: {
    en_US: { description: 'English (US)', voiceId: 'Joanna', languageCode: 'en' },
    es_US: { description: 'Español (EE. UU.)', voiceId: 'Lupe', languageCode: 'es' },
  },
  slotTypes: SLOT_TYPES,
  intents: INTENTS,
  messages: {
    escalation: {
      en_US:
        'I can tell this has been frustrating. I have passed your conversation to our support team: your reference is {TicketReference}. The team is available {SupportHours} and aims to respond within {FirstResponseHours} hours.',
      es_US:
        'Entiendo que esto ha sido frustrante. Pasé tu conversación a nuestro equipo de soporte: tu número de caso es {TicketReference}. El equipo atiende {SupportHours} y busca responderte en menos de {FirstResponseHours} horas.',
    },
    ticketUnavailable: {
      en_US:
        'Sorry, I could not register your request right now, so no ticket was created. Please try again in a few minutes.',
      es_US:
        'Perdón, no pude registrar tu solicitud en este momento, así que no se creó ningún caso. Intenta de nuevo en unos minutos.',
    },
    supportContact: {
      en_US: 'Another option: {SupportContact}.',
      es_US: 'Otra opción: {SupportContact}.',
    },
    sorry: {
      en_US: 'Sorry, something went wrong on our side. Please try again in a moment.',
      es_US: 'Perdón, algo falló de nuestro lado. Por favor intenta de nuevo en un momento.',
    },
    knowledge: {
      noAnswer: {
        en_US: "I don't know that one, sorry: I couldn't find it in our help articles.",
        es_US: 'Eso no lo sé, perdón: no lo encontré en nuestros artículos de ayuda.',
      },
      unavailable: {
        en_US: "Sorry, I can't look that up right now.",
        es_US: 'Perdón, ahora mismo no puedo buscar eso.',
      },
      blocked: {
        en_US:
          "Sorry, that's something I can't help with here. I'm happy to answer questions about our products, orders and services.",
        es_US:
          'Perdón, con eso no puedo ayudarte aquí. Con gusto respondo preguntas sobre nuestros productos, pedidos y servicios.',
      },
      handOverTitle: {
        en_US: 'Would you like to talk to a person?',
        es_US: '¿Quieres hablar con una persona?',
      },
      handOverButton: { en_US: 'Talk to a person', es_US: 'Hablar con una persona' },
    },
    orders: ORDER_MESSAGES,
  },
};
