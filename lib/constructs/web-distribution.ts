/**
 * The web chat's hosting (docs/web.md):
 *
 * - WebDistribution: a private S3 bucket (SSE-S3, public access blocked, TLS only, bucket owner
 *   enforced, server access logs) behind a CloudFront distribution that reads it through Origin
 *   Access Control, redirects HTTP to HTTPS, answers with a response-headers policy (the CSP below,
 *   HSTS, nosniff, a referrer policy), writes access logs, sits behind the WAF web ACL it is given,
 *   and optionally answers on a custom domain with an ACM certificate.
 * - WidgetDeployment: the built widget (a directory made at synth, no Docker) and its runtime
 *   `config.json` (from the stage's outputs) copied into that bucket by `aws-s3-deployment`, with a
 *   CloudFront invalidation.
 *
 * They are two constructs because they live on both sides of the bot stack: the channel API's CORS
 * must name the distribution's domain (so the distribution is built before the API), while
 * `config.json` names the API (so it is written after). See WebHostingStack.
 *
 * The bucket is SSE-S3, not SSE-KMS: what it holds is the widget every visitor downloads (public by
 * design, rebuilt from source at every deploy), and an OAC read of SSE-KMS objects would also need
 * the key policy to allow cloudfront.amazonaws.com for this distribution, protecting nothing.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { WEB_CONFIG_FILE, WebConfig } from '../../contracts/web-config';
import { acknowledge } from '../nag';
import { AccessLogsBucket } from './access-logs-bucket';
import { acknowledgeOnceResolved, nagName } from './web-identity';

export interface WebContentSecurityPolicyProps {
  /**
   * Origins the widget's scripts may connect to besides its own (`connect-src`): the channel API
   * and the Cognito endpoints, e.g. `https://cognito-identity.eu-west-1.amazonaws.com`.
   */
  readonly connectTo: readonly string[];
  /** Origins allowed to frame the chat besides its own (`frame-ancestors`). */
  readonly frameAncestors: readonly string[];
}

/**
 * The Content-Security-Policy of every response: only the chat's own files run and style it, it
 * connects only to itself and `connectTo`, only itself and `frameAncestors` may frame it, and no
 * plugin, form target or base URL can be injected.
 */
export function contentSecurityPolicy(props: WebContentSecurityPolicyProps): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...props.connectTo].join(' '),
    ["frame-ancestors 'self'", ...props.frameAncestors].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

export interface WebCustomDomain {
  /** The domain name the distribution answers on, e.g. `chat.example.com`. */
  readonly domainName: string;
  /** ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn: string;
}

export interface WebDistributionProps extends WebContentSecurityPolicyProps {
  /** ARN of the CLOUDFRONT-scope WAF web ACL (WebFirewall, in us-east-1). */
  readonly webAclArn: string;
  /**
   * A custom domain and its certificate.
   * @default - the distribution's `*.cloudfront.net` domain and CloudFront's default certificate
   */
  readonly customDomain?: WebCustomDomain;
  /** Days the bucket's and the distribution's access logs are kept. */
  readonly accessLogDays: number;
  /**
   * What happens to the buckets when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Empty the buckets when the stack deletes them (needs `RemovalPolicy.DESTROY`).
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
}

/** One year, as HSTS counts it: browsers remember "HTTPS only" this long. */
export const HSTS_MAX_AGE = Duration.days(365);
/** Where each kind of access log goes in the log bucket. */
export const WEB_LOG_PREFIXES = { bucket: 'web-bucket/', distribution: 'web-distribution/' } as const;

/** An origin, or one with a leading wildcard label (`https://*.execute-api.eu-west-1.amazonaws.com`). */
const ORIGIN = /^https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/;

function validate(props: WebDistributionProps): void {
  for (const origin of [...props.connectTo, ...props.frameAncestors]) {
    // tokens (the API's endpoint) are checked by what builds them
    if (!origin.includes('${Token') && !ORIGIN.test(origin)) {
      throw new Error(`web distribution origins must be https://host[:port], got '${origin}'`);
    }
  }
  if (!Number.isInteger(props.accessLogDays) || props.accessLogDays < 1) {
    throw new Error(
      `web distribution accessLogDays must be a whole number of days (1+), got ${props.accessLogDays}`,
    );
  }
  const region = props.customDomain?.certificateArn.split(':')[3];
  if (props.customDomain && region !== 'us-east-1') {
    throw new Error(
      `web distribution certificate must be in us-east-1 (CloudFront's only region), got '${region}'`,
    );
  }
}

/** The web chat's bucket and distribution (see the file comment). */
export class WebDistribution extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: AccessLogsBucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The Content-Security-Policy the distribution sends. */
  readonly contentSecurityPolicy: string;
  /**
   * The origins the chat is served from (`https://<id>.cloudfront.net`, then the custom domain's):
   * what the channel API's CORS must allow.
   */
  readonly origins: string[];

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    validate(props);
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = props.autoDeleteObjects ?? false;

    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      logsOf: 'the web chat bucket and its CloudFront distribution',
      expiration: Duration.days(props.accessLogDays),
      // CloudFront standard logging delivers with an ACL grant to its log-delivery account
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy,
      autoDeleteObjects,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: WEB_LOG_PREFIXES.bucket,
      removalPolicy,
      autoDeleteObjects,
    });

    this.contentSecurityPolicy = contentSecurityPolicy(props);
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Web chat: CSP (API, Cognito, frame-ancestors), HSTS, nosniff, referrer policy',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: HSTS_MAX_AGE,
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // no X-Frame-Options: it has no allow-list; frame-ancestors says who may frame the chat
      },
    });

    const { customDomain } = props;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Web chat',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: WEB_LOG_PREFIXES.distribution,
      ...(customDomain && {
        domainNames: [customDomain.domainName],
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', customDomain.certificateArn),
      }),
    });
    acknowledge(
      this.distribution,
      'The chat is for customers anywhere the bot speaks their language; restricting countries is a business decision the owner can add, not a default.',
      'AwsSolutions-CFR1',
    );
    if (!customDomain) {
      acknowledge(
        this.distribution,
        'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with web.customDomain the distribution requires TLSv1.2_2021.',
        'AwsSolutions-CFR4',
      );
    }
    this.origins = [
      `https://${this.distribution.distributionDomainName}`,
      ...(customDomain ? [`https://${customDomain.domainName}`] : []),
    ];
  }
}

export interface WidgetDeploymentProps {
  /** Directory of the built widget (bundling/web.ts `buildWidget`). */
  readonly widgetDirectory: string;
  /** The runtime configuration, written as `config.json` next to the widget (tokens allowed). */
  readonly config: WebConfig;
  /** Where the files go, and which distribution to invalidate. */
  readonly hosting: WebDistribution;
}

/** How long browsers and CloudFront keep a widget file (an invalidation follows every deploy). */
export const WIDGET_MAX_AGE = Duration.minutes(5);

/** The widget and its `config.json`, deployed into the hosting bucket (see the file comment). */
export class WidgetDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WidgetDeploymentProps) {
    super(scope, id);
    this.deployment = new s3deploy.BucketDeployment(this, 'Resource', {
      sources: [
        s3deploy.Source.asset(props.widgetDirectory),
        s3deploy.Source.jsonData(WEB_CONFIG_FILE, props.config),
      ],
      destinationBucket: props.hosting.bucket,
      distribution: props.hosting.distribution,
      distributionPaths: ['/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(WIDGET_MAX_AGE)],
      memoryLimit: 256,
    });
    this.acknowledgeHandler(props.hosting.bucket);
  }

  /**
   * The deployment's handler is aws-s3-deployment's own singleton function (its code, runtime and
   * role come from aws-cdk-lib): the findings are about that provider, acknowledged on it.
   */
  private acknowledgeHandler(bucket: s3.IBucket): void {
    const stack = Stack.of(this);
    const handler = stack.node
      .findAll()
      .find(
        (c): c is lambda.Function => c instanceof lambda.Function && c.role === this.deployment.handlerRole,
      );
    if (!handler) throw new Error('widget deployment: the BucketDeployment handler was not found');
    acknowledge(
      handler,
      "aws-s3-deployment's provider function: its runtime is pinned by aws-cdk-lib; it runs only as a CloudFormation custom resource (a failure fails the deploy, so no DLQ or async destination), briefly, at deploy time (no tracing).",
      'AwsSolutions-L1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-LambdaTracing',
    );
    acknowledge(
      handler,
      "aws-s3-deployment's provider role uses AWSLambdaBasicExecutionRole for its own log group; aws-cdk-lib creates it.",
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    acknowledgeOnceResolved(
      handler,
      "aws-s3-deployment's grants (aws-cdk-lib): read the widget asset from the CDK assets bucket, and sync (write, list, delete stale) the objects of the one web chat bucket; * in Resource is CloudFront CreateInvalidation's, which aws-cdk-lib grants on all distributions.",
      () => [
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
          (a) => `AwsSolutions-IAM5[Action::${a}]`,
        ),
        `AwsSolutions-IAM5[Resource::arn:${stack.partition}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*]`,
        `AwsSolutions-IAM5[Resource::${nagName(this, bucket.bucketArn)}/*]`,
        'AwsSolutions-IAM5[Resource::*]',
      ],
    );
  }
}
