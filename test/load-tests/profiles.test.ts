/**
 * Profiles, thresholds and the Artillery command line (local and distributed on Fargate, which
 * cannot run here: the test checks the command that would run), and the CLI's argument errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import { meanTurnsPerConversation } from '../../load-tests/conversations';
import {
  artilleryArgs,
  artilleryOverrides,
  capacityTarget,
  LOCAL_CAPACITY_TURNS_PER_SECOND,
  parseThreshold,
  profileFor,
  SCRIPT_FILE,
  thresholdExpression,
  thresholdsFor,
} from '../../load-tests/profiles';
import { parseArgs, planRun } from '../../load-tests/run';

const overridesOf = (args: string[]) => JSON.parse(args[args.indexOf('--overrides') + 1]!);

describe('profiles', () => {
  test('GIVEN the smoke profile WHEN built THEN it is short: ~25 s of phases with whole-number arrival rates', () => {
    const p = profileFor('smoke', 'local');
    const seconds = p.phases.reduce((n, ph) => n + ph.duration, 0);
    expect(seconds).toBeGreaterThanOrEqual(20);
    expect(seconds).toBeLessThanOrEqual(30);
    for (const ph of p.phases) expect(Number.isInteger(ph.arrivalRate)).toBe(true);
  });

  test('GIVEN the capacity profile WHEN built per environment THEN it aims at the model peak in staging/prod and at a scaled-down rate locally', () => {
    expect(capacityTarget('staging')).toBe(Math.ceil(CAPACITY_PLAN.peakTurnsPerSecond));
    const staging = profileFor('capacity', 'staging');
    const hold = staging.phases.find((p) => p.name === staging.holdPhase)!;
    // arrivals/s x turns/conversation ~ the peak
    expect(hold.arrivalRate * meanTurnsPerConversation()).toBeCloseTo(staging.targetTurnsPerSecond, 6);
    expect(Math.abs(staging.targetTurnsPerSecond - CAPACITY_PLAN.peakTurnsPerSecond)).toBeLessThan(5);
    expect(staging.phases[0]).toMatchObject({ name: 'ramp', arrivalRate: 1, rampTo: hold.arrivalRate });
    expect(profileFor('capacity', 'local').targetTurnsPerSecond).toBeLessThan(200);
  });

  test('GIVEN the local capacity profile WHEN built THEN it aims at what this machine sustained with p99 under 100 ms, the figure docs/load-testing.md gives', () => {
    // measured after the loopback plumbing was cut (docs/load-testing.md, Local capacity)
    expect(LOCAL_CAPACITY_TURNS_PER_SECOND).toBe(60);
    expect(capacityTarget('local')).toBe(LOCAL_CAPACITY_TURNS_PER_SECOND);
    const local = profileFor('capacity', 'local');
    // whole conversations per second: the planned rate is the nearest multiple of a conversation's turns
    expect(Math.abs(local.targetTurnsPerSecond - LOCAL_CAPACITY_TURNS_PER_SECOND)).toBeLessThanOrEqual(
      meanTurnsPerConversation() / 2,
    );
    const doc = readFileSync(join(__dirname, '../../docs/load-testing.md'), 'utf8');
    expect(doc).toContain(`local capacity target is **${LOCAL_CAPACITY_TURNS_PER_SECOND} turns/s**`);
    expect(doc).toContain(
      `hold 45 s at ${local.targetTurnsPerSecond} turns/s (\`LOCAL_CAPACITY_TURNS_PER_SECOND\``,
    );
  });

  test('GIVEN the soak profile WHEN deployed THEN it holds the average rate for hours', () => {
    const soak = profileFor('soak', 'prod');
    expect(soak.phases.find((p) => p.name === 'soak')!.duration).toBeGreaterThanOrEqual(3600);
    expect(soak.targetTurnsPerSecond).toBeLessThan(CAPACITY_PLAN.peakTurnsPerSecond);
  });

  test('GIVEN the thresholds of each environment WHEN compared THEN staging/prod are stricter than dev, and smoke allows no failed conversation', () => {
    const dev = thresholdsFor(profileFor('smoke', 'dev'), 'dev');
    const prod = thresholdsFor(profileFor('capacity', 'prod'), 'prod');
    const p99 = (ts: ReturnType<typeof thresholdsFor>) =>
      ts.find((t) => t.metric === 'http.response_time.p99')!.max!;
    expect(p99(prod)).toBeLessThan(p99(dev));
    expect(dev.find((t) => t.metric === 'vusers.failed')).toMatchObject({ max: 0 });
    expect(prod.find((t) => t.metric === 'vusers.failed')).toMatchObject({
      per: 'vusers.created',
      max: 0.005,
    });
    // only metrics Artillery always reports
    for (const t of [...dev, ...prod])
      expect([
        'vusers.failed',
        'http.response_time.p95',
        'http.response_time.p99',
        'http.request_rate',
      ]).toContain(t.metric);
  });

  test('GIVEN command-line thresholds WHEN parsed THEN they become ensure expressions', () => {
    expect(thresholdExpression(parseThreshold('http.response_time.p99<=1'))).toBe(
      'http.response_time.p99 <= 1',
    );
    expect(thresholdExpression(parseThreshold('vusers.failed / vusers.created < 0.02'))).toBe(
      'vusers.failed / vusers.created <= 0.02',
    );
    expect(parseThreshold('http.request_rate>=10')).toMatchObject({ min: 10 });
    expect(() => parseThreshold('p99 is low')).toThrow(/threshold must look like/);
  });
});

describe('the Artillery command line', () => {
  const opts = parseArgs([
    '--target',
    'https://abc.execute-api.us-east-1.amazonaws.com',
    '--profile',
    'capacity',
    '--env',
    'staging',
  ]);

  test('GIVEN one process WHEN the command is planned THEN artillery run with the profile as overrides and an output file', () => {
    const run = planRun(opts, '/tmp/out.json');
    const args = artilleryArgs(run);
    expect(args.slice(0, 2)).toEqual(['run', SCRIPT_FILE]);
    expect(args).toEqual(expect.arrayContaining(['--target', opts.target, '--output', '/tmp/out.json']));
    const o = overridesOf(args);
    expect(o.config.processor).toBe('./dist/processor.js');
    expect(o.config.phases.map((p: { name: string }) => p.name)).toEqual(['ramp', 'hold']);
    expect(o.config.plugins.ensure.conditions).toContainEqual({
      expression: 'http.response_time.p99 <= 1500',
      strict: true,
    });
  });

  test('GIVEN --distributed 10 WHEN the command is planned THEN artillery run-fargate --count 10, each worker sending a tenth of the rate', () => {
    const run = {
      ...planRun({ ...opts, workers: 10 }, '/tmp/out.json'),
      region: 'eu-west-1',
      subnetIds: 'subnet-1,subnet-2',
      securityGroupIds: 'sg-1',
      dotenvFile: '/tmp/fargate.env',
    };
    const args = artilleryArgs(run);
    expect(args.slice(0, 4)).toEqual(['run-fargate', SCRIPT_FILE, '--count', '10']);
    expect(args).toEqual(
      expect.arrayContaining([
        '--region',
        'eu-west-1',
        '--subnet-ids',
        'subnet-1,subnet-2',
        '--security-group-ids',
        'sg-1',
        '--dotenv',
        '/tmp/fargate.env',
        '--output',
        '/tmp/out.json',
      ]),
    );
    const single = artilleryOverrides({ ...run, workers: 0 }).config as { phases: { arrivalRate: number }[] };
    const perWorker = overridesOf(args).config.phases as { arrivalRate: number; maxVusers: number }[];
    expect(perWorker[1]!.arrivalRate).toBe(Math.round(single.phases[1]!.arrivalRate / 10));
  });
});

describe('npm run loadtest arguments', () => {
  test('GIVEN no --env or --out WHEN parsed THEN the defaults: env from the target (local for loopback), reports/ as the output directory', () => {
    expect(parseArgs(['--target', 'http://127.0.0.1:3000/', '--profile', 'smoke'])).toMatchObject({
      target: 'http://127.0.0.1:3000',
      env: 'local',
      workers: 0,
      outDir: 'reports',
    });
    expect(
      parseArgs(['--target=https://api.example.com', '--profile=soak', '--distributed=4']),
    ).toMatchObject({
      env: 'dev',
      workers: 4,
    });
  });

  test.each([
    [['--profile', 'smoke'], /--target is required/],
    [['--target', 'http://127.0.0.1:3000'], /--profile is required/],
    [
      ['--target', 'http://127.0.0.1:3000', '--profile', 'stress'],
      /unknown profile "stress": use one of smoke, capacity, soak/,
    ],
    [['--target', 'not a url', '--profile', 'smoke'], /--target must be an http\(s\) URL/],
    [['--target', 'ftp://example.com', '--profile', 'smoke'], /--target must be an http\(s\) URL/],
    [['--target', 'https://x.example.com', '--profile', 'smoke', '--env', 'qa'], /unknown env "qa"/],
    [
      ['--target', 'https://x.example.com', '--profile', 'smoke', '--distributed', '0'],
      /--distributed must be a whole number/,
    ],
    [
      ['--target', 'http://127.0.0.1:3000', '--profile', 'capacity', '--distributed', '2'],
      /cannot reach a local target/,
    ],
    [
      ['--target', 'https://x.example.com', '--profile', 'smoke', '--rate', '-3'],
      /--rate must be a positive/,
    ],
    [['--target', 'https://x.example.com', '--profile', 'smoke', '--bogus'], /unknown option "--bogus"/],
    [['--target'], /--target needs a value/],
  ])('GIVEN %j WHEN parsed THEN it is refused', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
