/**
 * Chunk: Amazon Bedrock, for knowledge turns only (questions no intent covers): the Knowledge
 * Bases runtime (Retrieve) and the model runtime (Converse with a guardrail), and the adapter
 * that calls them (src/adapters/bedrock-knowledge.ts), which the handler builds on the first
 * knowledge question (src/adapters/deferred-knowledge-base.ts).
 */
export { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
export { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
export { BedrockKnowledgeBase } from '../adapters/bedrock-knowledge';
