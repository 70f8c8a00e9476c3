/**
 * Out-of-domain examples the local classifier learns as "none of the bot's intents".
 *
 * Lex's built-in FallbackIntent is trained by AWS on out-of-domain data we cannot see; nlp.js
 * only knows the bot's own sample utterances, so without negative examples every sentence
 * that shares one word with an intent ("what is ...") would land on that intent with high
 * confidence. These phrases are generic off-topic requests. They are NOT the held-out
 * evaluation set (test/fixtures/nlu/*.json), which uses other topics and wording.
 */
import type { LocaleId } from '../../contracts/bot-model/types';

export const OUT_OF_DOMAIN: Readonly<Record<LocaleId, readonly string[]>> = {
  en_US: [
    'what is the weather like today',
    'will it rain tomorrow',
    'tell me a joke',
    'sing me a song',
    'who won the football game last night',
    'what is the capital of france',
    'how tall is mount everest',
    'play some music',
    'set an alarm for seven am',
    'what time is it in tokyo',
    'recommend a good movie',
    'how do I bake bread',
    'what is the meaning of life',
    'translate cat into german',
    'who is the president',
    'how many calories in an apple',
    'book a flight to chicago',
    'order a pizza for dinner',
    'what is two plus two',
    'do you like dogs',
    'are you a robot',
    'write me a poem about the sea',
    'banana purple elephant',
    'asdf qwerty',
    'what is your favorite color',
  ],
  es_US: [
    'qué tiempo hace hoy',
    'va a llover mañana',
    'cuéntame un chiste',
    'cántame una canción',
    'quién ganó el partido de fútbol anoche',
    'cuál es la capital de francia',
    'qué altura tiene el everest',
    'pon algo de música',
    'pon una alarma a las siete',
    'qué hora es en tokio',
    'recomiéndame una buena película',
    'cómo se hace el pan',
    'cuál es el sentido de la vida',
    'traduce gato al alemán',
    'quién es el presidente',
    'cuántas calorías tiene una manzana',
    'resérvame un vuelo a chicago',
    'pide una pizza para la cena',
    'cuánto es dos más dos',
    'te gustan los perros',
    'eres un robot',
    'escríbeme un poema sobre el mar',
    'plátano elefante morado',
    'asdf qwerty',
    'cuál es tu color favorito',
  ],
};
