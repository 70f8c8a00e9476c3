/**
 * The one test that bundles the handlers for real (stack tests skip bundling): each handler goes
 * through PlatformFunction's NodejsFunction bundling with the local esbuild (no Docker), its
 * lazily loaded chunks are built next to it, and the bundle loads in a fresh node process.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { absolute, ESBUILD_OPTIONS, HANDLERS, type HandlerName } from '../../bundling/index';
import { PlatformFunction } from '../../lib/constructs/platform-function';
import { CHUNK_NAMES } from '../../src/chunks';
import { testApp } from '../helpers/app';
import { repoPath } from '../support/paths';

/** What every handler's module init needs to find (the variables its bind methods set). */
const HANDLER_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  CONVERSATION_TABLE_NAME: 'conversations',
  EVENT_STREAM_NAME: 'events',
  REDIS_HOST: 'redis.internal',
  LEX_BOT_ID: 'BOTID12345',
  LEX_BOT_ALIAS_ID: 'ALIAS12345',
  TICKETS_TABLE_NAME: 'tickets',
  TICKET_BUS_NAME: 'tickets-bus',
};

let outdir: string;
const assetDir: Partial<Record<HandlerName, string>> = {};

beforeAll(() => {
  // GIVEN an app that bundles (the stack tests' testApp() skips it)
  const app = testApp({}, { bundle: true });
  const stack = new Stack(app, 'Bundles');
  const fns = Object.entries(HANDLERS).map(
    ([name, { entry, chunks }]) =>
      [
        name as HandlerName,
        new PlatformFunction(stack, name, {
          entry: absolute(entry),
          chunks,
          serviceName: name,
          memorySize: 256,
          timeout: Duration.seconds(5),
          logRetention: logs.RetentionDays.ONE_DAY,
        }),
      ] as const,
  );
  // WHEN it is synthesized
  const assembly = app.synth({ force: true });
  outdir = assembly.directory;
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }>;
  };
  for (const [name, fn] of fns) {
    // The asset is staged as asset.<hash>/, the hash being the S3 key of the function's code.
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
    const key = template.Resources[logicalId]!.Properties.Code!.S3Key!;
    assetDir[name] = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
  }
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe.each(Object.keys(HANDLERS) as HandlerName[])('GIVEN the %s bundle WHEN built', (name) => {
  test('THEN index.js is minified, without a source map, and its chunks sit next to it', () => {
    const dir = assetDir[name]!;
    const index = readFileSync(join(dir, 'index.js'), 'utf8');
    // Node would parse a map while loading the bundle (bundling/index.ts says why not).
    expect(readdirSync(dir).filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(index).not.toContain('sourceMappingURL');
    // minified: long lines (template literals keep a few line breaks)
    expect(index.length / index.split('\n').length).toBeGreaterThan(5000);
    for (const chunk of HANDLERS[name].chunks) {
      expect(statSync(join(dir, `${chunk}.js`)).size).toBeGreaterThan(1000);
    }
  });

  test('THEN it loads in a fresh node process and exports handler', () => {
    const dir = assetDir[name]!;
    const out = execFileSync(
      process.execPath,
      ['-e', `process.stdout.write(typeof require(${JSON.stringify(join(dir, 'index.js'))}).handler)`],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: HANDLER_ENV,
      },
    );
    expect(out).toBe('function');
  });
});

describe('the runtime/infrastructure boundary', () => {
  test.each([...Object.keys(HANDLERS), ...CHUNK_NAMES])(
    'GIVEN the %s entry WHEN bundled THEN no input comes from the CDK folder, aws-cdk-lib or constructs',
    async (name) => {
      const entry = name in HANDLERS ? HANDLERS[name as HandlerName].entry : `src/chunks/${name}.ts`;
      const { metafile } = await build({
        ...ESBUILD_OPTIONS,
        mainFields: [...ESBUILD_OPTIONS.mainFields],
        entryPoints: [absolute(entry)],
        write: false,
        metafile: true,
      });
      const inputs = Object.keys(metafile!.inputs);
      expect(inputs.length).toBeGreaterThan(10);
      expect(
        inputs.filter((p) => /^(lib|bin)\/|node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(p)),
      ).toEqual([]);
    },
  );
});

describe('the semver stand-in (bundling/shims/semver.ts)', () => {
  test('GIVEN the bundles WHEN built THEN semver itself is not in them (its constants module is absent)', () => {
    for (const name of Object.keys(HANDLERS) as HandlerName[]) {
      const index = readFileSync(join(assetDir[name]!, 'index.js'), 'utf8');
      expect({ name, semver: index.includes('SEMVER_SPEC_VERSION') }).toEqual({ name, semver: false });
    }
  });

  test('GIVEN aws-xray-sdk-core WHEN it uses semver THEN only gte, the one function the stand-in has', () => {
    const used = new Set<string>();
    const lib = join(dirname(require.resolve('aws-xray-sdk-core/package.json')), 'dist', 'lib');
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js'))
          for (const m of readFileSync(path, 'utf8').matchAll(/\bsemver\.(\w+)/g)) used.add(m[1]);
      }
    };
    walk(lib);
    expect([...used]).toEqual(['gte']);
  });
});

/**
 * The built-in modules loaded by requiring each bundle and its chunks in a fresh node process, in
 * the Lambda environment (the Tracer's X-Ray SDK and cls-hooked set up their Lambda context).
 */
function builtinsLoadedBy(name: HandlerName): string[] {
  const dir = assetDir[name]!;
  const files = ['index.js', ...HANDLERS[name].chunks.map((c) => `${c}.js`)].map((f) => join(dir, f));
  const loaded = execFileSync(
    process.execPath,
    [
      '-e',
      `for (const f of ${JSON.stringify(files)}) require(f);process.stdout.write(JSON.stringify(process.moduleLoadList))`,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...HANDLER_ENV, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', LAMBDA_TASK_ROOT: dir },
    },
  );
  return JSON.parse(loaded) as string[];
}

describe('the node:http2 stand-in (bundling/shims/node-http2.ts)', () => {
  test('GIVEN each bundle and its chunks WHEN loaded THEN node:http2 is not (every client speaks HTTP/1.1)', () => {
    for (const name of Object.keys(HANDLERS) as HandlerName[]) {
      const http2 = builtinsLoadedBy(name).filter((m) => /http2/.test(m));
      expect({ name, http2 }).toEqual({ name, http2: [] });
    }
  });

  test('GIVEN the SDK HTTP/2 handler bundled with it WHEN it sends a request THEN the server answers, node:http2 loaded by that request', async () => {
    // GIVEN an h2c echo server in this process and the handler bundled as the Lambdas are
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'http2-stand-in-'));
    try {
      const outfile = join(dir, 'index.js');
      await build({
        ...ESBUILD_OPTIONS,
        external: [...ESBUILD_OPTIONS.external],
        mainFields: [...ESBUILD_OPTIONS.mainFields],
        entryPoints: [repoPath('test', 'fixtures', 'bundles', 'http2-request.ts')],
        outfile,
      });
      // WHEN it runs in a fresh process
      const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
        env: { PATH: process.env.PATH, H2_PORT: String((server.address() as AddressInfo).port) },
        timeout: 20_000,
      });
      // THEN
      expect(JSON.parse(stdout)).toEqual({
        loadedAtInit: false,
        loadedAfterRequest: true,
        status: 200,
        body: 'POST /echo ping',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});

describe('the assert stand-in (bundling/shims/node-assert.ts)', () => {
  test('GIVEN each bundle and its chunks WHEN loaded with the Tracer on THEN node:assert is not (cls-hooked’s checks passed without it)', () => {
    for (const name of Object.keys(HANDLERS) as HandlerName[]) {
      const assert = builtinsLoadedBy(name).filter((m) => /^NativeModule assert/.test(m));
      expect({ name, assert }).toEqual({ name, assert: [] });
    }
  });
});

describe('the fulfillment chunks', () => {
  test('GIVEN every chunk of src/chunks WHEN bundled THEN each is listed for the fulfillment function', () => {
    expect([...HANDLERS.fulfillment.chunks].sort()).toEqual([...CHUNK_NAMES].sort());
  });

  test('GIVEN the fulfillment bundle WHEN built THEN the Lex response schema is not in index.js (the handler builds responses; the tests parse them)', () => {
    const index = readFileSync(join(assetDir.fulfillment!, 'index.js'), 'utf8');
    // A message of LexV2ResponseSchema's check (src/lex/response.ts), kept verbatim by the minifier.
    expect(index.includes('Close needs a Fulfilled or Failed intent')).toBe(false);
    expect(index.includes('ElicitSlot needs slotToElicit')).toBe(false);
  });

  test('GIVEN the fulfillment bundle WHEN built THEN what only some turns need is not in index.js but in its chunk, and each chunk loads', () => {
    const dir = assetDir.fulfillment!;
    const index = readFileSync(join(dir, 'index.js'), 'utf8');
    // The SDK clients embed their package name (user agent); ioredis its own name; an adapter a text of its own.
    const markers = {
      comprehend: ['@aws-sdk/client-comprehend'],
      translate: ['@aws-sdk/client-translate'],
      speech: ['@aws-sdk/client-polly', '@aws-sdk/client-s3'],
      sessions: ['@aws-sdk/client-secrets-manager', 'ioredis'],
      knowledge: [
        '@aws-sdk/client-bedrock-agent-runtime',
        '@aws-sdk/client-bedrock-runtime',
        // the adapter (src/adapters/bedrock-knowledge.ts): its system prompt
        'You are the customer support assistant of this company',
      ],
      tickets: ['@aws-sdk/client-sqs'],
    } as const;
    for (const [chunk, names] of Object.entries(markers)) {
      const code = readFileSync(join(dir, `${chunk}.js`), 'utf8');
      for (const marker of names) {
        expect({ marker, inIndex: index.includes(marker), inChunk: code.includes(marker) }).toEqual({
          marker,
          inIndex: false,
          inChunk: true,
        });
      }
    }
    const exported = execFileSync(
      process.execPath,
      [
        '-e',
        `const d=${JSON.stringify(dir)};process.stdout.write(JSON.stringify(${JSON.stringify(CHUNK_NAMES)}.map(c=>Object.keys(require(d+'/'+c+'.js')).sort())))`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH } },
    );
    expect(JSON.parse(exported)).toEqual([
      [
        'RedisConversationGate',
        'RedisSessionStore',
        'SecretsManagerClient',
        'cachedSecret',
        'createRedisClient',
      ],
      ['ComprehendClient', 'DetectDominantLanguageCommand', 'DetectSentimentCommand'],
      ['TranslateClient', 'TranslateTextCommand'],
      [
        'GetObjectCommand',
        'PollyClient',
        'PutObjectCommand',
        'S3Client',
        'SynthesizeSpeechCommand',
        'getSignedUrl',
      ],
      [
        'BedrockAgentRuntimeClient',
        'BedrockKnowledgeBase',
        'BedrockRuntimeClient',
        'ConverseCommand',
        'RetrieveCommand',
      ],
      ['SQSClient', 'SendMessageCommand'],
    ]);
  });
});
