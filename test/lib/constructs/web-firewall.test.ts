import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { WEB_FIREWALL_RULES, WebFirewall } from '../../../lib/constructs/web-firewall';
import { testApp } from '../../helpers/app';
import { constructStack } from '../../support/construct-stack';

describe('WebFirewall', () => {
  it('GIVEN a rate limit WHEN built in us-east-1 THEN the web ACL is CLOUDFRONT-scope, allows by default, blocks an IP past the limit in 5 minutes, then applies the AWS common rule set', () => {
    const stack = constructStack();
    new WebFirewall(stack, 'Firewall', { rateLimit: 750, metricPrefix: 'cp-dev-web' });
    const acls = Template.fromStack(stack).findResources('AWS::WAFv2::WebACL');
    expect(Object.values(acls)).toHaveLength(1);
    const acl = Object.values(acls)[0].Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(acl.Rules).toEqual([
      {
        Name: WEB_FIREWALL_RULES.rateLimit,
        Priority: 0,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: 750, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        VisibilityConfig: {
          CloudWatchMetricsEnabled: true,
          SampledRequestsEnabled: true,
          MetricName: 'cp-dev-web-RateLimitPerIp',
        },
      },
      {
        Name: WEB_FIREWALL_RULES.common,
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        VisibilityConfig: {
          CloudWatchMetricsEnabled: true,
          SampledRequestsEnabled: true,
          MetricName: 'cp-dev-web-AwsCommonRuleSet',
        },
      },
    ]);
  });

  it('GIVEN a stack in eu-west-1 WHEN the firewall is built there THEN it is refused: CloudFront-scope WAF lives in us-east-1 only', () => {
    const stack = new Stack(testApp(), 'Elsewhere', {
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    expect(() => new WebFirewall(stack, 'Firewall', { rateLimit: 750, metricPrefix: 'cp' })).toThrow(
      'web firewall must be built in a us-east-1 stack (CloudFront-scope WAF lives there only), got eu-west-1',
    );
  });

  it.each([9, 1.5, 2_000_000_001])('GIVEN a rate limit of %s WHEN built THEN it is refused', (rateLimit) => {
    expect(() => new WebFirewall(constructStack(), 'Firewall', { rateLimit, metricPrefix: 'cp' })).toThrow(
      `web firewall rate limit must be an integer in [10, 2000000000], got ${rateLimit}`,
    );
  });
});
