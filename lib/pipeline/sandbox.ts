import { EnvironmentConfig } from '../config/types';
import { validateEnvironment } from '../config/validate';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A personal sandbox: the dev environment's settings in a developer's own account, deployed
 * straight from a laptop (`npx cdk deploy -c sandbox=<account> 'Sandbox/*'`), outside the
 * pipeline. Returns undefined when no sandbox account is set.
 *
 * | what    | context key     | environment variable  | default        |
 * |---------|-----------------|-----------------------|----------------|
 * | account | `sandbox`       | `CDK_SANDBOX_ACCOUNT` | none (no stage)|
 * | region  | `sandboxRegion` | `CDK_SANDBOX_REGION`  | dev's region   |
 */
export function sandboxConfig(
  dev: EnvironmentConfig,
  context: (key: string) => unknown,
  env: Env = {},
): EnvironmentConfig | undefined {
  const pick = (key: string, envKey: string): string | undefined => {
    const fromEnv = env[envKey];
    if (fromEnv) return fromEnv;
    const fromContext = context(key);
    return fromContext === undefined || fromContext === null || fromContext === ''
      ? undefined
      : String(fromContext);
  };
  const account = pick('sandbox', 'CDK_SANDBOX_ACCOUNT');
  if (account === undefined) return undefined;
  return validateEnvironment(
    {
      ...dev,
      account,
      region: pick('sandboxRegion', 'CDK_SANDBOX_REGION') ?? dev.region,
      removalPolicy: 'destroy',
      loadTest: { ...dev.loadTest, workers: 0 },
    },
    'sandbox',
  );
}
