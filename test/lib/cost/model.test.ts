import { DEV, PROD } from '../../../lib/config/environments';
import { inventoryOf, type CfnTemplate } from '../../../lib/cost/inventory';
import { priceStage, type CostLine } from '../../../lib/cost/model';
import { PRICES, elastiCacheNodeHour, monthlyCost } from '../../../lib/cost/prices';
import { environmentCost } from '../../../lib/cost/summary';
import { DAYS_PER_MONTH, HOURS_PER_MONTH, trafficOf, type Traffic } from '../../../lib/cost/usage';

const template = (
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
): CfnTemplate => ({
  Resources: resources,
});
const sum = (lines: readonly CostLine[], driver?: string): number =>
  lines.filter((l) => driver === undefined || l.driver === driver).reduce((n, l) => n + l.monthlyUsd, 0);
/** USD per 1,000 conversations of a month's lines. */
const per1000 = (usd: number, traffic: Traffic): number =>
  (usd / (traffic.conversationsPerDay * DAYS_PER_MONTH)) * 1000;

const LEX_ONLY = inventoryOf([template({ Bot: { Type: 'AWS::Lex::Bot' } })]);
const LEX_AND_FULFILLMENT = inventoryOf([
  template({
    Bot: { Type: 'AWS::Lex::Bot' },
    Fulfillment12345678: {
      Type: 'AWS::Lambda::Function',
      Properties: { MemorySize: 1024, Architectures: ['arm64'] },
    },
  }),
]);

describe('cost model arithmetic', () => {
  it('GIVEN text-only turns WHEN Lex is priced THEN 6 turns x $0.00075 = $4.50 per 1,000 conversations', () => {
    const traffic: Traffic = { conversationsPerDay: 10_000_000, voiceShare: 0, knowledgeShare: 0.1 };
    const lex = sum(priceStage(LEX_ONLY, PROD, traffic), 'Lex requests');
    expect(per1000(lex, traffic)).toBeCloseTo(4.5, 6);
    // about $45,000 a day at 10 million conversations
    expect(lex / DAYS_PER_MONTH).toBeCloseTo(45_000, 0);
  });

  it('GIVEN a voice share WHEN Lex and Polly are priced THEN speech requests replace text requests for that share', () => {
    const text: Traffic = { conversationsPerDay: 1000, voiceShare: 0, knowledgeShare: 0.1 };
    const half = { ...text, voiceShare: 0.5 };
    expect(per1000(sum(priceStage(LEX_ONLY, PROD, half), 'Lex requests'), half)).toBeCloseTo(
      3 * 0.00075 * 1000 + 3 * 0.004 * 1000,
      6,
    );
    expect(sum(priceStage(LEX_AND_FULFILLMENT, PROD, text), 'Polly')).toBe(0);
    expect(per1000(sum(priceStage(LEX_AND_FULFILLMENT, PROD, half), 'Polly'), half)).toBeCloseTo(
      3 * 150 * 16e-6 * 1000,
      6,
    );
    // without the fulfillment function nothing calls Polly
    expect(sum(priceStage(LEX_ONLY, PROD, half), 'Polly')).toBe(0);
  });

  it('GIVEN twice the traffic WHEN priced THEN per-request lines double and endpoint-hours stay', () => {
    const inventory = inventoryOf([
      template({
        Bot: { Type: 'AWS::Lex::Bot' },
        Ep: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b', 'c'] },
        },
      }),
    ]);
    const one = trafficOf(PROD);
    const two = trafficOf(PROD, { conversationsPerDay: 2 * PROD.traffic.conversationsPerDay });
    const a = priceStage(inventory, PROD, one);
    const b = priceStage(inventory, PROD, two);
    expect(sum(b, 'Lex requests')).toBeCloseTo(2 * sum(a, 'Lex requests'), 6);
    const hours = (lines: CostLine[]): number =>
      lines.find((l) => l.price === 'interfaceEndpointAzHour')!.monthlyUsd;
    expect(hours(a)).toBeCloseTo(3 * HOURS_PER_MONTH * 0.01, 6);
    expect(hours(b)).toBe(hours(a));
  });

  it('GIVEN a knowledge share WHEN Bedrock is priced THEN the model and guardrail lines scale with it', () => {
    const inventory = inventoryOf([
      template({
        Kb: { Type: 'AWS::Bedrock::KnowledgeBase' },
        Index: { Type: 'AWS::S3Vectors::Index' },
        G: {
          Type: 'AWS::Bedrock::Guardrail',
          Properties: { ContentPolicyConfig: {}, ContextualGroundingPolicyConfig: {} },
        },
      }),
    ]);
    const at = (knowledgeShare: number): CostLine[] =>
      priceStage(inventory, PROD, trafficOf(PROD, { knowledgeShare }));
    const guardrail = (lines: CostLine[]): number => sum(lines, 'Bedrock guardrail');
    expect(guardrail(at(0.2))).toBeCloseTo(2 * guardrail(at(0.1)), 6);
    expect(guardrail(at(0))).toBe(0);
    // no topic or PII policy in this guardrail: those lines are zero
    expect(
      at(0.1)
        .filter((l) => l.price === 'guardrailTopicUnit' || l.price === 'guardrailPiiUnit')
        .map((l) => l.monthlyUsd),
    ).toEqual([0, 0]);
  });

  it('GIVEN a Redis replication group WHEN priced THEN nodes x hours x the node type price', () => {
    const inventory = inventoryOf([
      template({
        R: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { CacheNodeType: 'cache.r7g.xlarge', NumNodeGroups: 1, ReplicasPerNodeGroup: 2 },
        },
      }),
    ]);
    const lines = priceStage(inventory, PROD, trafficOf(PROD));
    expect(sum(lines, 'ElastiCache (3 x cache.r7g.xlarge)')).toBeCloseTo(3 * HOURS_PER_MONTH * 0.437, 6);
    expect(() => elastiCacheNodeHour('cache.x9.huge')).toThrow(/cache\.x9\.huge.*lib\/cost\/prices\.ts/);
  });

  it('GIVEN a tiered price WHEN a month crosses a tier THEN each band is charged at its own rate', () => {
    expect(monthlyCost(PRICES.httpApiRequest, 400e6)).toBeCloseTo(300 + 90, 6);
    expect(monthlyCost(PRICES.httpApiRequest, 100e6)).toBeCloseTo(100, 6);
    expect(monthlyCost(PRICES.lexTextRequest, 1000)).toBeCloseTo(0.75, 9);
  });

  it('GIVEN a budget WHEN the month is over it THEN the environment is not within budget', () => {
    const lines: CostLine[] = [
      { driver: 'A', price: 'lexTextRequest', quantity: 1, monthlyUsd: 600 },
      { driver: 'B', price: 'kmsKey', quantity: 1, monthlyUsd: 400 },
    ];
    const over = environmentCost('dev', 1000, lines, 900);
    expect(over).toMatchObject({ monthlyUsd: 1000, withinBudget: false, monthlyBudgetUsd: 900 });
    expect(over.topDrivers.map((d) => [d.name, d.share])).toEqual([
      ['A', 0.6],
      ['B', 0.4],
    ]);
    expect(over.per1000ConversationsUsd).toBeCloseTo((1000 / (1000 * DAYS_PER_MONTH)) * 1000, 9);
    expect(environmentCost('dev', 1000, lines, 1000).withinBudget).toBe(true);
  });

  it("GIVEN an environment WHEN its traffic is read THEN config's conversations and knowledge share, overridden by flags", () => {
    expect(trafficOf(DEV)).toMatchObject({
      conversationsPerDay: DEV.traffic.conversationsPerDay,
      knowledgeShare: DEV.knowledge.shareOfTurns,
    });
    expect(trafficOf(DEV, { conversationsPerDay: 5, voiceShare: 0.3 })).toMatchObject({
      conversationsPerDay: 5,
      voiceShare: 0.3,
    });
  });
});

describe('price table', () => {
  it('GIVEN every price THEN it has a unit, a positive USD price, a region, an AWS pricing page and the date checked', () => {
    for (const [id, p] of Object.entries(PRICES)) {
      expect([id, p.unit.length > 0, p.usd > 0, p.region, p.source, p.checked]).toEqual([
        id,
        true,
        true,
        'us-east-1',
        expect.stringMatching(/^https:\/\/aws\.amazon\.com\/[\w/-]+\/pricing\/([\w-]+\/)?$/),
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      ]);
    }
  });
});
