import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { logicalIdOf, pinLogicalId } from '../../../lib/constructs/logical-ids';
import { constructStack } from '../../support/construct-stack';

describe('pinLogicalId / logicalIdOf', () => {
  let stack: Stack;
  let group: logs.LogGroup;
  beforeEach(() => {
    // GIVEN a log group that moved into a construct
    stack = constructStack();
    group = new logs.LogGroup(new Construct(stack, 'Moved'), 'Logs');
  });

  it('GIVEN an L2 (its default child) or an L1 WHEN its old logical id is pinned THEN the template has it', () => {
    // WHEN its old logical id is pinned
    pinLogicalId(group, 'LegacyLogs1234ABCD');
    // THEN the template has the old id, and logicalIdOf reads it (Stack.getLogicalId does not)
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'))).toEqual([
      'LegacyLogs1234ABCD',
    ]);
    expect(logicalIdOf(group)).toBe('LegacyLogs1234ABCD');
    expect(stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup)).not.toBe('LegacyLogs1234ABCD');
    pinLogicalId(group.node.defaultChild as logs.CfnLogGroup, 'Other');
    expect(logicalIdOf(group)).toBe('Other');
  });

  it('GIVEN an unpinned id WHEN read THEN it is the id CDK allocates', () => {
    expect(logicalIdOf(group)).toBe(stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup));
  });

  it('GIVEN an id CloudFormation would reject, or a construct with no resource WHEN pinned THEN it is refused', () => {
    expect(() => pinLogicalId(group, 'not-alphanumeric')).toThrow(/must be 1-255 letters and digits/);
    expect(() => pinLogicalId(group, '')).toThrow(/must be 1-255 letters and digits/);
    expect(() => pinLogicalId(new Construct(stack, 'Empty'), 'Id')).toThrow(
      /Test\/Empty is not a cloudformation resource/,
    );
  });
});
