import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge } from '../nag';

/**
 * One known kind of wildcard in a policy: the findings it explains (`Action::...` or
 * `Resource::...`, as cdk-nag's AwsSolutions-IAM5 names them) and why it is acceptable.
 */
export interface WildcardGrant {
  /** Why this wildcard is acceptable; stored with the acknowledgement (>= 40 characters). */
  readonly reason: string;
  /** Matches the finding ids (without the rule prefix) this grant explains. */
  readonly findings: RegExp;
}

/** The AwsSolutions-IAM5 finding ids of a policy document, named exactly as cdk-nag names them. */
export function wildcardFindings(policy: iam.CfnPolicy): string[] {
  const doc = Stack.of(policy).resolve(policy.policyDocument) as {
    Statement?: Array<{ Effect: string; Action: string | string[]; Resource?: unknown }>;
  };
  const found = new Set<string>();
  for (const statement of doc.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (action.includes('*')) found.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource).map(flatten)) {
      if (resource.includes('*')) found.add(`Resource::${resource}`);
    }
  }
  return [...found];
}

/**
 * Acknowledges, on one policy, each of its IAM5 findings that one of `grants` explains, with that
 * grant's reason. Findings no grant explains stay unacknowledged (so synth fails on them).
 * Returns the unexplained findings.
 */
export function acknowledgeWildcards(policy: IConstruct, grants: readonly WildcardGrant[]): string[] {
  const cfn = policy instanceof iam.CfnPolicy ? policy : policy.node.defaultChild;
  if (!(cfn instanceof iam.CfnPolicy)) {
    throw new Error(`acknowledgeWildcards needs an iam policy, got ${policy.node.path}`);
  }
  const unexplained: string[] = [];
  const byGrant = new Map<WildcardGrant, string[]>();
  for (const finding of wildcardFindings(cfn)) {
    const grant = grants.find((g) => g.findings.test(finding));
    if (grant) byGrant.set(grant, [...(byGrant.get(grant) ?? []), `AwsSolutions-IAM5[${finding}]`]);
    else unexplained.push(finding);
  }
  for (const [grant, ids] of byGrant) acknowledge(cfn, grant.reason, ...ids);
  return unexplained;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** cdk-nag's rendering of a CloudFormation reference: `<Logical.Attr>`, `<Logical>`, joins concatenated. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const o = node as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (o['Fn::Sub'] !== undefined) return flatten(o['Fn::Sub']);
  if (Array.isArray(o['Fn::GetAtt'])) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (o['Fn::ImportValue'] !== undefined) return flatten(o['Fn::ImportValue']);
  if (o.Ref !== undefined) return `<${flatten(o.Ref)}>`;
  return JSON.stringify(node);
}
