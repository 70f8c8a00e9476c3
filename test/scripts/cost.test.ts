import { DEFAULT_OUT, parseCostArgs } from '../../scripts/cost';

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
