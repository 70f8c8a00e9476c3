/**
 * How a Bedrock model of the knowledge config is called and granted: the model id Converse takes
 * (a cross-Region inference profile id or the foundation model id) and the resources
 * `bedrock:InvokeModel` must name. Plain strings, no CDK: the config validation uses it too.
 */
import type { KnowledgeConfig } from './types';

/**
 * Cross-Region (system-defined) inference profile prefixes by the Region's geography (Bedrock user
 * guide, "Supported cross-Region inference profiles", read 2026-11-30): a profile routes a request
 * from its source Region to the destination Regions of the same geography.
 */
const GEOGRAPHIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^us-(east|west)-\d$/, 'us'],
  [/^eu-[a-z]+-\d$/, 'eu'],
  [/^ap-[a-z]+-\d$/, 'apac'],
];

/** The inference profile prefix of `region` (`us`, `eu`, `apac`), or undefined where none exists. */
export function inferenceGeography(region: string): string | undefined {
  return GEOGRAPHIES.find(([pattern]) => pattern.test(region))?.[1];
}

/** What the fulfillment calls Converse with, and what its role must be granted for it. */
export interface GenerationModel {
  /** The `modelId` of Converse: `us.amazon.nova-lite-v1:0` or `amazon.nova-lite-v1:0`. */
  readonly modelId: string;
  /** ARN of the inference profile, when called through one. */
  readonly inferenceProfileArn?: string;
  /**
   * Foundation model ARN InvokeModel must allow besides the profile: the Region's own model, or,
   * through a profile, the one model in any Region (`arn:aws:bedrock:*::foundation-model/<id>`):
   * the profile routes to its destination Regions, which the profile defines, not this config
   * (Bedrock user guide, "Prerequisites for inference profiles").
   */
  readonly foundationModelArn: string;
}

/** The generation model of `knowledge` in `region` of `account` (partition `aws` unless given). */
export function generationModel(
  knowledge: Pick<KnowledgeConfig, 'generationModelId' | 'crossRegionInference'>,
  region: string,
  account: string,
  partition = 'aws',
): GenerationModel {
  const id = knowledge.generationModelId;
  if (!knowledge.crossRegionInference) {
    return { modelId: id, foundationModelArn: `arn:${partition}:bedrock:${region}::foundation-model/${id}` };
  }
  const geography = inferenceGeography(region);
  if (geography === undefined) throw new Error(`no cross-Region inference profile geography for ${region}`);
  const modelId = `${geography}.${id}`;
  return {
    modelId,
    inferenceProfileArn: `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`,
    foundationModelArn: `arn:${partition}:bedrock:*::foundation-model/${id}`,
  };
}

/** ARN of the embedding model in `region` (knowledge bases embed in their own Region). */
export function embeddingModelArn(embeddingModelId: string, region: string, partition = 'aws'): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${embeddingModelId}`;
}
