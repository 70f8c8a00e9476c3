/**
 * The few lines `cdk synth` ends with (cdk.json sets `"quiet": true`, so the CLI prints no
 * template): the stacks synthesized per stage, the nag verdict, and where the cloud assembly is.
 */
import { isAbsolute, relative } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';

/** The metadata `Validations.acknowledge` writes: one entry per construct, one key per rule id. */
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

/** How many findings are acknowledged under `root` (each rule id on each construct counts once). */
export function countAcknowledgements(root: IConstruct): number {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === ACKNOWLEDGED_RULES && m.data)
    .reduce((n, m) => n + Object.keys(m.data as Record<string, unknown>).length, 0);
}

interface StageStacks {
  readonly label: string;
  readonly stacks: number;
}

/** The app's own stacks (labelled by name), then each stage's (labelled by id), in `order`. */
function stacksPerStage(assembly: CloudAssembly, order: readonly string[], label?: string): StageStacks[] {
  const own = assembly.stacks;
  const rank = (path: string): number => (order.includes(path) ? order.indexOf(path) : order.length);
  return [
    ...(own.length > 0
      ? [{ label: label ?? own.map((s) => s.stackName).join(', '), stacks: own.length }]
      : []),
    ...[...assembly.nestedAssemblies]
      .sort((a, b) => rank(a.displayName) - rank(b.displayName))
      .flatMap((n) => stacksPerStage(n.nestedAssembly, order, n.displayName.split('/').pop())),
  ];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The summary of `app`'s synthesis into `assembly` with `findings` unacknowledged nag findings:
 *   synthesized 31 stacks: ConversationalPlatformPipeline 1, Dev 10, Staging 10, Prod 10
 *   nag: 0 unacknowledged findings, 175 acknowledgements
 *   cloud assembly: cdk.out
 */
export function synthSummary(
  app: IConstruct,
  assembly: CloudAssembly,
  findings: number,
  cwd: string = process.cwd(),
): string[] {
  const stageOrder = app.node
    .findAll()
    .filter((c) => Stage.isStage(c))
    .map((s) => s.node.path);
  const stages = stacksPerStage(assembly, stageOrder);
  const total = stages.reduce((n, s) => n + s.stacks, 0);
  const where = relative(cwd, assembly.directory);
  return [
    `synthesized ${plural(total, 'stack')}: ${stages.map((s) => `${s.label} ${s.stacks}`).join(', ')}`,
    `nag: ${plural(findings, 'unacknowledged finding')}, ${plural(countAcknowledgements(app), 'acknowledgement')}`,
    `cloud assembly: ${where && !where.startsWith('..') && !isAbsolute(where) ? where : assembly.directory}`,
  ];
}
