/**
 * Test-only: reads the acknowledgements of a construct tree and renders them as docs/nag.md shows
 * them (summary line, stage table, pipeline-stack table). test/lib/nag/nag.test.ts checks that
 * docs/nag.md holds exactly these rows; docs/nag.md says how to regenerate it.
 */
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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
