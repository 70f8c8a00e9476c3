import { App, Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { DEV, PROD } from '../../../lib/config/environments';
import { loadConfig } from '../../../lib/config/load';
import { ENVIRONMENT_NAMES } from '../../../lib/config/types';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

const STACKS = [
  'Network',
  'Data',
  'Analytics',
  'Knowledge',
  'Tickets',
  'WebFirewall',
  'WebHosting',
  'Bot',
  'Web',
  'Monitoring',
];
/** The one stack outside the stage's region: CloudFront-scope WAF exists in us-east-1 only. */
const US_EAST_1_STACKS = ['WebFirewall'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ACCOUNTS = { dev: '210000000001', staging: '210000000002', prod: '210000000003' };

describe('ConversationalPlatformStage', () => {
  let app: App;
  let stages: ConversationalPlatformStage[];
  let assembly: CloudAssembly;

  beforeAll(() => {
    // GIVEN accounts and a region from context (as cdk.json or -c would give them)
    const context: Record<string, string> = {
      devAccount: ACCOUNTS.dev,
      stagingAccount: ACCOUNTS.staging,
      prodAccount: ACCOUNTS.prod,
      prodRegion: 'eu-west-1',
    };
    const config = loadConfig((key) => context[key], {});
    // Weak references asked for (cdk.json asks for strong): the stage must override it either way.
    app = testApp({ '@aws-cdk/core:defaultCrossStackReferences': 'weak' }, { schemaValidation: false });
    // WHEN the three stages are built and synthesized
    stages = ENVIRONMENT_NAMES.map(
      (name) =>
        new ConversationalPlatformStage(app, name[0].toUpperCase() + name.slice(1), {
          config: config.environments[name],
          loadTestAccount: config.pipeline.account,
        }),
    );
    assembly = app.synth();
  });

  it('GIVEN the three stages WHEN synthesized THEN each holds the ten stacks of the platform (three of them for the web chat)', () => {
    for (const stage of stages) {
      expect(stage.node.children.filter(Stack.isStack).map((s) => s.node.id)).toEqual(STACKS);
    }
  });

  it("GIVEN accounts and a region from context WHEN synthesized THEN every stack deploys to its environment's account and region", () => {
    const expected = { Dev: [ACCOUNTS.dev, 'us-east-1'], Staging: [ACCOUNTS.staging, 'us-east-1'] };
    const all = { ...expected, Prod: [ACCOUNTS.prod, 'eu-west-1'] } as Record<string, string[]>;
    for (const stage of stages) {
      expect([stage.account, stage.region]).toEqual(all[stage.stageName]);
      for (const stack of stage.node.children.filter(Stack.isStack)) {
        const region = US_EAST_1_STACKS.includes(stack.node.id) ? 'us-east-1' : all[stage.stageName][1];
        expect([stack.account, stack.region]).toEqual([all[stage.stageName][0], region]);
      }
    }
  });

  it('GIVEN the three stages WHEN synthesized THEN each is in its own nested cloud assembly with its ten stacks', () => {
    for (const stage of stages) {
      const nested = assembly.getNestedAssembly(`assembly-${stage.stageName}`);
      expect(nested.stacks.map((s) => s.stackName).sort()).toEqual(
        STACKS.map((s) => `${stage.stageName}-${s}`).sort(),
      );
      for (const stack of nested.stacks) {
        expect(stack.environment.account).toBe(stage.account);
      }
    }
  });

  it('GIVEN the three stages WHEN synthesized THEN it is offline: no context is missing (no account lookups)', () => {
    expect(assembly.manifest.missing ?? []).toEqual([]);
    for (const stage of stages) {
      expect(assembly.getNestedAssembly(`assembly-${stage.stageName}`).manifest.missing ?? []).toEqual([]);
    }
  });

  it('GIVEN a stage WHEN synthesized THEN its stacks are ordered: data, analytics, knowledge, tickets and the web hosting before the bot, monitoring last', () => {
    const [dev] = stages;
    const deps = (s: Stack) => s.dependencies.map((d) => d.node.id).sort();
    expect(deps(dev.network)).toEqual([]);
    expect(deps(dev.data)).toEqual(['Network']);
    expect(deps(dev.analytics)).toEqual([]);
    expect(deps(dev.knowledge)).toEqual([]);
    expect(deps(dev.tickets)).toEqual(['Data', 'Knowledge']); // the ticket API's suggestions
    expect(deps(dev.bot)).toEqual(['Analytics', 'Data', 'Knowledge', 'Network', 'Tickets', 'WebHosting']);
    expect(deps(dev.monitoring)).toEqual(
      expect.arrayContaining(['Analytics', 'Bot', 'Data', 'Knowledge', 'Tickets']),
    );
    // the web chat: firewall, then hosting, then the bot (its API's CORS names the distribution), then web
    expect(deps(dev.webHosting)).toEqual(['WebFirewall']);
    expect(deps(dev.bot)).toContain('WebHosting');
    expect(deps(dev.web)).toEqual(['Bot', 'WebHosting']);
  });

  it("GIVEN a stage WHEN synthesized THEN the ticket API may Retrieve from exactly the knowledge stack's knowledge bases, whose ids it is given", () => {
    for (const stage of stages) {
      const nested = assembly.getNestedAssembly(`assembly-${stage.stageName}`);
      const tickets = nested.stacks.find((s) => s.stackName === `${stage.stageName}-Tickets`)!.template;
      const statements = Object.values(tickets.Resources as Record<string, Json>)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Json[]);
      const retrieve = statements.filter((st) => JSON.stringify(st.Action).includes('bedrock:'));
      expect(retrieve).toHaveLength(1);
      expect(retrieve[0]!.Action).toBe('bedrock:Retrieve');
      const resources = retrieve[0]!.Resource as Json[];
      expect(resources).toHaveLength(2); // en_US and es_US
      for (const arn of resources) {
        expect(JSON.stringify(arn)).toMatch(/Fn::ImportValue.*Knowledge/);
      }
      const fn = Object.values(tickets.Resources as Record<string, Json>).find(
        (r) =>
          r.Type === 'AWS::Lambda::Function' &&
          r.Properties.Environment?.Variables?.KNOWLEDGE_BASE_IDS !== undefined,
      );
      expect(JSON.stringify(fn?.Properties.Environment.Variables.KNOWLEDGE_BASE_IDS)).toMatch(/en_US.*es_US/);
    }
  });

  it('GIVEN weak references asked for WHEN synthesized THEN every value a stack takes from another is an export it imports (strong), never Fn::GetStackOutput', () => {
    // the app asks for weak references (Fn::GetStackOutput): the stage overrides it
    expect(app.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences')).toBe('weak');
    for (const stage of stages) {
      const nested = assembly.getNestedAssembly(`assembly-${stage.stageName}`);
      const exported = new Map<string, string>(); // export name -> producing stack
      for (const stack of nested.stacks) {
        for (const output of Object.values((stack.template.Outputs ?? {}) as Record<string, Json>)) {
          if (output.Export) exported.set(output.Export.Name, stack.stackName);
        }
      }
      const imports: Array<{ consumer: string; name: unknown }> = [];
      for (const stack of nested.stacks) {
        const json = JSON.stringify(stack.template);
        // THEN no template reads another stack's outputs weakly
        expect({ stack: stack.stackName, weak: json.includes('Fn::GetStackOutput') }).toEqual({
          stack: stack.stackName,
          weak: false,
        });
        for (const m of json.matchAll(/"Fn::ImportValue":("[^"]*")/g)) {
          imports.push({ consumer: stack.stackName, name: JSON.parse(m[1]) });
        }
      }
      // AND each import names an export of another stack of the same stage, which the consumer
      // depends on (the pipeline deploys the producer first)
      expect(imports.length).toBeGreaterThan(0);
      for (const { consumer, name } of imports) {
        const producer = exported.get(name as string);
        expect({ consumer, name, producer: producer !== undefined }).toEqual({
          consumer,
          name,
          producer: true,
        });
        const consumerStack = stage.node.children
          .filter(Stack.isStack)
          .find((s) => s.stackName === consumer)!;
        expect(consumerStack.dependencies.map((d) => d.stackName)).toContain(producer);
      }
    }
  });

  it('GIVEN a bad config WHEN a stage is built THEN it is refused before anything is built, naming the field', () => {
    const scratch = testApp({}, { schemaValidation: false });
    expect(
      () => new ConversationalPlatformStage(scratch, 'Bad', { config: { ...DEV, account: '12345' } }),
    ).toThrow(/config error: devAccount \(CDK_DEV_ACCOUNT\)/);
    expect(
      () =>
        new ConversationalPlatformStage(scratch, 'Bad2', {
          config: { ...PROD, dynamodb: { ...PROD.dynamodb, ttlDays: 0 } },
        }),
    ).toThrow(/config error: prod\.dynamodb\.ttlDays /);
    expect(scratch.node.findAll().filter(Stack.isStack)).toEqual([]);
  });
});
