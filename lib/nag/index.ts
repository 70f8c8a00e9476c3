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
 * Acknowledges findings on ONE construct, all for the same specific reason (e.g. the wildcard
 * actions of one CDK-generated grant). Never use it on a stack or stage.
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
  for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
}

/** One acknowledged finding: the rule (with its finding id), where, and why. */
export interface Acknowledgement {
  readonly id: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * Every acknowledgement under `root`, read from the construct metadata Validations.acknowledge
 * writes; `include` keeps only some constructs (e.g. those of one stack, not of its nested stages).
 */
export function listAcknowledgements(
  root: IConstruct,
  include: (construct: IConstruct) => boolean = () => true,
): Acknowledgement[] {
  return root.node
    .findAll()
    .filter(include)
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules' && m.data)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
            id,
            path: c.node.path,
            reason,
          })),
        ),
    );
}

/** The acknowledgements on `stack`'s own constructs (not those of stages nested inside it). */
export function listStackAcknowledgements(stack: Stack): Acknowledgement[] {
  const ownedByStack = (c: IConstruct): boolean => {
    for (let scope: IConstruct | undefined = c; scope && scope !== stack; scope = scope.node.scope) {
      if (Stage.isStage(scope) || Stack.isStack(scope)) return false;
    }
    return true;
  };
  return listAcknowledgements(stack, ownedByStack);
}

/** A rule as docs/nag.md shows it: namespace prefix dropped, account ids as `<account>`. */
function ruleCell(id: string): string {
  return id.replace(/^Annotation::/, '').replace(/\d{12}/g, '<account>');
}

/** `path` below `root` (root's own path and the following slash removed). */
function relativePath(path: string, root?: IConstruct): string {
  const prefix = root && root.node.path ? `${root.node.path}/` : '';
  if (!path.startsWith(prefix)) throw new Error(`acknowledgement at ${path} is not under ${prefix}`);
  return path.slice(prefix.length);
}

const cell = (s: string) => '`' + s + '`';
const reasonCell = (reason: string) => reason.replace(/\|/g, '\\|');

/**
 * The stages' acknowledgements as rows of docs/nag.md's stage table: the rule, the construct path
 * below the stage, the stages it appears in, and the reason. The first path segment below `root`
 * (default: the App) is the stage. One row per distinct (rule, path, reason); docs/nag.md must
 * list exactly these rows (a test checks).
 */
export function acknowledgementRows(acks: readonly Acknowledgement[], root?: IConstruct): string[] {
  const rows = new Map<string, { rule: string; path: string; reason: string; stages: string[] }>();
  for (const ack of acks) {
    const [stage, ...rest] = relativePath(ack.path, root).split('/');
    const rule = ruleCell(ack.id);
    const path = `<Stage>/${rest.join('/')}`;
    const reason = reasonCell(ack.reason);
    const key = [rule, path, reason].join('\u0000');
    const row = rows.get(key) ?? { rule, path, reason, stages: [] };
    if (!row.stages.includes(stage)) row.stages.push(stage);
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule))
    .map((r) => `| ${cell(r.rule)} | ${cell(r.path)} | ${r.stages.join(', ')} | ${r.reason} |`);
}

/**
 * One stack's acknowledgements (e.g. the pipeline stack's, from `listStackAcknowledgements`) as
 * rows of a docs/nag.md table: the rule, the construct path below the stack, and the reason.
 */
export function stackAcknowledgementRows(acks: readonly Acknowledgement[], stack: Stack): string[] {
  return acks
    .map((ack) => ({
      rule: ruleCell(ack.id),
      path: relativePath(ack.path, stack),
      reason: reasonCell(ack.reason),
    }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule))
    .map((r) => `| ${cell(r.rule)} | ${cell(r.path)} | ${r.reason} |`);
}

/**
 * docs/nag.md's one-line summary: how many acknowledgements the synthesized app holds (every
 * stage counted separately), per rule (finding id in brackets dropped), most frequent first.
 */
export function acknowledgementSummary(acks: readonly Acknowledgement[]): string {
  const counts = new Map<string, number>();
  for (const ack of acks) {
    const rule = ruleCell(ack.id).replace(/\[.*\]$/, '');
    counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  const perRule = [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([rule, n]) => `${cell(rule)} ${n}`)
    .join(', ');
  return `**Acknowledgements by rule** (${acks.length} in the synthesized app): ${perRule}.`;
}
