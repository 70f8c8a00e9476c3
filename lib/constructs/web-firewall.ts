/**
 * WebFirewall owns the WAF v2 web ACL in front of the web chat's CloudFront distribution: scope
 * CLOUDFRONT, allow by default, a rate-based rule that blocks an IP address past `rateLimit`
 * requests in 5 minutes, and the AWS managed common rule set (OWASP-style request checks), each
 * with CloudWatch metrics and sampled requests.
 *
 * A CLOUDFRONT-scope web ACL can only be created in us-east-1, whatever the stage's region, so the
 * construct refuses any other stack region: the stage builds it in its own small us-east-1 stack
 * (WebFirewallStack) and hands the ARN to the distribution (docs/web.md, "Firewall").
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The only region a CloudFront-scope web ACL can live in. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

export interface WebFirewallProps {
  /** Requests per 5 minutes one IP address may make before it is blocked (10 .. 2,000,000,000). */
  readonly rateLimit: number;
  /** Prefix of the CloudWatch metric names of the ACL and its rules, e.g. `conversational-platform-dev-web`. */
  readonly metricPrefix: string;
}

/** The rules, by name as WAF reports them (metric names are `<prefix>-<rule>`). */
export const WEB_FIREWALL_RULES = { rateLimit: 'RateLimitPerIp', common: 'AwsCommonRuleSet' } as const;

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** The web chat's web ACL (see the file comment). */
export class WebFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** The ARN CloudFront's `WebACLId` takes. */
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    const { rateLimit, metricPrefix } = props;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`web firewall rate limit must be an integer in [10, 2000000000], got ${rateLimit}`);
    }
    if (!/^[\w-]{1,100}$/.test(metricPrefix)) {
      throw new Error(
        `web firewall metric prefix must be 1-100 letters, digits, _ or -, got '${metricPrefix}'`,
      );
    }
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region) || region !== CLOUDFRONT_WAF_REGION) {
      throw new Error(
        `web firewall must be built in a ${CLOUDFRONT_WAF_REGION} stack (CloudFront-scope WAF lives there only), got ${Token.isUnresolved(region) ? 'an unresolved region' : region}`,
      );
    }
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Web chat distribution: per-IP rate limit and the AWS common rule set',
      visibilityConfig: visibility(metricPrefix),
      rules: [
        {
          name: WEB_FIREWALL_RULES.rateLimit,
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility(`${metricPrefix}-${WEB_FIREWALL_RULES.rateLimit}`),
        },
        {
          name: WEB_FIREWALL_RULES.common,
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
          visibilityConfig: visibility(`${metricPrefix}-${WEB_FIREWALL_RULES.common}`),
        },
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
  }
}
