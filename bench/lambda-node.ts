/**
 * The Node.js the cold-start bench measures with: the major of the functions' runtime
 * (LAMBDA_RUNTIME in lib/constructs/platform-function.ts), not whichever Node runs the bench.
 * Module init cost differs between majors (V8, built-ins): on this 2-core VM the same bundles
 * gave a fulfillment / baseline ratio of 1.52 on Node 20 and 1.51 on 22 (one 61-run bench each)
 * but 1.47-1.49 on 24 (five), so measuring on the wrong one misstates the budget. Lambda runs arm64;
 * this measures the host's architecture.
 *
 * Node's official binaries are on the npm registry as `node-<platform>-<arch>` (what the `node`
 * package installs). The pinned version is fetched once with `npm pack` into
 * node_modules/.cache/lambda-node/ and reused. If that fails (no registry, no binary for this
 * platform), the bench measures with the current Node and records that in results.json.
 * `COLD_START_NODE=/path/to/node` measures with that binary instead (e.g. to compare majors).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDA_RUNTIME } from '../lib/constructs/platform-function';

/** Exact version fetched; keep its major equal to LAMBDA_RUNTIME's (checked below). */
export const LAMBDA_NODE_VERSION = '24.21.0';

export interface BenchNode {
  /** The node binary to spawn. */
  readonly execPath: string;
  /** Its `process.version`. */
  readonly version: string;
  /** The functions' runtime, e.g. `nodejs24.x`. */
  readonly lambdaRuntime: string;
  /** Whether `version` has the runtime's major. */
  readonly matchesLambdaRuntime: boolean;
}

const major = (version: string): number => Number(/^v?(\d+)\./.exec(version)?.[1]);

function runtimeMajor(): number {
  const m = /^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME.name);
  if (!m) throw new Error(`cannot read a Node.js major from the Lambda runtime ${LAMBDA_RUNTIME.name}`);
  return Number(m[1]);
}

/** node-<platform>-<arch>@LAMBDA_NODE_VERSION unpacked under node_modules/.cache; its binary's path. */
function fetchNode(): string {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const dir = join(__dirname, '..', 'node_modules', '.cache', 'lambda-node', `${pkg}-${LAMBDA_NODE_VERSION}`);
  const bin = join(dir, 'package', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(bin)) return bin;
  process.stderr.write(
    `cold-start: fetching Node ${LAMBDA_NODE_VERSION} (${pkg}, about 50 MB) from the npm registry, once ...\n`,
  );
  const tmp = mkdtempSync(join(tmpdir(), 'lambda-node-'));
  try {
    execFileSync('npm', ['pack', `${pkg}@${LAMBDA_NODE_VERSION}`, '--silent', '--pack-destination', tmp], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg}@${LAMBDA_NODE_VERSION} produced no tarball`);
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['xzf', join(tmp, tarball), '-C', dir]);
    return bin;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The binary at `execPath`, asked for its version. */
function describe(execPath: string, wanted: number): BenchNode {
  const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim();
  return {
    execPath,
    version,
    lambdaRuntime: LAMBDA_RUNTIME.name,
    matchesLambdaRuntime: major(version) === wanted,
  };
}

export function benchNode(): BenchNode {
  const wanted = runtimeMajor();
  const override = process.env.COLD_START_NODE;
  if (override) return describe(override, wanted);
  if (major(LAMBDA_NODE_VERSION) !== wanted) {
    throw new Error(
      `bench/lambda-node.ts pins Node ${LAMBDA_NODE_VERSION} but the functions run ${LAMBDA_RUNTIME.name}: update LAMBDA_NODE_VERSION`,
    );
  }
  const current: BenchNode = {
    execPath: process.execPath,
    version: process.version,
    lambdaRuntime: LAMBDA_RUNTIME.name,
    matchesLambdaRuntime: major(process.version) === wanted,
  };
  if (current.matchesLambdaRuntime) return current;
  try {
    return describe(fetchNode(), wanted);
  } catch (err) {
    process.stderr.write(
      `cold-start: no Node ${wanted} (${(err as Error).message.split('\n')[0]}); measuring with ${process.version}, which is not the functions' runtime\n`,
    );
    return current;
  }
}
