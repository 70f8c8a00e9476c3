/** Environment variables, read through one helper that names what is missing or malformed. */
import { LOCALES, type LocaleId } from '../contracts/bot-model/types';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`environment variable ${name} is not set`);
  return value.trim();
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function numberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(`environment variable ${name} must be a positive number, got "${raw}"`);
  return n;
}

export function booleanEnv(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`environment variable ${name} must be true or false, got "${raw}"`);
}

export function localesEnv(name: string, env: NodeJS.ProcessEnv = process.env): LocaleId[] {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return [...LOCALES];
  const locales = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = locales.filter((l) => !(LOCALES as readonly string[]).includes(l));
  if (bad.length || locales.length === 0) {
    throw new ConfigError(
      `environment variable ${name} has unknown locale(s): ${bad.join(', ') || '(none given)'}`,
    );
  }
  return locales as LocaleId[];
}
