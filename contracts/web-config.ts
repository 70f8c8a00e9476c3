/**
 * The runtime `config.json` the web chat widget reads at start-up (docs/web.md, "Embedding the
 * chat"): written next to the widget by the stage's web component (from the stage's outputs) and
 * served by `npm start` (from the local settings). Plain data: no secret ever goes in it.
 */
import type { LocaleId } from './bot-model/types';

/** Where `config.json` sits relative to the widget's files (the loader's default `data-config`). */
export const WEB_CONFIG_FILE = 'config.json';

export interface WebConfig {
  /** The conversation API's base URL, no trailing slash (e.g. `https://abc.execute-api.eu-west-1.amazonaws.com`). */
  readonly apiUrl: string;
  /** The region of the API and the identity pool (the SigV4 signing region). */
  readonly region: string;
  /** The Cognito identity pool whose guest (or signed-in) credentials sign the API requests. */
  readonly identityPoolId: string;
  /**
   * The Cognito Identity endpoint to call instead of `https://cognito-identity.{region}.amazonaws.com/`
   * (the local platform's stand-in). Absent on a deployed stage.
   */
  readonly identityEndpoint?: string;
  /** The locales the customer may choose, the first one the default. */
  readonly locales: readonly LocaleId[];
  /** The welcome message shown at the top of a new conversation, per locale (plain text). */
  readonly welcome: Readonly<Partial<Record<LocaleId, string>>>;
  /**
   * The user pool signed-in customers come from: an id token the host page passes
   * (`data-id-token` or `ConversationalChat.setIdToken`) becomes the identity pool login
   * `cognito-idp.{region}.amazonaws.com/{id}`. Absent: guests only.
   */
  readonly userPool?: { readonly id: string; readonly clientId: string };
  /** Whether the developer toggle (intent, confidence, slots of each answer) is offered. */
  readonly developerToggle: boolean;
}

/** The SigV4 service name of API Gateway's IAM authorisation. */
export const API_SIGNING_SERVICE = 'execute-api';

/**
 * The local platform's Cognito Identity stand-in (local/identity): `npm start` answers GetId and
 * GetCredentialsForIdentity (AWS JSON 1.1, unsigned) at this path of its own origin, so the local
 * config.json sets `identityEndpoint: <origin> + LOCAL_IDENTITY_PATH` and
 * `identityPoolId: localIdentityPoolId(region)`. Guests only (a `Logins` map is refused).
 */
export const LOCAL_IDENTITY_PATH = '/local/cognito/';

/** The identity pool id the local stand-in answers to (Cognito's `<region>:<uuid>` shape). */
export const localIdentityPoolId = (region: string): string =>
  `${region}:00000000-0000-4000-8000-000000000000`;

/** Why a value is not a WebConfig: one line naming the field, or undefined when it is one. */
export function webConfigError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'config.json: not a JSON object';
  const v = value as Record<string, unknown>;
  const str = (field: string): string | undefined =>
    typeof v[field] === 'string' && v[field] !== ''
      ? undefined
      : `config.json: ${field} must be a non-empty string`;
  const err = str('apiUrl') ?? str('region') ?? str('identityPoolId');
  if (err) return err;
  if (v.identityEndpoint !== undefined && typeof v.identityEndpoint !== 'string')
    return 'config.json: identityEndpoint must be a string';
  if (!Array.isArray(v.locales) || v.locales.length === 0)
    return 'config.json: locales must be a non-empty list';
  if (typeof v.welcome !== 'object' || v.welcome === null) return 'config.json: welcome must be an object';
  if (v.userPool !== undefined) {
    const up = v.userPool as Record<string, unknown> | null;
    if (typeof up?.id !== 'string' || typeof up.clientId !== 'string')
      return 'config.json: userPool must have id and clientId strings';
  }
  if (typeof v.developerToggle !== 'boolean') return 'config.json: developerToggle must be true or false';
  return undefined;
}
