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
        'I can tell this has been frustrating. I am bringing in one of our agents to help you right away.',
      es_US:
        'Entiendo que esto ha sido frustrante. Voy a comunicarte con uno de nuestros agentes para ayudarte de inmediato.',
    },
    sorry: {
      en_US: 'Sorry, something went wrong on our side. Please try again in a moment.',
      es_US: 'Perdón, algo falló de nuestro lado. Por favor intenta de nuevo en un momento.',
    },
  },
};
