/**
 * The delivery pipeline's cost (the tooling account, shared by the three environments): CodeBuild
 * minutes of each project, CodePipeline V2 action minutes, and the Fargate workers of distributed
 * load tests, at PIPELINE_USAGE's runs a month.
 */
import type { EnvironmentConfig } from '../config/types';
import type { CfnTemplate } from './inventory';
import { PIPELINE_USAGE } from './usage';
import { line, type CostLine } from './lines/context';

/** Build minutes of one run of a CodeBuild project, from its logical id. */
export function buildMinutes(logicalId: string): number {
  return (
    PIPELINE_USAGE.buildMinutes.find(([pattern]) => pattern.test(logicalId))?.[1] ??
    PIPELINE_USAGE.otherMinutes
  );
}

/** The pipeline stack's lines: `stageStacks` stacks deployed a run, `environments` for their load tests. */
export function pricePipeline(
  template: CfnTemplate,
  stageStacks: number,
  environments: readonly EnvironmentConfig[],
): CostLine[] {
  const resources = Object.values(template.Resources ?? {});
  const projects = Object.entries(template.Resources ?? {}).filter(
    ([, r]) => r.Type === 'AWS::CodeBuild::Project',
  );
  const runs = PIPELINE_USAGE.runsPerMonth;
  const minutesPerRun = projects.reduce((n, [id]) => n + buildMinutes(id), 0);
  const actionMinutes = minutesPerRun + stageStacks * PIPELINE_USAGE.deployActionMinutesPerStack;
  const workers = environments.filter((e) => e.loadTest.profile).reduce((n, e) => n + e.loadTest.workers, 0);
  const fargateHours = (runs * workers * PIPELINE_USAGE.fargateMinutesPerRun) / 60;
  return [
    line('CodeBuild', 'codeBuildMediumMinute', runs * minutesPerRun),
    line('CodePipeline', 'codePipelineActionMinute', runs * actionMinutes),
    line('Fargate (load-test workers)', 'fargateVcpuHour', fargateHours * PIPELINE_USAGE.fargateVcpu),
    line('Fargate (load-test workers)', 'fargateGbHour', fargateHours * PIPELINE_USAGE.fargateMemoryGb),
    line('KMS', 'kmsKey', resources.filter((r) => r.Type === 'AWS::KMS::Key').length),
  ];
}
