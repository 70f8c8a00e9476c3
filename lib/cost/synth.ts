/**
 * Synthesizes the app in-process for the cost model: the pipeline stack with the dev, staging and
 * prod stages inside it, as bin/app.ts builds them (cdk.json's context, so feature flags match
 * `cdk synth`), without asset bundling or nag (neither changes a template's resources), into a
 * temporary directory removed afterwards. Works from a clean clone: no prior `cdk synth` needed.
 */
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig, EnvironmentName } from '../config/types';
import { ENVIRONMENT_NAMES } from '../config/types';
import { PipelineStack } from '../pipeline/pipeline-stack';
import type { CfnTemplate } from './inventory';

export interface SynthesizedApp {
  /** Each environment's stage templates. */
  readonly stages: Readonly<Record<EnvironmentName, readonly CfnTemplate[]>>;
  /** The pipeline stack's own template. */
  readonly pipeline: CfnTemplate;
  /** Stacks per stage (the pipeline deploys each). */
  readonly stageStacks: number;
}

/** cdk.json's context (feature flags), as `cdk synth` passes it. */
export function cdkJsonContext(root: string = join(__dirname, '..', '..')): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;
}

/** Builds and synthesizes the whole app for `config`. */
export function synthesizeApp(config: AppConfig): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'cost-synth-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    });
    const pipeline = new PipelineStack(app, 'ConversationalPlatformPipeline', { config });
    const assembly = app.synth();
    const stages = {} as Record<EnvironmentName, CfnTemplate[]>;
    for (const name of ENVIRONMENT_NAMES) {
      const stage = pipeline.stages[name];
      stages[name] = assembly
        .getNestedAssembly(stage.artifactId)
        .stacks.map((s) => s.template as CfnTemplate);
    }
    return {
      stages,
      pipeline: assembly.getStackByName(pipeline.stackName).template as CfnTemplate,
      stageStacks: stages.prod.length,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
