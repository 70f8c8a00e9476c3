import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CodePipeline } from 'aws-cdk-lib/pipelines';
import { IConstruct } from 'constructs';
import { ARTILLERY_RUNNER_WILDCARDS } from './artillery-fargate';
import { INVOKER_ROLES_WILDCARD, LoadTestStep } from './load-test-step';
import { acknowledgeWildcards, WildcardGrant } from './wildcards';

/**
 * The wildcard grants CDK Pipelines generates, each with the reason it is acceptable. They are
 * acknowledged only on the policies listed in `GENERATED_POLICIES`, and only the findings each
 * pattern matches: any other wildcard still fails synth.
 */
export const PIPELINE_WILDCARDS = {
  artifacts: {
    reason:
      "CDK Pipelines grants this role read/write on the pipeline's own KMS-encrypted artifact bucket (object keys are generated per execution) with CDK's grant action groups (s3:GetObject*, s3:List*, kms:GenerateDataKey*, ...) on that one bucket and its one key.",
    findings:
      /^(Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*|Action::kms:(GenerateDataKey|ReEncrypt)\*|Resource::<PipelineArtifactsBucket[A-Za-z0-9]+\.Arn>\/\*)$/,
  },
  ownProject: {
    reason:
      "CodeBuild writes this project's build logs and test reports: the * is the log-stream / report-group suffix CodeBuild generates for this one project (/aws/codebuild/<project>:*, report-group/<project>-*).",
    findings:
      /^Resource::arn:[\w-]+:(logs:[\w-]+:\d{12}:log-group:\/aws\/codebuild\/<[A-Za-z0-9]+>:\*|codebuild:[\w-]+:\d{12}:report-group\/<[A-Za-z0-9]+>-\*)$/,
  },
  assetProjects: {
    reason:
      "CDK Pipelines' shared file-asset publishing role runs one CodeBuild project per asset, generated later in the build: it needs logs and report groups of /aws/codebuild/* and report-group/* in this account and region only.",
    findings:
      /^Resource::arn:[\w-]+:(logs:[\w-]+:\d{12}:log-group:\/aws\/codebuild\/\*|codebuild:[\w-]+:\d{12}:report-group\/\*)$/,
  },
  assetBuilds: {
    reason:
      "CDK Pipelines' asset publishing role starts, polls and stops its per-asset CodeBuild builds (codebuild:StartBuild/BatchGetBuilds/StopBuild) whose project names are generated.",
    findings: /^Resource::\*$/,
  },
  bootstrapRoles: {
    reason:
      "Self-mutation runs 'cdk deploy' of the pipeline stack: it may assume only roles tagged aws-cdk:bootstrap-role (deploy, file-publishing, image-publishing) in the tooling account, enforced by an iam:ResourceTag condition.",
    findings: /^Resource::arn:\*:iam::\d{12}:role\/\*$/,
  },
  selfMutationDescribe: {
    reason:
      "Self-mutation's 'cdk deploy' reads stack status (cloudformation:DescribeStacks) and locates the bootstrap bucket (s3:ListBucket) before it assumes the bootstrap deploy role; neither is scoped further by CDK.",
    findings: /^Resource::\*$/,
  },
  loadTestReports: {
    reason:
      "The load-test step writes its report files (names carry a timestamp) under its own environment's prefix of the load-test reports bucket and nowhere else (s3:PutObject only).",
    findings: /^Resource::<LoadTestReports[A-Za-z0-9]+\.Arn>\/(dev|staging|prod)\/\*$/,
  },
} satisfies Record<string, WildcardGrant>;

const W = PIPELINE_WILDCARDS;

/** CDK-generated policies (path under the pipeline stack) and the wildcards each may hold. */
const GENERATED_POLICIES: ReadonlyArray<{ path: RegExp; grants: WildcardGrant[] }> = [
  { path: /^Pipeline\/Pipeline\/Role\/DefaultPolicy$/, grants: [W.artifacts] },
  {
    path: /^Pipeline\/Pipeline\/Source\/[^/]+\/CodePipelineActionRole\/DefaultPolicy$/,
    grants: [W.artifacts],
  },
  {
    path: /^Pipeline\/Pipeline\/Build\/Synth\/CdkBuildProject\/Role\/DefaultPolicy$/,
    grants: [W.artifacts, W.ownProject],
  },
  {
    path: /^Pipeline\/UpdatePipeline\/SelfMutation\/Role\/DefaultPolicy$/,
    grants: [W.artifacts, W.ownProject, W.bootstrapRoles, W.selfMutationDescribe],
  },
  {
    path: /^Pipeline\/Assets\/FileRole\/DefaultPolicy$/,
    grants: [W.artifacts, W.assetProjects, W.assetBuilds],
  },
  {
    path: /^Pipeline\/Pipeline\/Prod\/HealthCheck\/HealthCheck\/Role\/DefaultPolicy$/,
    grants: [W.artifacts, W.ownProject],
  },
];

export interface PipelineNagTargets {
  readonly pipeline: CodePipeline;
  readonly loadTests: Readonly<Partial<Record<string, LoadTestStep>>>;
}

/**
 * Acknowledges the known wildcard findings of the pipeline's generated roles, one policy at a
 * time, each with its reason. Call after `buildPipeline()`. Throws when a listed CDK-generated
 * policy is missing (CDK Pipelines changed its construct tree: review the list).
 */
export function acknowledgePipelineFindings(stack: Stack, targets: PipelineNagTargets): void {
  const policies = stack.node
    .findAll()
    .filter((c): c is iam.Policy => c instanceof iam.Policy && Stack.of(c) === stack);
  const relative = (c: IConstruct) => c.node.path.slice(stack.node.path.length + 1);

  for (const { path, grants } of GENERATED_POLICIES) {
    const matching = policies.filter((p) => path.test(relative(p)));
    if (matching.length === 0 && !path.source.includes('HealthCheck')) {
      throw new Error(`pipeline nag: no generated policy at ${path.source}; review GENERATED_POLICIES`);
    }
    for (const policy of matching) acknowledgeWildcards(policy, grants);
  }

  for (const step of Object.values(targets.loadTests)) {
    if (!step) continue;
    const role = step.project.role;
    const policy = role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`pipeline nag: load test ${step.id} has no role policy`);
    acknowledgeWildcards(policy, [
      W.artifacts,
      W.ownProject,
      W.loadTestReports,
      INVOKER_ROLES_WILDCARD,
      ...(step.workers > 0 ? ARTILLERY_RUNNER_WILDCARDS : []),
    ]);
  }
}
