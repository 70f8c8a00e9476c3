import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../../lib/config/environments';
import { deployRefusal, exitOnConfigError, findPlaceholders, loadConfig } from '../../../lib/config/load';
import { ConfigError } from '../../../lib/config/validate';
import { repoPath } from '../../support/paths';

const context =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('loadConfig', () => {
  it('returns the documented defaults with no context and no environment variables', () => {
    const config = loadConfig(context({}), {});
    expect(config.environments).toEqual(DEFAULT_CONFIG.environments);
    expect(config.pipeline).toEqual(DEFAULT_CONFIG.pipeline);
  });

  it('takes accounts and regions from cdk.json context over the defaults', () => {
    const config = loadConfig(context({ devAccount: '555555555555', prodRegion: 'eu-west-1' }), {});
    expect(config.environments.dev.account).toBe('555555555555');
    expect(config.environments.prod.region).toBe('eu-west-1');
    expect(config.environments.staging.account).toBe(DEFAULT_CONFIG.environments.staging.account);
  });

  it('takes environment variables over context', () => {
    const config = loadConfig(context({ devAccount: '555555555555', pipelineAccount: '666666666666' }), {
      CDK_DEV_ACCOUNT: '777777777777',
      CDK_PIPELINE_ACCOUNT: '888888888888',
      PIPELINE_BRANCH: 'release',
    });
    expect(config.environments.dev.account).toBe('777777777777');
    expect(config.pipeline.account).toBe('888888888888');
    expect(config.pipeline.branch).toBe('release');
  });

  it('ignores empty environment variables', () => {
    const config = loadConfig(context({ devAccount: '555555555555' }), { CDK_DEV_ACCOUNT: '' });
    expect(config.environments.dev.account).toBe('555555555555');
  });

  it('keeps the sizing of each environment when only its account changes', () => {
    const config = loadConfig(context({ prodAccount: '999999999999' }), {});
    expect({ ...config.environments.prod, account: DEFAULT_CONFIG.environments.prod.account }).toEqual(
      DEFAULT_CONFIG.environments.prod,
    );
  });

  it('sets the approver e-mail only when given', () => {
    expect(loadConfig(context({}), {}).pipeline.notificationEmail).toBeUndefined();
    expect(
      loadConfig(context({}), { PIPELINE_NOTIFICATION_EMAIL: 'ops@example.com' }).pipeline.notificationEmail,
    ).toBe('ops@example.com');
  });

  it("takes each stage's alarm e-mails (comma-separated) and HTTPS endpoint from context or the environment", () => {
    const config = loadConfig(
      context({
        prodAlarmEmail: 'oncall@acme.io, platform@acme.io',
        stagingAlarmEndpoint: 'https://hooks.acme.io/sns',
      }),
      { CDK_STAGING_ALARM_EMAIL: 'staging@acme.io', CDK_DEV_ALARM_EMAIL: 'me@acme.io' },
    );
    expect(config.environments.prod.alarmNotifications).toEqual({
      emails: ['oncall@acme.io', 'platform@acme.io'],
    });
    expect(config.environments.staging.alarmNotifications).toEqual({
      emails: ['staging@acme.io'],
      httpsEndpoint: 'https://hooks.acme.io/sns',
    });
    expect(config.environments.dev.alarmNotifications).toEqual({ emails: ['me@acme.io'] });
  });

  it('keeps the default recipients when none is given: none in dev, the placeholder in staging and prod', () => {
    const { environments } = loadConfig(context({}), {});
    expect(environments.dev.alarmNotifications).toEqual({ emails: [] });
    expect(environments.staging.alarmNotifications).toEqual({ emails: ['platform-alarms@example.com'] });
    expect(environments.prod.alarmNotifications).toEqual({ emails: ['platform-alarms@example.com'] });
  });

  it('refuses a prod without an alarm recipient, naming the key and the variable that set it', () => {
    expect(() => loadConfig(context({ prodAlarmEmail: ' , ' }), {})).toThrow(
      /^config error: prodAlarmEmail \(CDK_PROD_ALARM_EMAIL\) must name at least one alarm recipient outside dev/,
    );
    expect(() => loadConfig(context({}), { CDK_PROD_ALARM_EMAIL: 'oncall' })).toThrow(
      /^config error: prodAlarmEmail \(CDK_PROD_ALARM_EMAIL\) must be e-mail addresses, got "oncall"$/,
    );
  });

  it('fails on an invalid account from an environment variable, naming the field', () => {
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(ConfigError);
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(
      /stagingAccount \(CDK_STAGING_ACCOUNT\)/,
    );
  });

  it('fails on an invalid account from context, naming the field', () => {
    expect(() => loadConfig(context({ prodAccount: 'not-an-account' }), {})).toThrow(
      /^config error: prodAccount \(CDK_PROD_ACCOUNT\) must be a 12-digit AWS account id/,
    );
  });
});

describe('loadConfig: where each value comes from, in errors', () => {
  it('names the context key and the variable of a bad account, on one line', () => {
    expect(() => loadConfig(context({ devAccount: '12345' }), {})).toThrow(
      new ConfigError('dev.account', 'must be a 12-digit AWS account id, got "12345"'),
    );
    expect(() => loadConfig(context({ devAccount: '12345' }), {})).toThrow(
      /^config error: devAccount \(CDK_DEV_ACCOUNT\) must be a 12-digit AWS account id, got "12345"$/,
    );
  });

  it('refuses a context value that is not a string (an unquoted account in cdk.json loses its leading zeros)', () => {
    expect(() => loadConfig(context({ prodAccount: 12345678901 }), {})).toThrow(
      /^config error: prodAccount \(CDK_PROD_ACCOUNT\) must be a string \(in double quotes in cdk\.json\), got 12345678901 \(a number\)$/,
    );
    expect(() => loadConfig(context({ branch: ['main'] }), {})).toThrow(
      /branch \(PIPELINE_BRANCH\) .* \(a list\)$/,
    );
  });
});

describe('loadConfig: unknown context keys', () => {
  const cdkJsonKeys = Object.keys(
    (JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')) as { context: object }).context,
  );
  // what the CLI and cdk.context.json add to cdk.json's feature flags
  const cdkKeys = [
    ...cdkJsonKeys,
    'aws:cdk:enable-path-metadata',
    'aws:cdk:bundling-stacks',
    'availability-zones:account=123456789012:region=us-east-1',
    'acknowledged-issue-numbers',
    'assets-ecr-repository-name',
  ];
  const load = (keys: string[], otherContextKeys?: string[]) =>
    loadConfig(context({}), {}, { contextKeys: keys, otherContextKeys });

  it("accepts the CDK's namespaced keys and every setting's key", () => {
    const ours = [
      ...['dev', 'staging', 'prod', 'pipeline'].flatMap((n) => [`${n}Account`, `${n}Region`]),
      ...['dev', 'staging', 'prod'].flatMap((n) => [`${n}AlarmEmail`, `${n}AlarmEndpoint`]),
      'connectionArn',
      'repository',
      'branch',
      'notificationEmail',
      'sandbox',
      'sandboxRegion',
    ];
    expect(() => load([...cdkKeys, ...ours])).not.toThrow();
  });

  it('refuses a misspelt key, naming the closest known one', () => {
    expect(() => load([...cdkKeys, 'devAcount'])).toThrow(
      /^config error: unknown context key devAcount: did you mean devAccount\?$/,
    );
    expect(() => load(['ProdRegon'])).toThrow(/did you mean prodRegion\?$/);
    expect(() => load(['dev_account'])).toThrow(/did you mean devAccount\?$/);
    expect(() => load(['connection'])).toThrow(/did you mean connectionArn\?$/);
    expect(() => load(['prodAlarmEmails'])).toThrow(/did you mean prodAlarmEmail\?$/);
  });

  it('refuses a namespaced-looking spelling of one of ours', () => {
    expect(() => load(['dev-account'])).toThrow(
      /unknown context key dev-account: did you mean devAccount\?$/,
    );
  });

  it('offers every candidate when several are as close', () => {
    expect(() => load(['account'])).toThrow(
      /did you mean devAccount, stagingAccount, prodAccount or pipelineAccount\?$/,
    );
  });

  it('lists the known keys when none is close', () => {
    expect(() => load(['colour'])).toThrow(
      /^config error: unknown context key colour: \(known keys: devAccount, devRegion, .*sandboxRegion\)$/,
    );
  });

  it('names every unknown key at once', () => {
    expect(() => load(['devAcount', 'colour'])).toThrow(
      /^config error: unknown context keys: devAcount \(did you mean devAccount\?\), colour \(no close match\); known keys: /,
    );
  });

  it('accepts the keys other parts of the app declare', () => {
    expect(() => load(['synthSummary'], ['synthSummary'])).not.toThrow();
  });

  it('does not check keys when none are given (callers that build the config themselves)', () => {
    expect(() => loadConfig(context({ devAcount: '1' }), {})).not.toThrow();
  });
});

describe('findPlaceholders and deployRefusal', () => {
  const real = {
    devAccount: '210000000001',
    stagingAccount: '210000000002',
    prodAccount: '210000000003',
    pipelineAccount: '210000000004',
    repository: 'acme/conversational-platform',
    connectionArn:
      'arn:aws:codeconnections:us-east-1:210000000004:connection/6f1c2b7e-1111-2222-3333-444455556666',
    stagingAlarmEmail: 'platform-staging@acme.io',
    prodAlarmEmail: 'oncall@acme.io',
  };

  it('finds every placeholder of the defaults', () => {
    const found = findPlaceholders(loadConfig(context({}), {}));
    expect(found.map((p) => `${p.setting.contextKey}=${p.value}`)).toEqual([
      'pipelineAccount=444444444444',
      'devAccount=111111111111',
      'stagingAccount=222222222222',
      'prodAccount=333333333333',
      'repository=example-org/conversational-platform',
      `connectionArn=${DEFAULT_CONFIG.pipeline.connectionArn}`,
      'stagingAlarmEmail=platform-alarms@example.com',
      'prodAlarmEmail=platform-alarms@example.com',
    ]);
  });

  it('finds alarm recipients at an example domain: an e-mail among others, an endpoint', () => {
    const config = loadConfig(
      context({
        ...real,
        prodAlarmEmail: 'oncall@acme.io,someone@example.org',
        devAlarmEndpoint: 'https://hooks.example.com/sns',
        stagingAlarmEndpoint: 'https://hooks.acme.io/example.com',
      }),
      {},
    );
    expect(findPlaceholders(config).map((p) => `${p.setting.contextKey}=${p.value}`)).toEqual([
      'devAlarmEndpoint=https://hooks.example.com/sns',
      'prodAlarmEmail=oncall@acme.io,someone@example.org',
    ]);
  });

  it('finds none, and no refusal, once every deployable value is real', () => {
    const config = loadConfig(context(real), {});
    expect(findPlaceholders(config)).toEqual([]);
    expect(deployRefusal(config, 'ConversationalPlatformPipeline')).toBeUndefined();
  });

  it('finds what is left: a placeholder account in another role, the example connection id', () => {
    const config = loadConfig(
      context({
        ...real,
        prodAccount: '444444444444',
        connectionArn:
          'arn:aws:codeconnections:us-east-1:210000000004:connection/00000000-0000-0000-0000-000000000000',
      }),
      {},
    );
    expect(findPlaceholders(config).map((p) => p.setting.contextKey)).toEqual([
      'prodAccount',
      'connectionArn',
    ]);
  });

  it('words the refusal with the keys, variables and values, each on one line', () => {
    const refusal = deployRefusal(loadConfig(context({ ...real, repository: undefined }), {}), 'Pipe')!;
    expect(refusal.notice).toBe(
      'note: placeholder config (repository): synth works, but deploying Pipe is refused until they are set in ' +
        'cdk.json (docs/deployment.md, "4. Configure")',
    );
    expect(refusal.message).toBe(
      'Pipe was synthesized with placeholder config: repository (PIPELINE_REPOSITORY) is ' +
        'example-org/conversational-platform. Set the real values in cdk.json context ' +
        '(docs/deployment.md, "4. Configure"), commit them and deploy again.',
    );
    expect(refusal.summary).toBe('repository=example-org/conversational-platform');
  });
});

describe('exitOnConfigError', () => {
  class Exited extends Error {}
  const io = () => {
    const written: string[] = [];
    const codes: number[] = [];
    return {
      written,
      codes,
      io: {
        write: (text: string) => void written.push(text),
        exit: (code: number): never => {
          codes.push(code);
          throw new Exited();
        },
      },
    };
  };

  it('prints the one-line message, no stack trace, and exits 1', () => {
    const t = io();
    expect(() => exitOnConfigError(() => loadConfig(context({ devAccount: '12345' }), {}), t.io)).toThrow(
      Exited,
    );
    expect(t.written).toEqual([
      'config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "12345"\n',
    ]);
    expect(t.codes).toEqual([1]);
  });

  it('returns the value when there is no error, and rethrows any other error', () => {
    const t = io();
    expect(exitOnConfigError(() => 42, t.io)).toBe(42);
    expect(() =>
      exitOnConfigError(() => {
        throw new TypeError('a bug');
      }, t.io),
    ).toThrow(TypeError);
    expect([t.written, t.codes]).toEqual([[], []]);
  });
});
