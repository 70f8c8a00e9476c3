import { DEFAULT_CONFIG } from '../../lib/config/environments';
import type { SynthesizedApp } from '../../lib/cost';
import { DEFAULT_OUT, parseCostArgs, runCost } from '../../scripts/cost';

describe('npm run cost arguments', () => {
  it('GIVEN no flags THEN every environment at its configured traffic, the table, cost-report.json', () => {
    expect(parseCostArgs([])).toEqual({ overrides: {}, json: false, out: DEFAULT_OUT });
  });

  it('GIVEN the what-if flags THEN they override traffic, voice and knowledge shares for the chosen environments', () => {
    expect(
      parseCostArgs([
        '--env',
        'prod',
        '--traffic',
        '2000000',
        '--voice-share',
        '0.25',
        '--knowledge-share',
        '0',
        '--json',
        '--out',
        'x.json',
      ]),
    ).toEqual({
      environments: ['prod'],
      overrides: { conversationsPerDay: 2_000_000, voiceShare: 0.25, knowledgeShare: 0 },
      json: true,
      out: 'x.json',
    });
  });

  it('GIVEN a bad value THEN the error names the flag', () => {
    expect(() => parseCostArgs(['--env', 'qa'])).toThrow('--env must be one of dev, staging, prod, got qa');
    expect(() => parseCostArgs(['--traffic', '-3'])).toThrow(/--traffic needs conversations\/day/);
    expect(() => parseCostArgs(['--voice-share', '1.5'])).toThrow(
      /--voice-share needs a share between 0 and 1/,
    );
    expect(() => parseCostArgs(['--knowledge-share'])).toThrow(/--knowledge-share.*got nothing/);
    expect(() => parseCostArgs(['--budget', '3'])).toThrow(/unknown option --budget/);
  });
});

describe('runCost', () => {
  const bot = { Resources: { Bot: { Type: 'AWS::Lex::Bot' } } };
  const fake: SynthesizedApp = {
    stages: { dev: [bot], staging: [bot], prod: [bot] },
    pipeline: {},
    stageStacks: 1,
  };

  it('GIVEN --json and --out WHEN run THEN a progress line, the JSON summary printed and written to the file', () => {
    const io = { progress: jest.fn(), print: jest.fn(), writeFile: jest.fn() };
    const summary = runCost(
      parseCostArgs(['--env', 'dev', '--json', '--out', 'x.json']),
      DEFAULT_CONFIG,
      () => fake,
      io,
    );
    expect(io.progress.mock.calls[0]![0]).toMatch(/^cost: synthesizing/);
    expect(io.writeFile).toHaveBeenCalledWith('x.json', `${JSON.stringify(summary, null, 2)}\n`);
    expect(JSON.parse(io.print.mock.calls[0]![0] as string)).toEqual(summary);
    // only the bot: Lex text and speech requests at dev's configured traffic
    const dev = summary.environments[0]!;
    expect([summary.environments.length, dev.name, dev.topDrivers.map((d) => d.name)]).toEqual([
      1,
      'dev',
      ['Lex requests'],
    ]);
    expect(dev.per1000ConversationsUsd).toBeCloseTo(6 * (0.9 * 0.00075 + 0.1 * 0.004) * 1000, 6);
  });

  it('GIVEN no --json WHEN run THEN the table is printed, naming each environment and its budget verdict', () => {
    const io = { progress: jest.fn(), print: jest.fn(), writeFile: jest.fn() };
    runCost(parseCostArgs([]), DEFAULT_CONFIG, () => fake, io);
    const table = io.print.mock.calls[0]![0] as string;
    expect(table).toMatch(/^dev\s+2,000\s+\$\d/m);
    expect(table).toMatch(/^prod\s+10,000,000\s+\$[\d,]+\s+\$6\.45\s+\$4,000,000 within/m);
    expect(io.writeFile).toHaveBeenCalledWith(DEFAULT_OUT, expect.any(String));
  });

  it('GIVEN an environment in another Region WHEN run THEN a note says it is priced at us-east-1 prices', () => {
    const io = { progress: jest.fn(), print: jest.fn(), writeFile: jest.fn() };
    const config = {
      ...DEFAULT_CONFIG,
      environments: {
        ...DEFAULT_CONFIG.environments,
        prod: { ...DEFAULT_CONFIG.environments.prod, region: 'eu-west-1' },
      },
    };
    runCost(parseCostArgs([]), config, () => fake, io);
    const notes = io.progress.mock.calls.map((c) => c[0] as string).filter((l) => l.includes('note:'));
    expect(notes).toEqual([
      'cost: note: prod is in eu-west-1, priced at us-east-1 list prices (lib/cost/prices.ts)',
    ]);
  });
});
