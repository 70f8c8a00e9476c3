import { INTENTS } from './intents';
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
        'I can tell this has been frustrating. I have asked our support team to take over: your reference is {TicketReference}, and a person will contact you within {FirstResponseHours} hours ({SupportHours}).',
      es_US:
        'Entiendo que esto ha sido frustrante. Pedí a nuestro equipo de soporte que continúe: tu número de caso es {TicketReference} y una persona te contactará en menos de {FirstResponseHours} horas ({SupportHours}).',
    },
    ticketUnavailable: {
      en_US:
        'Sorry, I could not register your request right now, so no ticket was created. Please try again in a few minutes.',
      es_US:
        'Perdón, no pude registrar tu solicitud en este momento, así que no se creó ningún caso. Intenta de nuevo en unos minutos.',
    },
    supportContact: {
      en_US: 'You can also reach our support team directly: {SupportContact} ({SupportHours}).',
      es_US:
        'También puedes contactar directamente a nuestro equipo de soporte: {SupportContact} ({SupportHours}).',
    },
    sorry: {
      en_US: 'Sorry, something went wrong on our side. Please try again in a moment.',
      es_US: 'Perdón, algo falló de nuestro lado. Por favor intenta de nuevo en un momento.',
    },
  },
};
