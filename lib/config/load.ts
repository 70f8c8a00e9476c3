import { DEFAULT_CONFIG } from './environments';
import { AppConfig, ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName, PipelineConfig } from './types';
import { validateConfig } from './validate';

/** Reads a context value (cdk.json `context` or `-c key=value`). */
export type ContextReader = (key: string) => unknown;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the app config: defaults from `environments.ts`, then cdk.json context, then
 * environment variables (highest precedence), then validation.
 *
 * | what                    | context key            | environment variable          |
 * |-------------------------|------------------------|-------------------------------|
 * | dev/staging/prod account| `<env>Account`         | `CDK_<ENV>_ACCOUNT`           |
 * | dev/staging/prod region | `<env>Region`          | `CDK_<ENV>_REGION`            |
 * | tooling account/region  | `pipelineAccount/Region`| `CDK_PIPELINE_ACCOUNT/REGION`|
 * | connection ARN          | `connectionArn`        | `PIPELINE_CONNECTION_ARN`     |
 * | repository, branch      | `repository`, `branch` | `PIPELINE_REPOSITORY`, `PIPELINE_BRANCH` |
 * | approver e-mail         | `notificationEmail`    | `PIPELINE_NOTIFICATION_EMAIL` |
 */
export function loadConfig(context: ContextReader = () => undefined, env: Env = process.env): AppConfig {
  const pick = (contextKey: string, envKey: string, fallback: string): string => {
    const fromEnv = env[envKey];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromContext = context(contextKey);
    return fromContext === undefined || fromContext === null ? fallback : String(fromContext);
  };

  const environments = {} as Record<EnvironmentName, EnvironmentConfig>;
  for (const name of ENVIRONMENT_NAMES) {
    const base = DEFAULT_CONFIG.environments[name];
    const upper = name.toUpperCase();
    environments[name] = {
      ...base,
      account: pick(`${name}Account`, `CDK_${upper}_ACCOUNT`, base.account),
      region: pick(`${name}Region`, `CDK_${upper}_REGION`, base.region),
    };
  }

  const p = DEFAULT_CONFIG.pipeline;
  const email = pick('notificationEmail', 'PIPELINE_NOTIFICATION_EMAIL', '');
  const pipeline: PipelineConfig = {
    account: pick('pipelineAccount', 'CDK_PIPELINE_ACCOUNT', p.account),
    region: pick('pipelineRegion', 'CDK_PIPELINE_REGION', p.region),
    connectionArn: pick('connectionArn', 'PIPELINE_CONNECTION_ARN', p.connectionArn),
    repository: pick('repository', 'PIPELINE_REPOSITORY', p.repository),
    branch: pick('branch', 'PIPELINE_BRANCH', p.branch),
    ...(email ? { notificationEmail: email } : {}),
  };

  return validateConfig({ pipeline, environments });
}
