import { App, CfnResource, Stack, Stage, TagManager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { loadConfig } from '../../../lib/config/load';
import { AppConfig, CostAllocationConfig, EnvironmentConfig } from '../../../lib/config/types';
import { PipelineStack } from '../../../lib/pipeline/pipeline-stack';
import { sandboxConfig } from '../../../lib/pipeline/sandbox';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Cost-allocation tags over the synthesized templates of every stack the app builds: the pipeline
 * stack, the support stack CodePipeline adds for a stage in another Region, and every stack of
 * every stage (the sandbox's too). The expectations are written out here, not read from lib/.
 */
const PROJECT = 'conversational-platform';
const costAllocation = (costCentre: string): CostAllocationConfig => ({ project: PROJECT, costCentre });

const BASE = loadConfig(() => undefined, {
  CDK_PIPELINE_ACCOUNT: '999999999999',
  CDK_DEV_ACCOUNT: '101010101010',
  CDK_STAGING_ACCOUNT: '202020202020',
  CDK_PROD_ACCOUNT: '303030303030',
  // a stage outside the pipeline's Region: CodePipeline adds a support stack, which is tagged too
  CDK_PROD_REGION: 'eu-west-1',
});
const withCentre = (env: EnvironmentConfig, centre: string): EnvironmentConfig => ({
  ...env,
  costAllocation: costAllocation(centre),
});
/** A cost centre of its own per environment, so a value taken from the wrong place shows. */
const CONFIG: AppConfig = {
  pipeline: { ...BASE.pipeline, costAllocation: costAllocation('CC-1000 tooling') },
  environments: {
    dev: withCentre(BASE.environments.dev, 'CC-2000'),
    staging: withCentre(BASE.environments.staging, 'CC-3000'),
    prod: withCentre(BASE.environments.prod, 'CC-4000/prod'),
  },
};

/** environment and cost-centre of each stage, by its id (Sandbox: dev's settings in a developer's account). */
const STAGE_TAGS: Record<string, { environment: string; 'cost-centre': string }> = {
  Dev: { environment: 'dev', 'cost-centre': 'CC-2000' },
  Staging: { environment: 'staging', 'cost-centre': 'CC-3000' },
  Prod: { environment: 'prod', 'cost-centre': 'CC-4000/prod' },
  Sandbox: { environment: 'dev', 'cost-centre': 'CC-2000' },
};
const TOOLING_TAGS = { environment: 'tooling', 'cost-centre': 'CC-1000 tooling' };

/** The component of each stack, by its id; CodePipeline's support stacks are `cross-region-stack-*`. */
const COMPONENT: Record<string, string> = {
  ConversationalPlatformPipeline: 'pipeline',
  Network: 'network',
  Data: 'data',
  Analytics: 'analytics',
  Knowledge: 'knowledge',
  Tickets: 'tickets',
  WebFirewall: 'web',
  WebHosting: 'web',
  Bot: 'bot',
  Web: 'web',
  Monitoring: 'monitoring',
};

/** The five tags every taggable resource of `stack` must carry; undefined for a stack this test does not know. */
function expectedTags(stack: Stack): Record<string, string> | undefined {
  const component = stack.node.id.startsWith('cross-region-stack-') ? 'pipeline' : COMPONENT[stack.node.id];
  const stage = Stage.of(stack);
  const where = stage && !App.isApp(stage) ? STAGE_TAGS[stage.node.id] : TOOLING_TAGS;
  if (!component || !where) return undefined;
  return { project: PROJECT, ...where, component, 'managed-by': 'aws-cdk' };
}

/** Tags as rendered in a template: a list of {Key, Value} (Auto Scaling's with PropagateAtLaunch) or a map. */
function renderedTags(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    return Object.fromEntries((value as Json[]).map((t) => [t.Key, t.Value]));
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** What a resource's tags lack against `expected`, as `key=value` (`key` missing or with another value). */
function missing(tags: Record<string, unknown>, expected: Record<string, string>): string[] {
  return Object.entries(expected)
    .filter(([key, value]) => tags[key] !== value)
    .map(([key, value]) => `${key}=${value}${key in tags ? ` (has ${JSON.stringify(tags[key])})` : ''}`);
}

/**
 * The cross-Region export reader and writer the CDK adds during synthesis, after the aspects ran
 * (a stage outside us-east-1 reading the web firewall's ARN): nothing can tag them in the template;
 * CloudFormation gives them the stack-level tags (asserted below).
 */
const ADDED_AFTER_ASPECTS = /\/Custom::CrossRegionExport(Reader|Writer)CustomResourceProvider\//;

interface Checked {
  /** The taggable resources (and table replicas) whose template tags were checked. */
  readonly resources: string[];
  /** Resource types checked. */
  readonly types: Set<string>;
  /** One line per resource lacking a tag. */
  readonly problems: string[];
  /** Resources only the stack-level tags reach (ADDED_AFTER_ASPECTS). */
  readonly byStackTags: string[];
}

/** Constructs of `stack` itself: its tree, not crossing into a stage (the pipeline's) or a nested stack. */
function ownConstructs(scope: IConstruct, into: IConstruct[] = []): IConstruct[] {
  for (const child of scope.node.children) {
    if (Stage.isStage(child) || Stack.isStack(child)) continue;
    into.push(child);
    ownConstructs(child, into);
  }
  return into;
}

/**
 * The tag property of every resource type the CDK tags somewhere in the app (an L1 with a
 * TagManager): a type CloudFormation can tag, whichever construct adds it.
 */
function taggableTypes(stacks: readonly Stack[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const c of stacks.flatMap((s) => ownConstructs(s))) {
    const tagManager = TagManager.of(c);
    if (tagManager && CfnResource.isCfnResource(c)) {
      types.set(c.cfnResourceType, upperFirst(tagManager.tagPropertyName));
    }
  }
  return types;
}

/**
 * Walks `stack`'s construct tree: every L1 the CDK's TagManager can tag (whatever its type and tag
 * format), every plain CfnResource of a type CloudFormation can tag (the custom-resource
 * providers' roles and functions), and every tag-bearing L2 whose tags render elsewhere (a
 * TableV2: on each replica) must carry `expected` in the synthesized template.
 */
function checkStack(
  stack: Stack,
  expected: Record<string, string>,
  taggable: ReadonlyMap<string, string>,
  into: Checked,
): void {
  const resources = (Template.fromStack(stack).toJSON().Resources ?? {}) as Record<string, Json>;
  const check = (what: string, tags: unknown): void => {
    into.types.add(what.split(' ')[0]);
    into.resources.push(what);
    const lacks = missing(renderedTags(tags), expected);
    if (lacks.length > 0) into.problems.push(`${stack.node.path} ${what}: lacks ${lacks.join(', ')}`);
  };
  for (const c of ownConstructs(stack)) {
    const tagManager = TagManager.of(c);
    if (CfnResource.isCfnResource(c)) {
      const id = stack.resolve(c.logicalId) as string;
      const property = tagManager ? upperFirst(tagManager.tagPropertyName) : taggable.get(c.cfnResourceType);
      if (!property) continue;
      if (ADDED_AFTER_ASPECTS.test(c.node.path))
        into.byStackTags.push(`${stack.node.path} ${c.cfnResourceType} ${id}`);
      else check(`${c.cfnResourceType} ${id}`, resources[id]?.Properties?.[property]);
    } else if (tagManager) {
      const table = c.node.defaultChild as CfnResource | undefined;
      if (table?.cfnResourceType !== 'AWS::DynamoDB::GlobalTable') {
        into.problems.push(
          `${c.node.path}: a taggable ${c.constructor.name} this test cannot read the tags of: teach checkStack where they render`,
        );
        continue;
      }
      const id = stack.resolve(table.logicalId) as string;
      const replicas = (resources[id].Properties.Replicas ?? []) as Json[];
      expect(replicas.length).toBeGreaterThan(0);
      for (const replica of replicas)
        check(`AWS::DynamoDB::GlobalTable ${id} (replica ${replica.Region})`, replica.Tags);
    }
  }
}

/** Every stack artifact of the assembly, nested stage assemblies included. */
function stackArtifacts(assembly: CloudAssembly): CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => stackArtifacts(n.nestedAssembly))];
}

describe('cost-allocation tags GIVEN the app as bin/app.ts builds it (pipeline, three stages, a sandbox)', () => {
  let app: App;
  let stacks: Stack[];
  let assembly: CloudAssembly;

  beforeAll(() => {
    // GIVEN the pipeline with dev, staging and prod (prod in another Region), and a sandbox stage
    app = testApp({}, { schemaValidation: false });
    new PipelineStack(app, 'ConversationalPlatformPipeline', { config: CONFIG });
    const sandbox = sandboxConfig(CONFIG.environments.dev, (k) =>
      k === 'sandbox' ? '121212121212' : undefined,
    );
    new ConversationalPlatformStage(app, 'Sandbox', { config: sandbox! });
    // WHEN the app is synthesized
    assembly = app.synth();
    stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  });

  it('WHEN synthesized THEN the walk covers every stack of the cloud assembly, and this test knows each one', () => {
    expect(stacks.map((s) => s.artifactId).sort()).toEqual(
      stackArtifacts(assembly)
        .map((a) => a.id)
        .sort(),
    );
    // 1 pipeline stack + 1 support stack (eu-west-1) + 4 stages x 10 stacks
    expect(stacks).toHaveLength(42);
    const unknown = stacks.filter((s) => !expectedTags(s)).map((s) => s.node.path);
    expect(unknown).toEqual([]);
  });

  it('WHEN synthesized THEN every taggable resource carries project, environment, component, cost-centre and managed-by', () => {
    const taggable = taggableTypes(stacks);
    const checked: Checked = { resources: [], types: new Set(), problems: [], byStackTags: [] };
    for (const stack of stacks) checkStack(stack, expectedTags(stack)!, taggable, checked);
    if (checked.problems.length > 0) {
      throw new Error(
        `${checked.problems.length} resources lack a cost-allocation tag:\n${checked.problems.join('\n')}`,
      );
    }
    // THEN the walk is not vacuous: the platform's billable types are among those checked, and
    // the custom-resource providers' plain roles and functions were checked too
    expect(checked.resources.length).toBeGreaterThan(500);
    // the prod stage (eu-west-1) reads the web firewall's ARN across Regions: a writer and a reader
    expect(checked.byStackTags).toHaveLength(4);
    expect(
      checked.resources.filter((r) => /^AWS::Lambda::Function CustomS3AutoDeleteObjects/.test(r)),
    ).toHaveLength(8);
    expect([...checked.types]).toEqual(
      expect.arrayContaining([
        'AWS::DynamoDB::GlobalTable',
        'AWS::ElastiCache::ReplicationGroup',
        'AWS::Kinesis::Stream',
        'AWS::KinesisFirehose::DeliveryStream',
        'AWS::Lambda::Function',
        'AWS::Lex::Bot',
        'AWS::ApiGatewayV2::Api',
        'AWS::EC2::VPCEndpoint',
        'AWS::S3::Bucket',
        'AWS::Logs::LogGroup',
        'AWS::CloudWatch::Alarm',
        'AWS::Bedrock::KnowledgeBase',
        'AWS::SQS::Queue',
        'AWS::CloudFront::Distribution',
        'AWS::WAFv2::WebACL',
        'AWS::Cognito::IdentityPool',
        'AWS::CodePipeline::Pipeline',
        'AWS::CodeBuild::Project',
        'AWS::KMS::Key',
        'AWS::SecretsManager::Secret',
      ]),
    );
  });

  it('WHEN synthesized THEN each tagged dashboard tells cfn-lint, whose schema predates dashboard tags, to skip E3002 on it alone', () => {
    const dashboards = stacks.flatMap((stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')),
    );
    expect(dashboards).toHaveLength(4); // one per stage
    for (const dashboard of dashboards) {
      expect(dashboard.Properties.Tags).toHaveLength(5);
      expect(dashboard.Metadata['cfn-lint']).toEqual({ config: { ignore_checks: ['E3002'] } });
    }
  });

  it('WHEN synthesized THEN every stack carries the five as stack tags, which CloudFormation gives its resources too', () => {
    const problems = stackArtifacts(assembly).flatMap((artifact) => {
      const stack = stacks.find((s) => s.artifactId === artifact.id)!;
      const lacks = missing(artifact.tags, expectedTags(stack)!);
      return lacks.length > 0 ? [`${stack.node.path}: stack tags lack ${lacks.join(', ')}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('WHEN synthesized THEN the pipeline creates every stage stack with a template configuration, which carries its stack tags', () => {
    const pipeline = stacks.find((s) => s.node.id === 'ConversationalPlatformPipeline')!;
    const [resource] = Object.values(
      Template.fromStack(pipeline).findResources('AWS::CodePipeline::Pipeline'),
    );
    const prepares = (resource.Properties.Stages as Json[])
      .flatMap((s) => s.Actions as Json[])
      .filter(
        (a) =>
          a.ActionTypeId.Provider === 'CloudFormation' && a.Configuration.ActionMode === 'CHANGE_SET_REPLACE',
      );
    // 3 stages x 10 stacks, each change set prepared with its tags
    expect(prepares).toHaveLength(30);
    const without = prepares
      .filter((a) => !/\.template\.json\.config\.json$/.test(a.Configuration.TemplateConfiguration ?? ''))
      .map((a) => a.Name);
    expect(without).toEqual([]);
  });
});
