/**
 * Logical ids that must not move: `pinLogicalId` keeps the CloudFormation logical id a resource had
 * before it moved into a construct, and `logicalIdOf` reads a resource's logical id as synthesized
 * (pins included), e.g. to name it in a cdk-nag finding id.
 *
 * Why: CloudFormation identifies a resource by its logical id, and CDK derives that id from the
 * construct path. Moving a resource into a construct changes its path, so without a pin a deploy
 * would create a new resource and delete the old one: data lost for a table, bucket, key, stream or
 * log group; a failed deploy for a fixed physical name (a Lex bot, a named role); a new endpoint
 * for the clients of an API. test/lib/stacks/stateful-logical-ids.test.ts checks the pinned ids.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** CloudFormation logical ids: alphanumeric, at most 255 characters. */
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

/** The CfnElement of `construct`: itself, or its default child (an L2's `Resource`). */
function cfnElementOf(construct: IConstruct): CfnElement {
  if (CfnElement.isCfnElement(construct)) return construct;
  const child = construct.node.defaultChild;
  if (child && CfnElement.isCfnElement(child)) return child;
  throw new Error(
    `${construct.node.path} is not a cloudformation resource and has none as its default child`,
  );
}

/**
 * Pins the logical id of `resource` (a CfnElement, or an L2 whose default child is one) to
 * `logicalId`: the resource predates the construct it now lives in, and is pinned so a deploy
 * does not replace it. Use only for resources that moved; new resources keep CDK's ids.
 */
export function pinLogicalId(resource: IConstruct, logicalId: string): void {
  if (!LOGICAL_ID.test(logicalId)) {
    throw new Error(
      `pinned logical id of ${resource.node.path} must be 1-255 letters and digits, got '${logicalId}'`,
    );
  }
  cfnElementOf(resource).overrideLogicalId(logicalId);
}

/**
 * The logical id of `resource` (a CfnElement, or an L2 whose default child is one) as it is
 * synthesized, pin included (`Stack.getLogicalId` ignores `overrideLogicalId`). Call it after
 * any pin of that resource.
 */
export function logicalIdOf(resource: IConstruct): string {
  const element = cfnElementOf(resource);
  return Stack.of(element).resolve(element.logicalId) as string;
}
