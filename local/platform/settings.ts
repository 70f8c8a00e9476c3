/**
 * The platform's tunables, from the options a caller passes or else the environment (npm start):
 * fault switches, HTTP timeouts, the shutdown deadline, the event retry buffer. A bad value stops
 * the start-up with one line naming the variable.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BufferedEventSinkOptions } from '../adapters/buffered-event-sink';
import type { DualServerOptions } from '../dual-protocol';
import { parseFaults, type FaultTarget } from '../faults';
import { parseAuthMode, type LocalAuthMode } from '../identity/gateway';
import { DEFAULT_KNOWLEDGE_DIR } from '../knowledge/routes';
import type { LocalTicketsOptions } from '../tickets';
import type { LocalPlatformOptions } from './types';

export interface PlatformSettings {
  readonly faults: readonly FaultTarget[];
  readonly http: DualServerOptions;
  readonly shutdownTimeoutMs: number;
  readonly eventBuffer: BufferedEventSinkOptions;
  /** The knowledge stand-in's folder (absolute); undefined: no knowledge answers. */
  readonly knowledgeDir: string | undefined;
  readonly tickets: LocalTicketsOptions;
  /** API Gateway's IAM auth, locally (local/identity/gateway.ts). */
  readonly auth: LocalAuthMode;
}

export class SettingsError extends Error {}

export function readSettings(
  opts: LocalPlatformOptions,
  env: NodeJS.ProcessEnv = process.env,
): PlatformSettings {
  const ms = (name: string): number | undefined => positive(name, env[name]);
  let faults: readonly FaultTarget[];
  try {
    faults = opts.faults ?? parseFaults(env.LOCAL_FAULTS);
  } catch (err) {
    throw new SettingsError(`LOCAL_FAULTS: ${(err as Error).message}`);
  }
  let auth: LocalAuthMode;
  try {
    auth = opts.auth ?? parseAuthMode(env.LOCAL_AUTH);
  } catch (err) {
    throw new SettingsError(`LOCAL_AUTH ${(err as Error).message}`);
  }
  const headersTimeoutMs = opts.http?.headersTimeoutMs ?? ms('LOCAL_HEADERS_TIMEOUT_MS');
  const requestTimeoutMs = opts.http?.requestTimeoutMs ?? ms('LOCAL_REQUEST_TIMEOUT_MS');
  const maxBuffered = opts.eventBuffer?.maxBuffered ?? ms('LOCAL_EVENTS_BUFFER_MAX');
  const maxAgeMs = opts.eventBuffer?.maxAgeMs ?? ms('LOCAL_EVENTS_MAX_AGE_MS');
  const visibilityTimeoutMs = opts.tickets?.visibilityTimeoutMs ?? ms('LOCAL_TICKETS_VISIBILITY_MS');
  return {
    faults,
    http: {
      ...opts.http,
      ...(headersTimeoutMs ? { headersTimeoutMs } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    },
    shutdownTimeoutMs: opts.shutdownTimeoutMs ?? ms('LOCAL_SHUTDOWN_TIMEOUT_MS') ?? 10_000,
    auth,
    eventBuffer: {
      ...opts.eventBuffer,
      ...(maxBuffered ? { maxBuffered } : {}),
      ...(maxAgeMs ? { maxAgeMs } : {}),
    },
    knowledgeDir: knowledgeDir(opts, env),
    tickets: { ...opts.tickets, ...(visibilityTimeoutMs ? { visibilityTimeoutMs } : {}) },
  };
}

/** The knowledge folder: the option, KNOWLEDGE_DIR or the samples; it must be a folder. */
function knowledgeDir(opts: LocalPlatformOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (opts.knowledgeDir === false) return undefined;
  const dir = resolve(opts.knowledgeDir ?? (env.KNOWLEDGE_DIR || DEFAULT_KNOWLEDGE_DIR));
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new SettingsError(`KNOWLEDGE_DIR: ${dir} is not a folder (it holds one sub-folder per locale)`);
  return dir;
}

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new SettingsError(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}
