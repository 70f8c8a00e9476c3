/**
 * `npm run capacity [-- --conversations-per-day N --turns N --peak-factor N --channel-ms N
 *   --fulfillment-ms N --code-hooks-per-turn N --comprehend-per-turn N --polly-per-turn N --json]`
 * Prints the capacity model (lib/config/capacity.ts) for the requirement or for what-if inputs.
 */
import {
  DEFAULT_CAPACITY_INPUTS,
  formatCapacityTable,
  planCapacity,
  type CapacityInputs,
  type PerTurnCost,
} from '../lib/config/capacity';

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

export function parseCapacityArgs(argv: readonly string[]): { inputs: CapacityInputs; json: boolean } {
  let inputs: CapacityInputs = DEFAULT_CAPACITY_INPUTS;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') {
      json = true;
      continue;
    }
    const key = TOP[flag] ?? PER_TURN[flag];
    if (!key)
      throw new Error(
        `unknown option ${flag} (known: ${[...Object.keys(TOP), ...Object.keys(PER_TURN), '--json'].join(', ')})`,
      );
    const raw = argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value)) throw new Error(`${flag} needs a number`);
    inputs = TOP[flag]
      ? { ...inputs, [key]: value }
      : { ...inputs, perTurn: { ...inputs.perTurn, [key]: value } };
  }
  return { inputs, json };
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
