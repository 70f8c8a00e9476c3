/**
 * What the cost model assumes about one turn, one conversation and one month besides the capacity
 * model's per-turn figures (lib/config/capacity/model.ts): sizes, log bytes, sampling, the pipeline's
 * runs. Every figure is an estimate to replace with a measured one (docs/cost.md, "Assumptions").
 */
import { DEFAULT_CAPACITY_INPUTS, type CapacityInputs } from '../config/capacity/model';
import type { EnvironmentConfig } from '../config/types';

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export const USAGE = {
  /** Characters Polly speaks per voice turn (one short answer). */
  pollyCharactersPerVoiceTurn: 150,
  /** Comprehend units per call: messages are short, so the 3-unit (300-character) minimum. */
  comprehendUnitsPerCall: 3,
  /** Characters per Translate call (a message in, or an answer out). */
  translateCharactersPerCall: 150,
  /** Bytes a conversation-table item takes with its key and attribute names. */
  contextItemOverheadBytes: 100,
  /** Feedback ratings per conversation (each an UpdateItem and a GetItem on the conversation table). */
  feedbackPerConversation: 0.2,
  /** Read units of the conversation history a ticket copies (a strongly consistent Query). */
  historyReadUnitsPerTicket: 2,
  /** Bytes of a ticket item, and the months of tickets the table keeps (it has no TTL). */
  ticketItemBytes: 2048,
  ticketRetentionMonths: 12,
  /** Desk API calls per ticket (list, read, update), and their duration. */
  ticketsApiCallsPerTicket: 3,
  ticketsApiMs: 100,
  /** Knowledge: tokens of a question embedded by Retrieve, tokens of an answer (maxTokens is 300). */
  knowledgeQueryTokens: 30,
  knowledgeOutputTokens: 150,
  /** The corpus (docs/decisions/vector-store.md): vectors per locale index, bytes a vector, tokens. */
  vectorsPerIndex: 25_000,
  vectorBytes: 4_200,
  corpusTokens: 25_600_000,
  /** Share of the corpus re-embedded a month (documents changed), and sync invocations a month. */
  corpusChangedPerMonth: 0.1,
  knowledgeSyncInvocationsPerMonth: 100,
  knowledgeSyncMs: 1_000,
  /** GZIP output / input of the analytics events. */
  analyticsCompression: 0.2,
  /** Bytes of one voice answer in the audio bucket (MP3, kept a day). */
  audioBytesPerVoiceTurn: 30_000,
  /** Log bytes: each invocation's START/END/REPORT lines, and each source per turn or request. */
  logBytes: {
    lambdaPlatformPerInvocation: 350,
    channelPerTurn: 1_200,
    fulfillmentPerInvocation: 1_500,
    apiAccessPerRequest: 400,
    lexConversationPerTurn: 2_500,
    flowLogPerTurn: 100,
  },
  /** Stored (compressed) bytes per ingested byte of CloudWatch Logs. */
  logCompression: 0.15,
  /** Bytes a turn sends and receives through interface endpoints (Kinesis, Comprehend, Bedrock, Polly...). */
  endpointBytesPerTurn: 6_000,
  /** X-Ray's default sampling rule: the first request a second, then 5 %. */
  xrayReservoirPerSecond: 1,
  xrayFixedRate: 0.05,
  /** KMS: a warm Lambda environment refreshes a cached data key every 5 minutes per key on the hot path. */
  kmsRefreshesPerHour: 12,
  kmsHotPathKeys: 3,
  /** Web chat: share of conversations started from it, and what one page load fetches (bench/results.json widget, gzip). */
  webChatShareOfConversations: 1,
  widgetRequestsPerConversation: 5,
  widgetBytesPerConversation: 22_000,
  /** The ticket queue's idle long polls: 5 pollers, one 20 s poll each. */
  sqsIdlePollsPerSecond: 5 / 20,
  /** Bytes of one archived ticket event. */
  ticketEventBytes: 1_000,
} as const;

/** The pipeline (tooling account): runs a month and what each CodeBuild project and action takes. */
export const PIPELINE_USAGE = {
  runsPerMonth: 20,
  /** Build minutes per run, by CodeBuild project logical id (first match); others take `otherMinutes`. */
  buildMinutes: [
    [/Synth/, 12],
    [/SelfMutation/, 3],
    [/StagingLoadTest/, 16],
    [/DevLoadTest/, 4],
    [/HealthCheck/, 1],
    [/FileAsset/, 1.5],
  ] as readonly (readonly [RegExp, number])[],
  otherMinutes: 2,
  /** CloudFormation deploy actions: minutes each, per stack (prepare + deploy). */
  deployActionMinutesPerStack: 3,
  /** Artillery's Fargate workers: minutes per distributed load test, task size. */
  fargateMinutesPerRun: 16,
  fargateVcpu: 4,
  fargateMemoryGb: 8,
} as const;

/** The traffic one environment is priced at. */
export interface Traffic {
  readonly conversationsPerDay: number;
  /** Share of turns spoken (Lex speech request + Polly answer), 0..1. */
  readonly voiceShare: number;
  /** Share of turns answered from the knowledge base, 0..1. */
  readonly knowledgeShare: number;
}

/** Flags that override an environment's configured traffic. */
export interface TrafficOverrides {
  readonly conversationsPerDay?: number;
  readonly voiceShare?: number;
  readonly knowledgeShare?: number;
}

/**
 * An environment's traffic: `traffic.conversationsPerDay` from config, the voice share from the
 * capacity model (Polly calls per turn = voice turns), the knowledge share from `knowledge.shareOfTurns`.
 */
export function trafficOf(
  env: EnvironmentConfig,
  overrides: TrafficOverrides = {},
  capacity: CapacityInputs = DEFAULT_CAPACITY_INPUTS,
): Traffic {
  return {
    conversationsPerDay: overrides.conversationsPerDay ?? env.traffic.conversationsPerDay,
    voiceShare: overrides.voiceShare ?? capacity.perTurn.pollyCallsPerTurn,
    knowledgeShare: overrides.knowledgeShare ?? env.knowledge.shareOfTurns,
  };
}

/** Monthly volumes at a traffic, with the capacity model's per-turn figures. */
export interface MonthlyVolumes {
  readonly conversations: number;
  readonly turns: number;
  readonly voiceTurns: number;
  readonly knowledgeTurns: number;
  /** Knowledge turns whose passages reach the model. */
  readonly modelTurns: number;
  readonly codeHookInvocations: number;
  readonly tickets: number;
  readonly feedback: number;
  /** Average ms per turn: the channel function (it waits for Lex and the code hook) and the fulfillment. */
  readonly channelMsPerTurn: number;
  readonly fulfillmentMsPerTurn: number;
}

export function monthlyVolumes(
  traffic: Traffic,
  capacity: CapacityInputs = DEFAULT_CAPACITY_INPUTS,
): MonthlyVolumes {
  const t = capacity.perTurn;
  const conversations = traffic.conversationsPerDay * DAYS_PER_MONTH;
  const turns = conversations * capacity.turnsPerConversation;
  const knowledgeTurns = turns * traffic.knowledgeShare;
  const knowledgeMs = traffic.knowledgeShare * capacity.knowledge.answerMs;
  return {
    conversations,
    turns,
    voiceTurns: turns * traffic.voiceShare,
    knowledgeTurns,
    modelTurns: knowledgeTurns * capacity.knowledge.modelShare,
    codeHookInvocations: turns * t.codeHookInvocationsPerTurn,
    tickets: turns * capacity.tickets.ticketTurnShare,
    feedback: conversations * USAGE.feedbackPerConversation,
    channelMsPerTurn: t.channelLambdaMs + knowledgeMs,
    fulfillmentMsPerTurn: t.codeHookInvocationsPerTurn * t.fulfillmentLambdaMs + knowledgeMs,
  };
}
