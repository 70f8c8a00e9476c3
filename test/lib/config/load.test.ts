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
  it('GIVEN no context and no environment variables WHEN loaded THEN the documented defaults are returned', () => {
    const config = loadConfig(context({}), {});
    expect(config.environments).toEqual(DEFAULT_CONFIG.environments);
    expect(config.pipeline).toEqual(DEFAULT_CONFIG.pipeline);
  });

  it('GIVEN accounts and regions in cdk.json context WHEN loaded THEN they are taken over the defaults', () => {
    const config = loadConfig(context({ devAccount: '555555555555', prodRegion: 'eu-west-1' }), {});
    expect(config.environments.dev.account).toBe('555555555555');
    expect(config.environments.prod.region).toBe('eu-west-1');
    expect(config.environments.staging.account).toBe(DEFAULT_CONFIG.environments.staging.account);
  });

  it('GIVEN environment variables and context WHEN loaded THEN the environment variables are taken over context', () => {
    const config = loadConfig(context({ devAccount: '555555555555', pipelineAccount: '666666666666' }), {
      CDK_DEV_ACCOUNT: '777777777777',
      CDK_PIPELINE_ACCOUNT: '888888888888',
      PIPELINE_BRANCH: 'release',
    });
    expect(config.environments.dev.account).toBe('777777777777');
    expect(config.pipeline.account).toBe('888888888888');
    expect(config.pipeline.branch).toBe('release');
  });

  it('GIVEN an empty environment variable WHEN loaded THEN it is ignored', () => {
    const config = loadConfig(context({ devAccount: '555555555555' }), { CDK_DEV_ACCOUNT: '' });
    expect(config.environments.dev.account).toBe('555555555555');
  });

  it("GIVEN only an environment's account changes WHEN loaded THEN its sizing is kept", () => {
    const config = loadConfig(context({ prodAccount: '999999999999' }), {});
    expect({ ...config.environments.prod, account: DEFAULT_CONFIG.environments.prod.account }).toEqual(
      DEFAULT_CONFIG.environments.prod,
    );
  });

  it('GIVEN an approver e-mail or none WHEN loaded THEN it is set only when given', () => {
    expect(loadConfig(context({}), {}).pipeline.notificationEmail).toBeUndefined();
    expect(
      loadConfig(context({}), { PIPELINE_NOTIFICATION_EMAIL: 'ops@example.com' }).pipeline.notificationEmail,
    ).toBe('ops@example.com');
  });

  it("GIVEN each stage's alarm e-mails (comma-separated) and HTTPS endpoint in context or the environment WHEN loaded THEN they are taken", () => {
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

  it("GIVEN a stage's web chat domain, certificate and origins in context or the environment WHEN loaded THEN they are taken, lists split on commas", () => {
    const certificate = 'arn:aws:acm:us-east-1:333333333333:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const config = loadConfig(
      context({
        prodWebDomain: 'chat.example.com',
        prodWebFrameAncestors: 'https://www.example.com, https://shop.example.com',
      }),
      { CDK_PROD_WEB_CERTIFICATE_ARN: certificate, CDK_PROD_WEB_ALLOWED_ORIGINS: 'https://app.example.com' },
    );
    expect(config.environments.prod.web).toMatchObject({
      customDomain: 'chat.example.com',
      certificateArn: certificate,
      frameAncestors: ['https://www.example.com', 'https://shop.example.com'],
      allowedOrigins: ['https://app.example.com'],
    });
    expect(config.environments.dev.web.customDomain).toBeUndefined();
    // a domain without its certificate is refused, naming the key that is missing
    expect(() => loadConfig(context({ devWebDomain: 'chat.example.com' }), {})).toThrow(
      'config error: devWebCertificateArn (CDK_DEV_WEB_CERTIFICATE_ARN) must be set together with web.customDomain',
    );
  });

  it('GIVEN no alarm recipient WHEN loaded THEN the default recipients are kept: none in dev, the placeholder in staging and prod', () => {
    const { environments } = loadConfig(context({}), {});
    expect(environments.dev.alarmNotifications).toEqual({ emails: [] });
    expect(environments.staging.alarmNotifications).toEqual({ emails: ['platform-alarms@example.com'] });
    expect(environments.prod.alarmNotifications).toEqual({ emails: ['platform-alarms@example.com'] });
  });

  it('GIVEN a prod without an alarm recipient WHEN loaded THEN it is refused, naming the key and the variable that set it', () => {
    expect(() => loadConfig(context({ prodAlarmEmail: ' , ' }), {})).toThrow(
      /^config error: prodAlarmEmail \(CDK_PROD_ALARM_EMAIL\) must name at least one alarm recipient outside dev/,
    );
    expect(() => loadConfig(context({}), { CDK_PROD_ALARM_EMAIL: 'oncall' })).toThrow(
      /^config error: prodAlarmEmail \(CDK_PROD_ALARM_EMAIL\) must be e-mail addresses, got "oncall"$/,
    );
  });

  it('GIVEN an invalid account from an environment variable WHEN loaded THEN it fails, naming the field', () => {
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(ConfigError);
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(
      /stagingAccount \(CDK_STAGING_ACCOUNT\)/,
    );
  });

  it('GIVEN an invalid account from context WHEN loaded THEN it fails, naming the field', () => {
    expect(() => loadConfig(context({ prodAccount: 'not-an-account' }), {})).toThrow(
      /^config error: prodAccount \(CDK_PROD_ACCOUNT\) must be a 12-digit AWS account id/,
    );
  });
});

describe('loadConfig: where each value comes from, in errors', () => {
  it('GIVEN a bad account WHEN loaded THEN the error names its context key and variable, on one line', () => {
    expect(() => loadConfig(context({ devAccount: '12345' }), {})).toThrow(
      new ConfigError('dev.account', 'must be a 12-digit AWS account id, got "12345"'),
    );
    expect(() => loadConfig(context({ devAccount: '12345' }), {})).toThrow(
      /^config error: devAccount \(CDK_DEV_ACCOUNT\) must be a 12-digit AWS account id, got "12345"$/,
    );
  });

  it('GIVEN a context value that is not a string (an unquoted account in cdk.json loses its leading zeros) WHEN loaded THEN it is refused', () => {
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

  it("GIVEN the CDK's namespaced keys and every setting's key WHEN loaded THEN they are accepted", () => {
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

  it('GIVEN a misspelt key WHEN loaded THEN it is refused, naming the closest known one', () => {
    expect(() => load([...cdkKeys, 'devAcount'])).toThrow(
      /^config error: unknown context key devAcount: did you mean devAccount\?$/,
    );
    expect(() => load(['ProdRegon'])).toThrow(/did you mean prodRegion\?$/);
    expect(() => load(['dev_account'])).toThrow(/did you mean devAccount\?$/);
    expect(() => load(['connection'])).toThrow(/did you mean connectionArn\?$/);
    expect(() => load(['prodAlarmEmails'])).toThrow(/did you mean prodAlarmEmail\?$/);
  });

  it('GIVEN a namespaced-looking spelling of one of ours WHEN loaded THEN it is refused', () => {
    expect(() => load(['dev-account'])).toThrow(
      /unknown context key dev-account: did you mean devAccount\?$/,
    );
  });

  it('GIVEN a key several known keys are as close to WHEN loaded THEN every candidate is offered', () => {
    expect(() => load(['account'])).toThrow(
      /did you mean devAccount, stagingAccount, prodAccount or pipelineAccount\?$/,
    );
  });

  it('GIVEN a key no known key is close to WHEN loaded THEN the known keys are listed', () => {
    expect(() => load(['colour'])).toThrow(
      /^config error: unknown context key colour: \(known keys: devAccount, devRegion, .*sandboxRegion\)$/,
    );
  });

  it('GIVEN several unknown keys WHEN loaded THEN every one is named at once', () => {
    expect(() => load(['devAcount', 'colour'])).toThrow(
      /^config error: unknown context keys: devAcount \(did you mean devAccount\?\), colour \(no close match\); known keys: /,
    );
  });

  it('GIVEN keys other parts of the app declare WHEN loaded THEN they are accepted', () => {
    expect(() => load(['synthSummary'], ['synthSummary'])).not.toThrow();
  });

  it('GIVEN no keys (callers that build the config themselves) WHEN loaded THEN keys are not checked', () => {
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

  it('GIVEN the defaults WHEN placeholders are looked for THEN every one is found', () => {
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

  it('GIVEN alarm recipients at an example domain WHEN placeholders are looked for THEN they are found: an e-mail among others, an endpoint', () => {
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

  it('GIVEN every deployable value is real WHEN placeholders are looked for THEN none is found, and no refusal', () => {
    const config = loadConfig(context(real), {});
    expect(findPlaceholders(config)).toEqual([]);
    expect(deployRefusal(config, 'ConversationalPlatformPipeline')).toBeUndefined();
  });

  it('GIVEN a placeholder account in another role and the example connection id WHEN placeholders are looked for THEN what is left is found', () => {
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

  it('GIVEN a placeholder WHEN the deployment is refused THEN the refusal names the keys, variables and values, each on one line', () => {
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

  it('GIVEN a config error WHEN run THEN it prints the one-line message, no stack trace, and exits 1', () => {
    const t = io();
    expect(() => exitOnConfigError(() => loadConfig(context({ devAccount: '12345' }), {}), t.io)).toThrow(
      Exited,
    );
    expect(t.written).toEqual([
      'config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "12345"\n',
    ]);
    expect(t.codes).toEqual([1]);
  });

  it('GIVEN no error or any other error WHEN run THEN it returns the value, or rethrows the other error', () => {
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
