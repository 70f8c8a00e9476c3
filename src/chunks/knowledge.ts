/**
 * Chunk: Amazon Bedrock, for knowledge turns only (questions no intent covers): the Knowledge
 * Bases runtime (Retrieve) and the model runtime (Converse with a guardrail).
 */
export { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
export { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
