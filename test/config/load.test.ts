import { DEFAULT_CONFIG } from '../../lib/config/environments';
import { loadConfig } from '../../lib/config/load';
import { ConfigError } from '../../lib/config/validate';

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

  it('fails on an invalid account from an environment variable, naming the field', () => {
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(ConfigError);
    expect(() => loadConfig(context({}), { CDK_STAGING_ACCOUNT: '123' })).toThrow(/staging\.account/);
  });

  it('fails on an invalid account from context, naming the field', () => {
    expect(() => loadConfig(context({ prodAccount: 'not-an-account' }), {})).toThrow(
      /invalid config prod\.account/,
    );
  });
});
