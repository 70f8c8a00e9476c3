/**
 * `npm run capacity [-- --conversations-per-day N --turns N --peak-factor N --channel-ms N
 *   --fulfillment-ms N --code-hooks-per-turn N --comprehend-per-turn N --polly-per-turn N
 *   --knowledge-share N --knowledge-ms N --knowledge-model-share N --feedback-per-conversation N
 *   --feedback-ms N --json]`
 * Prints the capacity model (lib/config/capacity/) for the requirement or for what-if inputs:
 * this file owns the command line and the plain-text table it prints.
 */
import {
  DEFAULT_CAPACITY_INPUTS,
  planCapacity,
  type CapacityInputs,
  type CapacityPlan,
  type FeedbackLoad,
  type KnowledgeTurnCost,
  type PerTurnCost,
} from '../lib/config/capacity/model';
import type { QuotaVerdict } from '../lib/config/capacity/quotas';

const TOP: Record<string, keyof CapacityInputs> = {
  '--conversations-per-day': 'conversationsPerDay',
  '--turns': 'turnsPerConversation',
  '--peak-factor': 'peakFactor',
  '--headroom': 'headroom',
};
const PER_TURN: Record<string, keyof PerTurnCost> = {
  '--channel-ms': 'channelLambdaMs',
  '--fulfillment-ms': 'fulfillmentLambdaMs',
  '--code-hooks-per-turn': 'codeHookInvocationsPerTurn',
  '--lex-ms': 'lexLatencyMs',
  '--comprehend-per-turn': 'comprehendSentimentCallsPerTurn',
  '--language-per-turn': 'comprehendLanguageCallsPerTurn',
  '--translate-per-turn': 'translateCallsPerTurn',
  '--polly-per-turn': 'pollyCallsPerTurn',
  '--record-bytes': 'kinesisRecordBytes',
};
const KNOWLEDGE: Record<string, keyof KnowledgeTurnCost> = {
  '--knowledge-share': 'shareOfTurns',
  '--knowledge-ms': 'answerMs',
  '--knowledge-model-share': 'modelShare',
};
const FEEDBACK: Record<string, keyof FeedbackLoad> = {
  '--feedback-per-conversation': 'perConversation',
  '--feedback-ms': 'channelLambdaMs',
};
const KNOWN = [TOP, PER_TURN, KNOWLEDGE, FEEDBACK].flatMap((group) => Object.keys(group));

/** The inputs with one option's value in its place. */
function withOption(inputs: CapacityInputs, flag: string, value: number): CapacityInputs {
  if (TOP[flag]) return { ...inputs, [TOP[flag]]: value };
  if (KNOWLEDGE[flag]) return { ...inputs, knowledge: { ...inputs.knowledge, [KNOWLEDGE[flag]]: value } };
  if (FEEDBACK[flag]) return { ...inputs, feedback: { ...inputs.feedback, [FEEDBACK[flag]]: value } };
  return { ...inputs, perTurn: { ...inputs.perTurn, [PER_TURN[flag]!]: value } };
}

export function parseCapacityArgs(argv: readonly string[]): { inputs: CapacityInputs; json: boolean } {
  let inputs: CapacityInputs = DEFAULT_CAPACITY_INPUTS;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (!KNOWN.includes(flag))
      throw new Error(`unknown option ${flag} (known: ${[...KNOWN, '--json'].join(', ')})`);
    const raw = argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value)) throw new Error(`${flag} needs a number`);
    inputs = withOption(inputs, flag, value);
  }
  return { inputs, json };
}

const n = (v: number, digits = 0): string =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const VERDICT_LABEL: Record<QuotaVerdict, string> = {
  within: 'ok',
  increase: 'INCREASE',
  design: 'DESIGN',
  'no-quota': 'no quota',
};

/** The table's opening lines: the inputs and the sizing at peak. */
function planSummary(plan: CapacityPlan): string[] {
  const i = plan.inputs;
  return [
    `Capacity model: ${n(i.conversationsPerDay)} conversations/day x ${i.turnsPerConversation} turns, peak ${i.peakFactor}x, headroom ${i.headroom}x`,
    `  turns/day ${n(plan.turnsPerDay)}; average ${n(plan.averageTurnsPerSecond, 1)} turns/s; peak ${n(plan.peakTurnsPerSecond, 1)} turns/s (${n(plan.peakConversationsPerSecond, 1)} new conversations/s)`,
    `  Lambda: channel ${n(plan.lambda.channelConcurrency)} + fulfillment ${n(plan.lambda.fulfillmentConcurrency)} concurrent at peak; fulfillment reserved concurrency ${plan.lambda.fulfillmentReservedConcurrency}; account needs ${plan.lambda.accountConcurrency}, ${plan.lambda.regionalConcurrency} with the ticket worker`,
    `  Kinesis: ${n(plan.kinesis.recordsPerSecond)} records/s, ${n(plan.kinesis.bytesPerSecond / 1024)} KiB/s -> ${plan.kinesis.shards} shards (minimum ${plan.kinesis.minimumShards}) or ON_DEMAND`,
    `  DynamoDB: ${n(plan.dynamodb.writeUnitsPerSecond)} WCU/s on-demand${plan.dynamodb.preWarm ? ' (pre-warm)' : ''}; Redis: ${n(plan.redis.opsPerSecond)} ops/s, ${plan.redis.connections} connections`,
    `  Knowledge: ${n(i.knowledge.shareOfTurns * 100)}% of turns -> ${n(plan.knowledge.turnsPerSecond, 1)} Retrieve/s, ${n(plan.knowledge.modelCallsPerSecond, 1)} Converse/s, ${n(plan.knowledge.tokensPerMinute / 1e6, 1)}M tokens/min; each answer adds ${n(i.knowledge.answerMs)} ms to its turn`,
    `  Tickets: ${n(plan.tickets.requestsPerSecond, 1)} requests/s (${i.tickets.ticketTurnShare * 100}% of turns) -> SQS ${n(plan.tickets.sqsRequestsPerSecond, 1)} requests/s, worker ${n(plan.tickets.workerInvocationsPerSecond, 1)} invocations/s, ${n(plan.tickets.workerConcurrency, 1)} concurrent (max ${plan.tickets.workerMaxConcurrency}), PutEvents ${n(plan.tickets.putEventsPerSecond, 1)}/s; order lookups ${n(plan.orders.lookupsPerSecond, 1)}/s`,
    `  Feedback: ${i.feedback.perConversation} per conversation -> ${n(plan.feedback.requestsPerSecond, 1)} requests/s (channel invocations), channel ${n(plan.feedback.channelConcurrency, 1)} concurrent, DynamoDB UpdateItem ${n(plan.feedback.writeUnitsPerSecond, 1)} WCU/s, Kinesis ${n(plan.feedback.streamRecordsPerSecond, 1)} records/s (${n(plan.feedback.streamBytesPerSecond / 1024, 1)} KiB/s); counted in the Lambda, Kinesis, DynamoDB and API Gateway totals (channel API ${n(plan.peakChannelRequestsPerSecond, 1)} requests/s)`,
  ];
}

/** One line per dependency, columns aligned; the note (last column) runs on unpadded. */
function dependencyTable(plan: CapacityPlan): string[] {
  const header = [
    'dependency',
    'unit',
    'peak demand',
    'default quota',
    'verdict',
    'request',
    'how it stays inside',
  ];
  const rows = plan.dependencies.map((d) => [
    d.dependency,
    d.unit,
    n(d.demand, d.demand < 100 ? 1 : 0),
    d.quota === undefined ? '-' : n(d.quota),
    VERDICT_LABEL[d.verdict],
    d.requestQuota === undefined ? '' : n(d.requestQuota),
    d.note,
  ]);
  const widths = header.slice(0, 6).map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmtRow = (r: string[]): string =>
    r
      .slice(0, 6)
      .map((cell, c) => (c >= 2 && c <= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ') + `  ${r[6]}`;
  return [
    fmtRow(header),
    widths.map((w) => '-'.repeat(w)).join('  ') + '  ' + '-'.repeat(19),
    ...rows.map(fmtRow),
  ];
}

/** A plain-text table of the plan (what `npm run capacity` prints). */
export function formatCapacityTable(plan: CapacityPlan): string {
  return [...planSummary(plan), '', ...dependencyTable(plan)].join('\n');
}

if (require.main === module) {
  try {
    const { inputs, json } = parseCapacityArgs(process.argv.slice(2));
    const plan = planCapacity(inputs);
    console.log(json ? JSON.stringify(plan, null, 2) : formatCapacityTable(plan));
  } catch (err) {
    console.error(`capacity: ${(err as Error).message}`);
    process.exit(2);
  }
}
