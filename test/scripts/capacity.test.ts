/** `npm run capacity` (scripts/capacity.ts): its arguments and the table it prints. */
import { DEFAULT_CAPACITY_INPUTS, planCapacity } from '../../lib/config/capacity/model';
import { formatCapacityTable, parseCapacityArgs } from '../../scripts/capacity';

describe('the table for the requirement', () => {
  // GIVEN the defaults
  const plan = planCapacity(DEFAULT_CAPACITY_INPUTS);

  test('GIVEN the defaults WHEN the table is formatted THEN it flags every increase and design choice', () => {
    const table = formatCapacityTable(plan);
    expect(table).toMatch(/peak 2,083\.3 turns\/s/);
    expect(table.match(/INCREASE/g)?.length).toBe(
      plan.dependencies.filter((d) => d.verdict === 'increase').length,
    );
    expect(table).toMatch(/Comprehend DetectSentiment .*DESIGN/);
    // API Gateway's account-level throttle: its rate against the peak, its burst in the note
    expect(table).toMatch(
      /^API Gateway \(account throttle\) +requests\/s +2,153 +10,000 +ok +.*burst bucket \(5000 requests\)/m,
    );
  });

  test('GIVEN the defaults WHEN the table is formatted THEN it prints what feedback adds', () => {
    expect(formatCapacityTable(plan)).toMatch(
      /Feedback: 0\.2 per conversation -> 69\.4 requests\/s \(channel invocations\), channel 4\.2 concurrent, DynamoDB UpdateItem 69\.4 WCU\/s, Kinesis 69\.4 records\/s/,
    );
  });

  test('GIVEN the defaults WHEN the table is formatted THEN one line per dependency under the header and its rule, columns aligned', () => {
    const lines = formatCapacityTable(plan).split('\n');
    const header = lines.indexOf('') + 1;
    expect(lines[header]).toMatch(
      /^dependency +unit +peak demand {2}default quota {2}verdict +request +how it/,
    );
    expect(lines[header + 1]).toMatch(/^-+( +-+)+$/);
    const rows = lines.slice(header + 2);
    expect(rows).toHaveLength(plan.dependencies.length);
    // right-aligned numbers: every row's default quota ends in the same column
    const quotaEnd = lines[header]!.indexOf('default quota') + 'default quota'.length;
    expect(rows.map((r) => r[quotaEnd - 1])).not.toContain(' ');
  });
});

describe('npm run capacity arguments', () => {
  test('GIVEN what-if inputs WHEN the arguments are parsed THEN they override the requirement', () => {
    const { inputs, json } = parseCapacityArgs([
      '--conversations-per-day',
      '864000',
      '--fulfillment-ms',
      '50',
      '--json',
    ]);
    expect(json).toBe(true);
    expect(inputs.conversationsPerDay).toBe(864_000);
    expect(inputs.perTurn.fulfillmentLambdaMs).toBe(50);
    expect(inputs.turnsPerConversation).toBe(6);
  });

  test('GIVEN a knowledge share and answer time WHEN parsed THEN the knowledge inputs change, and the table shows them', () => {
    const { inputs } = parseCapacityArgs(['--knowledge-share', '0.25', '--knowledge-ms', '1500']);
    expect(inputs.knowledge).toMatchObject({ shareOfTurns: 0.25, answerMs: 1500 });
    expect(inputs.perTurn).toEqual(DEFAULT_CAPACITY_INPUTS.perTurn);
    // 2,083.33 x 25% = 520.8 Retrieve/s
    expect(formatCapacityTable(planCapacity(inputs))).toMatch(
      /Knowledge: 25% of turns -> 520\.8 Retrieve\/s, 416\.7 Converse\/s, 82\.5M tokens\/min; each answer adds 1,500 ms/,
    );
  });

  test('GIVEN a feedback share WHEN parsed THEN the feedback inputs change, and the table shows what they add', () => {
    const { inputs } = parseCapacityArgs(['--feedback-per-conversation', '1', '--feedback-ms', '120']);
    expect(inputs.feedback).toMatchObject({ perConversation: 1, channelLambdaMs: 120 });
    expect(inputs.perTurn).toEqual(DEFAULT_CAPACITY_INPUTS.perTurn);
    // 347.22 conversations/s x 1 = 347.2 requests/s x 0.12 s = 41.7 concurrent
    expect(formatCapacityTable(planCapacity(inputs))).toMatch(
      /Feedback: 1 per conversation -> 347\.2 requests\/s \(channel invocations\), channel 41\.7 concurrent, DynamoDB UpdateItem 347\.2 WCU\/s, Kinesis 347\.2 records\/s/,
    );
  });

  test('GIVEN unknown options or missing numbers WHEN the arguments are parsed THEN they are refused', () => {
    expect(() => parseCapacityArgs(['--bogus', '1'])).toThrow(/unknown option --bogus/);
    expect(() => parseCapacityArgs(['--turns'])).toThrow(/--turns needs a number/);
    expect(() => parseCapacityArgs(['--turns', 'many'])).toThrow(/--turns needs a number/);
  });
});
