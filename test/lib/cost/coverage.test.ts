import { loadConfig } from '../../../lib/config/load';
import { ENVIRONMENT_NAMES } from '../../../lib/config/types';
import { RESOURCE_TYPE_COVERAGE, uncoveredTypes } from '../../../lib/cost/coverage';
import { inventoryOf, type CfnTemplate } from '../../../lib/cost/inventory';
import { PRICES } from '../../../lib/cost/prices';
import { costSummary } from '../../../lib/cost/report';
import type { EnvironmentCost } from '../../../lib/cost/summary';
import { synthesizeApp, type SynthesizedApp } from '../../../lib/cost/synth';
import { DAYS_PER_MONTH, type TrafficOverrides } from '../../../lib/cost/usage';

const typesOf = (templates: readonly CfnTemplate[]): string[] =>
  templates.flatMap((t) => Object.values(t.Resources ?? {}).map((r) => r.Type));

describe('cost model of the synthesized app', () => {
  const config = loadConfig(() => undefined, {});
  let app: SynthesizedApp;

  beforeAll(() => {
    // one in-process synth of the pipeline and its three stages for the whole file
    app = synthesizeApp(config);
  });

  it('GIVEN every stage and the pipeline WHEN their resource types are collected THEN each is priced or listed as free with a reason', () => {
    const types = [
      ...ENVIRONMENT_NAMES.flatMap((name) => typesOf(app.stages[name])),
      ...typesOf([app.pipeline]),
    ];
    expect(types.length).toBeGreaterThan(100);
    expect(uncoveredTypes(types)).toEqual([]);
  });

  it('GIVEN a resource type the model does not know WHEN checked THEN it is reported', () => {
    expect(uncoveredTypes(['AWS::Lex::Bot', 'AWS::RDS::DBCluster', 'AWS::RDS::DBCluster'])).toEqual([
      'AWS::RDS::DBCluster',
    ]);
  });

  it('GIVEN the coverage table THEN every priced type names existing prices and every free type a one-line reason', () => {
    for (const [type, coverage] of Object.entries(RESOURCE_TYPE_COVERAGE)) {
      if ('priced' in coverage) {
        expect(coverage.priced.length).toBeGreaterThan(0);
        for (const id of coverage.priced) expect([type, id in PRICES]).toEqual([type, true]);
      } else {
        expect(coverage.free).toMatch(/^\S.{9,}$/);
      }
    }
  });

  it('GIVEN prod WHEN its templates are inventoried THEN nodes, endpoints x AZs and function memory come from them', () => {
    const prod = inventoryOf(app.stages.prod);
    const dev = inventoryOf(app.stages.dev);
    expect(prod.redisNodes).toEqual([
      {
        nodeType: config.environments.prod.redis.nodeType,
        count: 1 + config.environments.prod.redis.replicasPerNodeGroup,
      },
    ]);
    expect(dev.redisNodes).toEqual([{ nodeType: 'cache.t4g.small', count: 1 }]);
    expect(prod.interfaceEndpointAzs).toBe(prod.interfaceEndpoints * config.environments.prod.network.maxAzs);
    expect(dev.interfaceEndpointAzs).toBe(dev.interfaceEndpoints * config.environments.dev.network.maxAzs);
    expect(prod.functions.find((f) => f.role === 'fulfillment')).toMatchObject({
      memoryMb: config.environments.prod.lambda.memoryMb,
      arm64: true,
    });
    expect(prod.functions.filter((f) => f.role === 'channel')).toHaveLength(1);
    expect(prod.streams).toEqual([
      { mode: 'PROVISIONED', shards: config.environments.prod.kinesis.shardCount, retentionHours: 168 },
    ]);
    expect(prod.alarmMetrics).toBeGreaterThanOrEqual(prod.alarms);
  });

  it('GIVEN the configured traffic WHEN priced THEN every environment has a monthly cost, a per-1,000 figure, five drivers and a budget verdict', () => {
    const summary = costSummary(config, app, { now: new Date('2026-12-01T00:00:00Z') });
    expect(summary.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    for (const e of summary.environments) {
      expect(e.monthlyUsd).toBeGreaterThan(0);
      expect(e.topDrivers).toHaveLength(5);
      expect(e.withinBudget).toBe(e.monthlyUsd <= config.environments[e.name as 'dev'].cost.monthlyBudgetUsd);
    }
    const prod = summary.environments[2]!;
    // Lex text alone is $4.50 per 1,000 conversations: the whole stage costs more
    expect(prod.per1000ConversationsUsd).toBeGreaterThan(4.5);
    expect(prod.topDrivers[0]!.name).toBe('Lex requests');
    expect(summary.pipeline!.monthlyUsd).toBeGreaterThan(0);
  });

  it('GIVEN the what-if flags WHEN prod is priced THEN voice, knowledge and traffic change what they should', () => {
    const prod = (overrides: TrafficOverrides): EnvironmentCost =>
      costSummary(config, app, { environments: ['prod'], overrides }).environments[0]!;
    const base = prod({});
    const names = (e: EnvironmentCost): string[] => e.topDrivers.map((d) => d.name);
    // no spoken turns: every speech request becomes a text one and Polly says nothing
    const noVoice = prod({ voiceShare: 0 });
    const voiceTurns = base.conversationsPerDay * DAYS_PER_MONTH * 6 * 0.1;
    const lexAndPolly = voiceTurns * (0.004 - 0.00075) + voiceTurns * 150 * 16e-6;
    expect(names(noVoice)).not.toContain('Polly');
    expect(base.monthlyUsd - noVoice.monthlyUsd).toBeGreaterThan(lexAndPolly);
    expect(base.monthlyUsd - noVoice.monthlyUsd).toBeLessThan(lexAndPolly * 1.002); // + the audio bucket
    // no knowledge turns: no guardrail, cheaper
    const noKnowledge = prod({ knowledgeShare: 0 });
    expect(names(noKnowledge)).not.toContain('Bedrock guardrail');
    expect(noKnowledge.monthlyUsd).toBeLessThan(base.monthlyUsd);
    // a tenth of the traffic: about a tenth of the month, the fixed part spread over fewer conversations
    const tenth = prod({ conversationsPerDay: base.conversationsPerDay / 10 });
    expect(tenth.conversationsPerDay).toBe(1_000_000);
    expect(tenth.monthlyUsd).toBeGreaterThan(base.monthlyUsd / 10);
    expect(tenth.monthlyUsd).toBeLessThan(base.monthlyUsd / 9);
    expect(tenth.per1000ConversationsUsd).toBeGreaterThan(base.per1000ConversationsUsd);
    // far more traffic than the budget was set for: over budget
    expect(prod({ conversationsPerDay: 5 * base.conversationsPerDay }).withinBudget).toBe(false);
  });
});
