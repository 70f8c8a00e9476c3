import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * cdk-nag pack whose warnings count as errors: the project allows zero unacknowledged
 * findings of either level. (After an acknowledgement, CDK's validation framework recomputes a
 * report's success from its *errors* only, so without this wrapper an unacknowledged warning
 * would pass synth.)
 */
export class StrictNagPlugin implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;

  constructor(private readonly pack: NagPack) {
    this.name = pack.name;
    this.version = pack.version;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return StrictNagPlugin.strict(this.pack.validate(context));
  }

  /** The same check on a construct tree, for tests. */
  validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return StrictNagPlugin.strict(this.pack.validateScope(scope));
  }

  private static strict(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
    return {
      ...report,
      violations: report.violations.map((v) => ({ ...v, severity: 'error' })),
      success: report.violations.length === 0,
    };
  }
}

/** The packs every stack of the app is checked against. */
export function nagPlugins(): StrictNagPlugin[] {
  return [new StrictNagPlugin(new AwsSolutionsChecks()), new StrictNagPlugin(new ServerlessChecks())];
}

/**
 * Registers the AwsSolutions and Serverless packs on `scope` (the App): CDK runs them over
 * every stack of every stage, and synth fails on any unacknowledged finding.
 */
export function applyNag(scope: IConstruct): void {
  Validations.of(scope).addPlugins(...nagPlugins());
}

interface ValidationReportJson {
  readonly pluginReports?: ReadonlyArray<{
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: ReadonlyArray<{
      readonly ruleName: string;
      readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
    }>;
  }>;
}

/**
 * Reads the validation report CDK wrote into the cloud assembly and lists every unacknowledged
 * finding as `rule  construct-path`. The CDK CLI only fails synth on findings of the stacks it
 * selected (a plain `cdk synth` selects none inside stages), so the app checks the whole report
 * itself and exits non-zero: a nag finding anywhere stops synth, locally and in the pipeline.
 */
export function unacknowledgedFindings(assemblyDirectory: string): string[] {
  const file = join(assemblyDirectory, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReportJson;
  return (report.pluginReports ?? [])
    .filter((r) => r.conclusion !== 'success')
    .flatMap((r) =>
      r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName}  ${c.constructPath}`)),
    );
}

/**
 * The rule ids `acknowledge` accepts: an AwsSolutions or Serverless rule, alone or with the one
 * finding it names in brackets (`[Resource::...]`, `[Action::...]` or `[Policy::...]`, exactly as
 * cdk-nag names it), or a CloudFormation-Validate rule of CDK's built-in template check.
 */
const RULE_ID =
  /^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[(Resource|Action|Policy)::.+\])?$|^CloudFormation-Validate::[EFW]\d+$/;

/**
 * Acknowledges findings on ONE construct, all for the same specific reason (e.g. the wildcard
 * actions of one CDK-generated grant). Never use it on a stack or stage. Every acknowledgement of
 * the project goes through here (never `Validations.of(x).acknowledge` directly), so each is
 * checked: one resource, a specific reason, well-formed rule ids.
 */
export function acknowledge(construct: IConstruct, reason: string, ...ids: string[]): void {
  if (ids.length === 0) throw new Error('acknowledge needs at least one rule id');
  if (Stack.isStack(construct) || Stage.isStage(construct)) {
    throw new Error(
      `acknowledge on ${construct.node.path}: acknowledge a resource, never a whole stack or stage`,
    );
  }
  if (reason.trim().length < 40) {
    throw new Error(`acknowledge reason for ${ids.join(', ')} must say specifically why (40+ characters)`);
  }
  const malformed = ids.filter((id) => !RULE_ID.test(id));
  if (malformed.length > 0) {
    throw new Error(
      `acknowledge on ${construct.node.path}: unknown rule id ${malformed.join(', ')} (expected e.g. AwsSolutions-IAM5[Resource::<Bucket.Arn>/*])`,
    );
  }
  for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
}
