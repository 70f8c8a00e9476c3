import { writeSync } from 'node:fs';
import { DEFAULT_CONFIG } from './environments';
import { AppConfig, ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName, PipelineConfig } from './types';
import { CONFIG_SETTINGS, ConfigError, ConfigSetting, validateConfig } from './validate';

/** Reads a context value (cdk.json `context` or `-c key=value`). */
export type ContextReader = (key: string) => unknown;

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /**
   * Every context key present: bin/app.ts passes `Object.keys(app.node.getAllContext())`. A plain
   * key (letters, digits, `_`) that is not a setting is refused, naming the closest one; keys the
   * CDK, its CLI and cdk.json put in are namespaced (`@aws-cdk/...`, `aws:cdk:...`,
   * `availability-zones:...`, `acknowledged-issue-numbers`) and pass.
   * @default - not checked
   */
  readonly contextKeys?: Iterable<string>;
  /** Plain context keys other parts of the app read, besides CONFIG_SETTINGS'. */
  readonly otherContextKeys?: readonly string[];
}

/**
 * Builds the app config: defaults from `environments.ts`, then cdk.json context, then
 * environment variables (highest precedence), then validation. What is read from where is
 * CONFIG_SETTINGS (validate.ts):
 *
 * | what                    | context key            | environment variable          |
 * |-------------------------|------------------------|-------------------------------|
 * | dev/staging/prod account| `<env>Account`         | `CDK_<ENV>_ACCOUNT`           |
 * | dev/staging/prod region | `<env>Region`          | `CDK_<ENV>_REGION`            |
 * | tooling account/region  | `pipelineAccount/Region`| `CDK_PIPELINE_ACCOUNT/REGION`|
 * | connection ARN          | `connectionArn`        | `PIPELINE_CONNECTION_ARN`     |
 * | repository, branch      | `repository`, `branch` | `PIPELINE_REPOSITORY`, `PIPELINE_BRANCH` |
 * | approver e-mail         | `notificationEmail`    | `PIPELINE_NOTIFICATION_EMAIL` |
 * | alarm e-mails (a,b,...) | `<env>AlarmEmail`      | `CDK_<ENV>_ALARM_EMAIL`       |
 * | alarm HTTPS endpoint    | `<env>AlarmEndpoint`   | `CDK_<ENV>_ALARM_ENDPOINT`    |
 * | web chat domain, cert   | `<env>WebDomain`, `<env>WebCertificateArn` | `CDK_<ENV>_WEB_DOMAIN`, `CDK_<ENV>_WEB_CERTIFICATE_ARN` |
 * | web chat origins (a,b)  | `<env>WebFrameAncestors`, `<env>WebAllowedOrigins` | `CDK_<ENV>_WEB_FRAME_ANCESTORS`, `CDK_<ENV>_WEB_ALLOWED_ORIGINS` |
 *
 * (`sandbox`/`sandboxRegion` are read by lib/pipeline/sandbox.ts.) Throws a ConfigError.
 */
export function loadConfig(
  context: ContextReader = () => undefined,
  env: Env = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  if (options.contextKeys) {
    checkContextKeys(options.contextKeys, options.otherContextKeys);
  }
  const pick = (field: string, fallback: string): string => {
    const setting = settingOf(field);
    const fromEnv = env[setting.envVar];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromContext = context(setting.contextKey);
    if (fromContext === undefined || fromContext === null) return fallback;
    if (typeof fromContext !== 'string') {
      const kind = Array.isArray(fromContext) ? 'a list' : `a ${typeof fromContext}`;
      throw new ConfigError(
        field,
        `must be a string (in double quotes in cdk.json), got ${JSON.stringify(fromContext)} (${kind})`,
      );
    }
    return fromContext;
  };

  const environments = {} as Record<EnvironmentName, EnvironmentConfig>;
  for (const name of ENVIRONMENT_NAMES) {
    const base = DEFAULT_CONFIG.environments[name];
    const notify = base.alarmNotifications;
    const endpoint = pick(`${name}.alarmNotifications.httpsEndpoint`, notify.httpsEndpoint ?? '');
    const web = base.web;
    const domain = pick(`${name}.web.customDomain`, web.customDomain ?? '');
    const certificate = pick(`${name}.web.certificateArn`, web.certificateArn ?? '');
    environments[name] = {
      ...base,
      account: pick(`${name}.account`, base.account),
      region: pick(`${name}.region`, base.region),
      alarmNotifications: {
        ...notify,
        emails: splitList(pick(`${name}.alarmNotifications.emails`, notify.emails.join(','))),
        ...(endpoint ? { httpsEndpoint: endpoint } : {}),
      },
      web: {
        ...web,
        frameAncestors: splitList(pick(`${name}.web.frameAncestors`, web.frameAncestors.join(','))),
        allowedOrigins: splitList(pick(`${name}.web.allowedOrigins`, web.allowedOrigins.join(','))),
        customDomain: domain || undefined,
        certificateArn: certificate || undefined,
      },
    };
  }

  const p = DEFAULT_CONFIG.pipeline;
  const email = pick('pipeline.notificationEmail', '');
  const pipeline: PipelineConfig = {
    account: pick('pipeline.account', p.account),
    region: pick('pipeline.region', p.region),
    connectionArn: pick('pipeline.connectionArn', p.connectionArn),
    repository: pick('pipeline.repository', p.repository),
    branch: pick('pipeline.branch', p.branch),
    costAllocation: p.costAllocation,
    ...(email ? { notificationEmail: email } : {}),
  };

  return validateConfig({ pipeline, environments });
}

/** `a@x.com, b@y.com` -> the addresses, trimmed, empty entries dropped. */
function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function settingOf(field: string): ConfigSetting {
  const setting = CONFIG_SETTINGS.find((s) => s.field === field);
  if (!setting) throw new Error(`no CONFIG_SETTINGS entry for ${field}`);
  return setting;
}

/** Our keys are plain camelCase words; the CDK's have a `:`, `/`, `@`, `-` or `.` in them. */
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const normalize = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Refuses context keys that look like ours but are not (`-c devAcount=...` would otherwise be
 * ignored silently and the default used): every plain key not in CONFIG_SETTINGS or `otherKeys`,
 * and a namespaced one that differs from ours only in case and punctuation (`dev-account`).
 */
export function checkContextKeys(keys: Iterable<string>, otherKeys: readonly string[] = []): void {
  const known = [...CONFIG_SETTINGS.map((s) => s.contextKey), ...otherKeys];
  const knownNormal = new Set(known.map(normalize));
  const unknown = [...keys].filter(
    (key) => !known.includes(key) && (PLAIN_KEY.test(key) || knownNormal.has(normalize(key))),
  );
  if (unknown.length === 0) return;
  const hint = (key: string): string | undefined => {
    const names = closestKeys(key, known);
    return names.length > 0 ? `did you mean ${orList(names)}?` : undefined;
  };
  const knownList = `known keys: ${known.join(', ')}`;
  if (unknown.length === 1) {
    const [key] = unknown;
    throw new ConfigError(`context.${key}`, hint(key) ?? `(${knownList})`, `unknown context key ${key}:`);
  }
  const each = unknown.map((key) => `${key} (${hint(key) ?? 'no close match'})`).join(', ');
  throw new ConfigError(`context.${unknown[0]}`, `${each}; ${knownList}`, 'unknown context keys:');
}

/** The known keys closest to `key`: same letters, a few edits away, or containing it. */
export function closestKeys(key: string, known: readonly string[]): string[] {
  const k = normalize(key);
  const scored = known.map((name) => ({ name, distance: editDistance(k, normalize(name)) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (best <= Math.max(2, Math.floor(k.length / 3))) {
    return scored.filter((s) => s.distance === best).map((s) => s.name);
  }
  return k.length >= 4 ? known.filter((name) => normalize(name).includes(k)) : [];
}

function orList(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** A default of environments.ts standing in for a real value: fine for synth, never deployable. */
export interface Placeholder {
  readonly setting: ConfigSetting;
  readonly value: string;
}

const PLACEHOLDER_CONNECTION_ID = '/00000000-0000-0000-0000-000000000000';

/** Domains reserved for examples (RFC 2606): no alarm ever reaches an address or endpoint there. */
const EXAMPLE_DOMAIN = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;
const atExampleDomain = (address: string): boolean =>
  EXAMPLE_DOMAIN.test(
    address
      .replace(/^https:\/\//, '')
      .split(/[/?#:]/)[0]!
      .split('@')
      .pop()!,
  );

/**
 * The settings still at a placeholder: an account of the defaults (111111111111, 222222222222,
 * 333333333333, 444444444444, in any role), the example repository, the example connection, an
 * alarm e-mail or endpoint at an example domain (staging's and prod's default e-mail is one).
 */
export function findPlaceholders(config: AppConfig, defaults: AppConfig = DEFAULT_CONFIG): Placeholder[] {
  const accounts = new Set([
    defaults.pipeline.account,
    ...ENVIRONMENT_NAMES.map((n) => defaults.environments[n].account),
  ]);
  const { pipeline } = config;
  const candidates: Array<[field: string, value: string, placeholder: boolean]> = [
    ['pipeline.account', pipeline.account, accounts.has(pipeline.account)],
    ...ENVIRONMENT_NAMES.map((n): [string, string, boolean] => {
      const account = config.environments[n].account;
      return [`${n}.account`, account, accounts.has(account)];
    }),
    ['pipeline.repository', pipeline.repository, pipeline.repository === defaults.pipeline.repository],
    [
      'pipeline.connectionArn',
      pipeline.connectionArn,
      pipeline.connectionArn === defaults.pipeline.connectionArn ||
        pipeline.connectionArn.endsWith(PLACEHOLDER_CONNECTION_ID),
    ],
    ...ENVIRONMENT_NAMES.flatMap((n): Array<[string, string, boolean]> => {
      const { emails, httpsEndpoint = '' } = config.environments[n].alarmNotifications;
      return [
        [`${n}.alarmNotifications.emails`, emails.join(','), emails.some(atExampleDomain)],
        [`${n}.alarmNotifications.httpsEndpoint`, httpsEndpoint, atExampleDomain(httpsEndpoint)],
      ];
    }),
  ];
  return candidates
    .filter(([, , placeholder]) => placeholder)
    .map(([field, value]) => ({ setting: settingOf(field), value }));
}

/** Why a stack synthesized from this config must not deploy, for the synth log and for CloudFormation. */
export interface DeployRefusal {
  readonly placeholders: readonly Placeholder[];
  /** One line for stderr at synth: synth goes on, a deployment will be refused. */
  readonly notice: string;
  /** What CloudFormation answers a deployment (the AssertDescription of bin/app.ts's rule). */
  readonly message: string;
  /** `key=value` of each placeholder, comma-separated (the guard parameter's default). */
  readonly summary: string;
}

/**
 * The refusal for a config with placeholders, or undefined when every deployable value is real.
 * The app cannot tell `cdk synth` from `cdk deploy` (the CLI runs it with the same environment and
 * context), so synth goes on with a notice and the template refuses the deployment itself.
 */
export function deployRefusal(config: AppConfig, stackName: string): DeployRefusal | undefined {
  const placeholders = findPlaceholders(config);
  if (placeholders.length === 0) return undefined;
  const keys = placeholders.map((p) => p.setting.contextKey).join(', ');
  const where = 'docs/deployment.md, "4. Configure"';
  return {
    placeholders,
    notice:
      `note: placeholder config (${keys}): synth works, but deploying ${stackName} is refused ` +
      `until they are set in cdk.json (${where})`,
    message:
      `${stackName} was synthesized with placeholder config: ` +
      placeholders.map((p) => `${p.setting.contextKey} (${p.setting.envVar}) is ${p.value}`).join(', ') +
      `. Set the real values in cdk.json context (${where}), commit them and deploy again.`,
    summary: placeholders.map((p) => `${p.setting.contextKey}=${p.value}`).join(','),
  };
}

/** How exitOnConfigError reports: tests pass their own. */
export interface ExitIo {
  readonly write: (text: string) => void;
  readonly exit: (code: number) => never;
}

const PROCESS_IO: ExitIo = {
  // Synchronous: process.exit() drops an asynchronous write still pending on a pipe.
  write: (text) => writeSync(2, text),
  exit: (code) => process.exit(code),
};

/**
 * Runs `build`; on a ConfigError prints its one-line message, no stack trace, and exits 1
 * (bin/app.ts wraps loading the config with it). Any other error is rethrown.
 */
export function exitOnConfigError<T>(build: () => T, io: ExitIo = PROCESS_IO): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.write(`${error.message}\n`);
    return io.exit(1);
  }
}
