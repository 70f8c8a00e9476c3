import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { CORS_ALLOWED_HEADERS } from '../../../lib/constructs/channel-api';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CERTIFICATE = 'arn:aws:acm:us-east-1:333333333333:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function stage(app: App, id: string, config: EnvironmentConfig): ConversationalPlatformStage {
  return new ConversationalPlatformStage(app, id, { config });
}

const only = (template: Template, type: string): Json => {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties as Json;
};

describe('the web stacks of a stage', () => {
  let dev: ConversationalPlatformStage;
  let prod: ConversationalPlatformStage;
  beforeAll(() => {
    const app = testApp({}, { schemaValidation: false });
    dev = stage(app, 'Dev', { ...DEV, web: { ...DEV.web, allowedOrigins: ['https://app.example.com'] } });
    // prod elsewhere than us-east-1, with a custom domain
    prod = stage(app, 'Prod', {
      ...PROD,
      region: 'eu-west-1',
      web: { ...PROD.web, customDomain: 'chat.example.com', certificateArn: CERTIFICATE, userPool: true },
    });
    app.synth();
  });

  it("GIVEN a stage WHEN synthesized THEN the channel API's CORS allows exactly the distribution's origin and the configured ones, the SigV4 headers, POST/GET/OPTIONS, no credentials", () => {
    const api = only(Template.fromStack(dev.bot), 'AWS::ApiGatewayV2::Api');
    expect(api.CorsConfiguration).toEqual({
      AllowOrigins: [
        {
          'Fn::Join': [
            '',
            [
              'https://',
              {
                'Fn::ImportValue': expect.stringMatching(
                  /^Dev-WebHosting:ExportsOutputFnGetAttWebDistribution.*DomainName/,
                ),
              },
            ],
          ],
        },
        'https://app.example.com',
      ],
      AllowMethods: ['POST', 'GET', 'OPTIONS'],
      AllowHeaders: [...CORS_ALLOWED_HEADERS],
      ExposeHeaders: ['retry-after', 'x-amzn-requestid'],
      AllowCredentials: false,
      MaxAge: 3600,
    });
  });

  it('GIVEN a custom domain WHEN synthesized THEN CORS allows both the distribution and the custom domain', () => {
    const api = only(Template.fromStack(prod.bot), 'AWS::ApiGatewayV2::Api');
    expect(api.CorsConfiguration.AllowOrigins).toEqual([
      expect.objectContaining({ 'Fn::Join': expect.anything() }),
      'https://chat.example.com',
    ]);
  });

  it('GIVEN a stage WHEN synthesized THEN config.json names the stage API, its region, the identity pool, the locales and the welcome texts', () => {
    const deployment = only(Template.fromStack(dev.web), 'Custom::CDKBucketDeployment');
    // the config's tokens are markers, replaced at deploy time by the values CloudFormation resolves
    const markers = deployment.SourceMarkers as Json[];
    const values = Object.values(markers[1]);
    expect(values).toEqual([
      { 'Fn::ImportValue': expect.stringMatching(/^Dev-Bot:ExportsOutputFnGetAttChannelApi.*ApiEndpoint/) },
      { Ref: expect.stringMatching(/^IdentityPool/) },
    ]);
    expect(dev.web.webConfig).toMatchObject({
      region: 'us-east-1',
      locales: ['en_US', 'es_US'],
      welcome: DEV.web.welcome,
      developerToggle: true,
    });
    expect(dev.web.webConfig.userPool).toBeUndefined();
    expect(prod.web.webConfig.userPool).toEqual({ id: expect.any(String), clientId: expect.any(String) });
  });

  it('GIVEN a stage in eu-west-1 WHEN synthesized THEN its firewall stack is still in us-east-1 and its distribution uses that web ACL', () => {
    expect([prod.webFirewall.region, prod.webHosting.region, prod.web.region]).toEqual([
      'us-east-1',
      'eu-west-1',
      'eu-west-1',
    ]);
    Template.fromStack(prod.webFirewall).hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    const distribution = only(Template.fromStack(prod.webHosting), 'AWS::CloudFront::Distribution');
    // a strong cross-region reference: the firewall stack writes the ARN to an SSM parameter in
    // eu-west-1 (and refuses to change it while imported), the hosting stack reads it
    expect(distribution.DistributionConfig.WebACLId).toEqual({
      'Fn::GetAtt': [
        expect.stringMatching(/^ExportsReader/),
        expect.stringMatching(
          /^\/cdk\/exports\/Prod-WebHosting\/ProdWebFirewalluseast1FnGetAttFirewall.*Arn/,
        ),
      ],
    });
    Template.fromStack(prod.webFirewall).resourceCountIs('Custom::CrossRegionExportWriter', 1);
    const devDistribution = only(Template.fromStack(dev.webHosting), 'AWS::CloudFront::Distribution');
    expect(devDistribution.DistributionConfig.WebACLId).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^Dev-WebFirewall:ExportsOutputFnGetAttFirewall.*Arn/),
    });
  });

  it('GIVEN a stage WHEN synthesized THEN the web stacks come in dependency order: firewall, hosting, bot (CORS), web (identity, widget)', () => {
    const deps = (s: Stack) => s.dependencies.map((d) => d.node.id).sort();
    expect(deps(dev.webHosting)).toEqual(['WebFirewall']);
    expect(deps(dev.bot)).toEqual(expect.arrayContaining(['WebHosting']));
    expect(deps(dev.web)).toEqual(['Bot', 'WebHosting']);
  });

  it("GIVEN a stage WHEN synthesized THEN the CSP allows the stage region's execute-api hosts and Cognito Identity, and the configured frame ancestors", () => {
    const policy = only(Template.fromStack(prod.webHosting), 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(
      policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy,
    ).toContain(
      "connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com https://cognito-identity.eu-west-1.amazonaws.com; frame-ancestors 'self';",
    );
  });
});
