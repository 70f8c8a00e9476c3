/**
 * Cost-allocation tags (docs/deployment.md, "Cost-allocation tags"): every taggable resource of
 * every stack carries the project, its environment, its component, the cost centre and what
 * manages it, so the bill can be split by any of them once the keys are activated in Billing.
 *
 * Three layers, because no one reaches everything:
 * - `Tags.of(stack).add`, an aspect: every construct of the stack the CDK knows how to tag, in the
 *   tag format of each resource type (lists, maps, Auto Scaling's PropagateAtLaunch, a TableV2's
 *   replicas). It does not cross a Stage's boundary (the pipeline stack's stages tag their own
 *   stacks).
 * - the CDK's custom-resource providers add their role and function as plain `CfnResource`s
 *   without a TagManager: an aspect of ours gives them the tags in the template.
 * - the stack-level tags, set explicitly (cdk.json's `@aws-cdk/core:explicitStackTags` keeps
 *   `Tags.of` off them): CloudFormation applies them to every resource of the stack that supports
 *   tags, including what the CDK adds during synthesis after the aspects ran (the cross-Region
 *   export reader and writer of a stage outside us-east-1). `cdk deploy` passes them, and CDK
 *   Pipelines writes them to each stack's template configuration.
 */
import { Aspects, CfnResource, IAspect, Stack, TagManager, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CostAllocationConfig } from '../config/types';

/** The five tag keys, as the Billing console lists them for activation. */
export const COST_ALLOCATION_TAG_KEYS = {
  project: 'project',
  environment: 'environment',
  component: 'component',
  costCentre: 'cost-centre',
  managedBy: 'managed-by',
} as const;

/** The `managed-by` value: every resource here is created and changed by the CDK (CloudFormation). */
export const MANAGED_BY = 'aws-cdk';

/** The `environment` value of the pipeline stack and its support stacks (the tooling account). */
export const TOOLING_ENVIRONMENT = 'tooling';

/** The `component` values: one per deployed part of the platform, and the delivery pipeline. */
export const COMPONENTS = [
  'network',
  'data',
  'analytics',
  'knowledge',
  'tickets',
  'web',
  'bot',
  'monitoring',
  'pipeline',
] as const;

export type Component = (typeof COMPONENTS)[number];

/** What one stack's resources are tagged with. */
export interface StackCostAllocation {
  /** The project and cost centre, from config. */
  readonly costAllocation: CostAllocationConfig;
  /** dev, staging, prod, or `tooling` for the pipeline. */
  readonly environment: string;
  readonly component: Component;
}

/** The five tags of a stack, by key. */
export function costAllocationTags(of: StackCostAllocation): Record<string, string> {
  return {
    [COST_ALLOCATION_TAG_KEYS.project]: of.costAllocation.project,
    [COST_ALLOCATION_TAG_KEYS.environment]: of.environment,
    [COST_ALLOCATION_TAG_KEYS.component]: of.component,
    [COST_ALLOCATION_TAG_KEYS.costCentre]: of.costAllocation.costCentre,
    [COST_ALLOCATION_TAG_KEYS.managedBy]: MANAGED_BY,
  };
}

/**
 * Types the CDK's core adds as plain `CfnResource`s (no TagManager) that CloudFormation can tag:
 * the role and function of its custom-resource providers (S3 auto-delete-objects, the cross-Region
 * export reader/writer, the VPC default-security-group restriction). Both take `Tags` as a list
 * of {Key, Value}.
 */
export const PROVIDER_TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  'AWS::IAM::Role',
  'AWS::Lambda::Function',
]);

/** Gives the custom-resource providers' plain role and function the stack's tags. */
class ProviderResourceTags implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (
      CfnResource.isCfnResource(node) &&
      !TagManager.isTaggable(node) &&
      !TagManager.isTaggableV2(node) &&
      PROVIDER_TAGGABLE_TYPES.has(node.cfnResourceType)
    ) {
      // The providers set no tags of their own: these are the resource's only ones.
      node.addPropertyOverride(
        'Tags',
        Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value })),
      );
    }
  }
}

/**
 * CloudWatch dashboards take tags since 2026-06 (AWS::CloudWatch::Dashboard `Tags`, no
 * interruption on update; the CDK's CfnDashboard tags them), but cfn-lint's bundled schema may
 * predate it and report E3002 "Additional properties are not allowed ('Tags' was unexpected)".
 * The dashboard alone tells cfn-lint to skip that rule (docs/deployment.md, "Cost-allocation tags").
 */
class DashboardTagsLint implements IAspect {
  visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'AWS::CloudWatch::Dashboard') {
      node.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    }
  }
}

/** Tags every taggable resource of `stack` (not of the stages inside it) and the stack itself with its five tags. */
export function tagStack(stack: Stack, of: StackCostAllocation): void {
  const tags = costAllocationTags(of);
  for (const [key, value] of Object.entries(tags)) {
    Tags.of(stack).add(key, value);
    stack.tags.setTag(key, value);
  }
  Aspects.of(stack).add(new ProviderResourceTags(tags));
  Aspects.of(stack).add(new DashboardTagsLint());
}
