/**
 * The support desk as the bot describes it on a ticket turn: env `SUPPORT_DESK` (JSON
 * `SupportDeskSettings`, set by the fulfillment construct from config `tickets`), read once at
 * module init. A malformed value is a ConfigError naming the field (the function does not start),
 * never a ticket answer with an empty promise.
 */
import { LOCALES } from '../../contracts/bot-model/types';
import type { SupportDeskSettings } from '../../contracts/tickets';
import { ConfigError, optionalEnv } from '../env';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function localizedField(value: unknown, field: string): Record<string, string> {
  if (!isObject(value)) throw new ConfigError(`${field} must be an object with a text per locale`);
  for (const locale of LOCALES) {
    const text = value[locale];
    if (typeof text !== 'string' || text.trim() === '' || text.length > 200) {
      throw new ConfigError(`${field}.${locale} must be a text of 1-200 characters`);
    }
  }
  return Object.fromEntries(LOCALES.map((l) => [l, (value[l] as string).trim()]));
}

/** Parses and checks the settings; `name` prefixes every error's field. */
export function parseSupportDesk(raw: string, name = 'SUPPORT_DESK'): SupportDeskSettings {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be JSON`);
  }
  if (!isObject(value)) throw new ConfigError(`${name} must be a JSON object`);
  const hours = localizedField(value.hours, `${name}.hours`);
  const first = value.firstResponseHours;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > 720) {
    throw new ConfigError(`${name}.firstResponseHours must be a whole number of hours, 1-720`);
  }
  const contact = value.contact === undefined ? undefined : localizedField(value.contact, `${name}.contact`);
  return {
    hours: hours as SupportDeskSettings['hours'],
    firstResponseHours: first,
    ...(contact ? { contact: contact as SupportDeskSettings['hours'] } : {}),
  };
}

/** The settings from the environment, or undefined when the variable is not set (no tickets). */
export function supportDeskEnv(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): SupportDeskSettings | undefined {
  const raw = optionalEnv(name, env);
  return raw === undefined ? undefined : parseSupportDesk(raw, `environment variable ${name}`);
}
