/**
 * Feedback on the channel API (ChannelApi.bindFeedback): the route is IAM-authorized like the
 * messages route, and the channel function may write feedback onto existing turns and put events
 * on the stream: no other action on either.
 */
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { ChannelEnv } from '../../../contracts/runtime-env';
import { channelApiFixture } from '../../support/channel-api-fixture';

function build(bindFeedback: boolean) {
  const { stack, api } = channelApiFixture();
  const table = new dynamodb.TableV2(stack, 'Turns', {
    partitionKey: { name: 'conversationId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'turn', type: dynamodb.AttributeType.NUMBER },
  });
  const stream = new kinesis.Stream(stack, 'Events', { encryption: kinesis.StreamEncryption.MANAGED });
  if (bindFeedback) api.bindFeedback(table, stream);
  return Template.fromStack(stack);
}

const actionsOf = (template: Template): string[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );

describe('feedback on the channel API', () => {
  test('GIVEN bindFeedback WHEN synthesized THEN POST .../feedback is an IAM route and the function has the table and stream names', () => {
    const template = build(true);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/conversations/{conversationId}/feedback',
      AuthorizationType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ChannelEnv.CONVERSATION_TABLE_NAME]: Match.anyValue(),
          [ChannelEnv.EVENT_STREAM_NAME]: Match.anyValue(),
        }),
      },
    });
  });

  test('GIVEN bindFeedback WHEN synthesized THEN the only DynamoDB and Kinesis actions are UpdateItem, GetItem and PutRecords', () => {
    const actions = actionsOf(build(true));
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actions.filter((a) => a.startsWith('kinesis:'))).toEqual(['kinesis:PutRecords']);
  });

  test('GIVEN no bindFeedback WHEN synthesized THEN the function reaches neither the table nor the stream', () => {
    const actions = actionsOf(build(false));
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('kinesis:'))).toEqual([]);
  });
});
