import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebConfig } from '../../../contracts/web-config';
import {
  contentSecurityPolicy,
  WebDistribution,
  WebDistributionProps,
  WidgetDeployment,
} from '../../../lib/constructs/web-distribution';
import { constructStack } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WAF =
  'arn:aws:wafv2:us-east-1:111111111111:global/webacl/cp-dev-web/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CERTIFICATE = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PROPS: WebDistributionProps = {
  connectTo: [
    'https://*.execute-api.us-east-1.amazonaws.com',
    'https://cognito-identity.us-east-1.amazonaws.com',
  ],
  frameAncestors: ['https://www.example.com'],
  webAclArn: WAF,
  accessLogDays: 90,
};
const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self' https://*.execute-api.us-east-1.amazonaws.com https://cognito-identity.us-east-1.amazonaws.com; " +
  "frame-ancestors 'self' https://www.example.com; base-uri 'none'; form-action 'none'; object-src 'none'";

function build(props: Partial<WebDistributionProps> = {}): {
  stack: Stack;
  web: WebDistribution;
  template: Template;
} {
  const stack = constructStack();
  const web = new WebDistribution(stack, 'Web', { ...PROPS, ...props });
  return { stack, web, template: Template.fromStack(stack) };
}

const only = (template: Template, type: string): Json => {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties as Json;
};

describe('WebDistribution', () => {
  let template: Template;
  let stack: Stack;
  beforeAll(() => ({ template, stack } = build()));

  it('GIVEN the API and Cognito origins and one embedding site WHEN built THEN the response headers policy sends exactly that CSP, HSTS for a year with subdomains, nosniff and a referrer policy, overriding the origin', () => {
    const policy = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig;
    expect(policy.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: EXPECTED_CSP, Override: true },
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    expect(contentSecurityPolicy({ connectTo: [], frameAncestors: [] })).toContain("frame-ancestors 'self';");
  });

  it('GIVEN the distribution WHEN built THEN it reads the bucket through Origin Access Control, redirects HTTP to HTTPS, uses the headers policy, the web ACL and access logs', () => {
    const config = only(template, 'AWS::CloudFront::Distribution').DistributionConfig;
    const oac = only(template, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig;
    expect(oac).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'],
    });
    expect(config.Origins[0].S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: stack.getLogicalId(
        stack.node.findChild('Web').node.findChild('Headers').node.defaultChild as never,
      ),
    });
    expect(config.WebACLId).toBe(WAF);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^WebAccessLogs/), 'RegionalDomainName'] },
      Prefix: 'web-distribution/',
    });
    // no custom domain: CloudFront's own certificate and name
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
  });

  it('GIVEN the bucket WHEN built THEN it is private (all public access blocked, ACLs off), encrypted, TLS-only, logged, and only this distribution may read it', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const [id, bucket] = Object.entries(buckets).find(([key]) => key.startsWith('WebBucket'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'web-bucket/' });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => p.Properties.Bucket.Ref === id,
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement as Json[];
    expect(statements.find((s) => s.Effect === 'Deny')).toMatchObject({
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Principal: { AWS: '*' },
    });
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
  });

  it('GIVEN a custom domain and its certificate WHEN built THEN the distribution answers on it with that certificate over SNI and TLS 1.2 (2021) at least, and it is one of the origins', () => {
    const custom = build({ customDomain: { domainName: 'chat.example.com', certificateArn: CERTIFICATE } });
    const config = only(custom.template, 'AWS::CloudFront::Distribution').DistributionConfig;
    expect(config.Aliases).toEqual(['chat.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(custom.stack.resolve(custom.web.origins)).toEqual([
      {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }],
        ],
      },
      'https://chat.example.com',
    ]);
  });

  it.each([
    [
      { frameAncestors: ['http://www.example.com'] },
      "web distribution origins must be https://host[:port], got 'http://www.example.com'",
    ],
    [
      {
        customDomain: {
          domainName: 'chat.example.com',
          certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1'),
        },
      },
      "web distribution certificate must be in us-east-1 (CloudFront's only region), got 'eu-west-1'",
    ],
  ])('GIVEN bad props %j WHEN built THEN they are refused', (props, message) => {
    expect(() => build(props as Partial<WebDistributionProps>)).toThrow(message);
  });
});

describe('WidgetDeployment', () => {
  it('GIVEN a built widget and a config WHEN deployed THEN the widget directory and config.json go to the web bucket with a short cache, and the distribution is invalidated', () => {
    const stack = constructStack();
    const hosting = new WebDistribution(stack, 'Web', PROPS);
    const dir = mkdtempSync(join(tmpdir(), 'widget-test-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>chat</title>');
    const config: WebConfig = {
      apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com',
      region: 'us-east-1',
      identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
      locales: ['en_US', 'es_US'],
      welcome: { en_US: 'Hi', es_US: 'Hola' },
      developerToggle: false,
    };
    new WidgetDeployment(stack, 'Widget', { widgetDirectory: dir, config, hosting });
    const template = Template.fromStack(stack);
    const deployment = only(template, 'Custom::CDKBucketDeployment');
    expect(deployment.DestinationBucketName).toEqual({ Ref: expect.stringMatching(/^WebBucket/) });
    expect(deployment.DistributionId).toEqual({ Ref: expect.stringMatching(/^WebDistribution/) });
    expect(deployment.DistributionPaths).toEqual(['/*']);
    expect(deployment.Prune).toBe(true);
    expect(deployment.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=300' });
    expect(deployment.SourceObjectKeys).toHaveLength(2); // the widget directory and config.json
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'] }),
        ]),
      },
    });
  });
});
