/** The widget's own words, per locale (bot answers come in the conversation's language). */
import type { LocaleId } from '../contracts/bot-model/types';

export interface Texts {
  readonly lang: string;
  readonly title: string;
  readonly languageLabel: string;
  readonly localeName: string;
  readonly newConversation: string;
  readonly close: string;
  readonly messageLabel: string;
  readonly placeholder: string;
  readonly send: string;
  readonly you: string;
  readonly bot: string;
  readonly typing: string;
  readonly sources: string;
  readonly choices: string;
  readonly helpful: string;
  readonly notHelpful: string;
  readonly feedbackThanks: string;
  readonly feedbackFailed: string;
  readonly retry: string;
  readonly retryIn: (seconds: number) => string;
  readonly notSent: string;
  readonly network: string;
  readonly busy: string;
  readonly unavailable: string;
  readonly rejected: string;
  readonly notFound: string;
  readonly signedIn: string;
  readonly empty: string;
  readonly tooLong: (count: number, max: number) => string;
  readonly answeredIn: (language: string) => string;
  readonly developer: string;
  readonly started: string;
  readonly switched: string;
  readonly ticket: (reference: string) => string;
  readonly configError: string;
}

export const TEXTS: Record<LocaleId, Texts> = {
  en_US: {
    lang: 'en',
    title: 'Customer support',
    languageLabel: 'Language',
    localeName: 'English',
    newConversation: 'New conversation',
    close: 'Close chat',
    messageLabel: 'Your message',
    placeholder: 'Type your message…',
    send: 'Send',
    you: 'You',
    bot: 'Assistant',
    typing: 'The assistant is typing…',
    sources: 'Sources',
    choices: 'Suggested replies',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    feedbackThanks: 'Thanks for your feedback.',
    feedbackFailed: 'Your feedback could not be sent.',
    retry: 'Retry',
    retryIn: (s) => `Retry in ${s} s`,
    notSent: 'Not sent.',
    network: 'The chat service could not be reached.',
    busy: 'Too many messages right now.',
    unavailable: 'The assistant is unavailable for a moment.',
    rejected: 'The message was not accepted.',
    notFound: 'This conversation cannot be continued. Start a new conversation.',
    signedIn: 'You are signed in: a new conversation was started.',
    empty: 'Please type a message first.',
    tooLong: (count, max) => `Your message has ${count} characters; the limit is ${max}.`,
    answeredIn: (language) => `Answered in ${language}`,
    developer: 'Developer',
    started: 'New conversation started.',
    switched: 'Language switched to English.',
    ticket: (reference) => `Ticket ${reference}`,
    configError: 'The chat is not available right now.',
  },
  es_US: {
    lang: 'es',
    title: 'Atención al cliente',
    languageLabel: 'Idioma',
    localeName: 'Español',
    newConversation: 'Nueva conversación',
    close: 'Cerrar el chat',
    messageLabel: 'Tu mensaje',
    placeholder: 'Escribe tu mensaje…',
    send: 'Enviar',
    you: 'Tú',
    bot: 'Asistente',
    typing: 'El asistente está escribiendo…',
    sources: 'Fuentes',
    choices: 'Respuestas sugeridas',
    helpful: 'Útil',
    notHelpful: 'No útil',
    feedbackThanks: 'Gracias por tu opinión.',
    feedbackFailed: 'No se pudo enviar tu opinión.',
    retry: 'Reintentar',
    retryIn: (s) => `Reintentar en ${s} s`,
    notSent: 'No enviado.',
    network: 'No se pudo contactar con el servicio de chat.',
    busy: 'Demasiados mensajes en este momento.',
    unavailable: 'El asistente no está disponible por un momento.',
    rejected: 'El mensaje no fue aceptado.',
    notFound: 'Esta conversación no puede continuar. Empieza una nueva conversación.',
    signedIn: 'Has iniciado sesión: se empezó una nueva conversación.',
    empty: 'Escribe un mensaje primero.',
    tooLong: (count, max) => `Tu mensaje tiene ${count} caracteres; el límite es ${max}.`,
    answeredIn: (language) => `Respondido en ${language}`,
    developer: 'Desarrollo',
    started: 'Nueva conversación iniciada.',
    switched: 'Idioma cambiado a español.',
    ticket: (reference) => `Incidencia ${reference}`,
    configError: 'El chat no está disponible ahora mismo.',
  },
};

/** A language code's name in the reader's language ("English", "español"), or the code itself. */
export function languageName(code: string, uiLang: string): string {
  try {
    const name = new Intl.DisplayNames([uiLang], { type: 'language' }).of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}
