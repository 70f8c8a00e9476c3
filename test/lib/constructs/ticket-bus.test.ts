import { Template } from 'aws-cdk-lib/assertions';
import { TICKET_CREATED, TICKET_EVENT_SOURCE } from '../../../contracts/tickets';
import { TicketBus } from '../../../lib/constructs/ticket-bus';
import { constructStack } from '../../support/construct-stack';

const SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:desk-webhook-AbCdEf';

describe('TicketBus', () => {
  function template(webhook?: ConstructorParameters<typeof TicketBus>[2]['webhook']) {
    const stack = constructStack();
    const bus = new TicketBus(stack, 'Tickets', { environmentName: 'dev', webhook });
    return { stack, bus, t: Template.fromStack(stack) };
  }

  it('GIVEN the default WHEN synthesized THEN a KMS-encrypted bus named for the stage, an archive of ticket events, and no integration', () => {
    const { stack, bus, t } = template();
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(bus.key.node.defaultChild as never), 'Arn'] };
    t.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'conversational-platform-dev-tickets',
      KmsKeyIdentifier: keyArn,
    });
    t.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: [TICKET_EVENT_SOURCE] },
      RetentionDays: 30,
    });
    t.resourceCountIs('AWS::Events::ApiDestination', 0);
    t.resourceCountIs('AWS::Events::Connection', 0);
    t.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('GIVEN the webhook enabled WHEN synthesized THEN an API key connection from the configured secret, a POST destination, and a TicketCreated rule with retries and a dead-letter queue', () => {
    const { t } = template({ endpoint: 'https://desk.example.com/hooks/tickets', secretArn: SECRET });
    t.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          ApiKeyValue: `{{resolve:secretsmanager:${SECRET}:SecretString:apiKey::}}`,
        },
      },
    });
    t.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: 'https://desk.example.com/hooks/tickets',
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 10,
    });
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as {
      Properties: { EventPattern: unknown; Targets: Array<Record<string, unknown>> };
    };
    expect(rule.Properties.EventPattern).toEqual({
      source: [TICKET_EVENT_SOURCE],
      'detail-type': [TICKET_CREATED],
    });
    expect(rule.Properties.Targets[0]).toEqual(
      expect.objectContaining({
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: expect.anything(),
      }),
    );
  });

  it('GIVEN a webhook over http WHEN built THEN it is refused', () => {
    expect(() => template({ endpoint: 'http://desk.example.com', secretArn: SECRET })).toThrow(
      'ticket webhook endpoint must be an https:// URL',
    );
  });
});
