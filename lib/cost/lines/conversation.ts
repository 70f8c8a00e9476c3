/**
 * Cost lines of the conversation's managed AI services: Lex, Comprehend, Translate, Polly, and the
 * knowledge answers (embeddings, the generation model, the guardrail, S3 Vectors).
 */
import { EMBEDDING_MODEL_PRICES, GENERATION_MODEL_PRICES } from '../prices';
import { USAGE } from '../usage';
import { GB, TB, hasFunction, line, type Context, type CostLine } from './context';

/** Lex: a request per turn, speech for the voice share. */
export function lex({ volumes: v, inventory }: Context): CostLine[] {
  if (inventory.lexBots === 0) return [];
  return [
    line('Lex requests', 'lexTextRequest', v.turns - v.voiceTurns),
    line('Lex requests', 'lexSpeechRequest', v.voiceTurns),
  ];
}

/** Comprehend (sentiment on every turn, language on some), Translate, Polly. */
export function languageServices({ inventory, volumes: v, capacity }: Context): CostLine[] {
  if (!hasFunction(inventory, 'fulfillment')) return [];
  const t = capacity.perTurn;
  const comprehendCalls = v.turns * (t.comprehendSentimentCallsPerTurn + t.comprehendLanguageCallsPerTurn);
  return [
    line('Comprehend', 'comprehendUnit', comprehendCalls * USAGE.comprehendUnitsPerCall),
    line(
      'Translate',
      'translateCharacter',
      v.turns * t.translateCallsPerTurn * USAGE.translateCharactersPerCall,
    ),
    line('Polly', 'pollyNeuralCharacter', v.voiceTurns * USAGE.pollyCharactersPerVoiceTurn),
  ];
}

/** Bedrock: query embeddings, the generation model, the guardrail's policies, S3 Vectors. */
export function knowledge({ inventory, env, volumes: v, capacity }: Context): CostLine[] {
  if (inventory.knowledgeBases === 0) return [];
  const k = capacity.knowledge;
  const model = GENERATION_MODEL_PRICES[env.knowledge.generationModelId];
  const embedding = EMBEDDING_MODEL_PRICES[env.knowledge.embeddingModelId];
  if (!model || !embedding) {
    const id = model ? env.knowledge.embeddingModelId : env.knowledge.generationModelId;
    throw new Error(`no price for Bedrock model ${id}: add it to lib/cost/prices.ts`);
  }
  const g = inventory.guardrailPolicies;
  const policyUnits =
    v.knowledgeTurns * k.questionTextUnits + v.modelTurns * (k.questionTextUnits + k.answerTextUnits);
  const groundingUnits =
    v.modelTurns * (k.groundingSourceTextUnits + k.questionTextUnits + k.answerTextUnits);
  const queryTb = (inventory.vectorIndexes > 0 ? USAGE.vectorsPerIndex * USAGE.vectorBytes : 0) / TB;
  return [
    line(
      'Bedrock model',
      embedding,
      v.knowledgeTurns * USAGE.knowledgeQueryTokens + USAGE.corpusTokens * USAGE.corpusChangedPerMonth,
    ),
    line('Bedrock model', model.input, v.modelTurns * k.inputTokens),
    line('Bedrock model', model.output, v.modelTurns * USAGE.knowledgeOutputTokens),
    line('Bedrock guardrail', 'guardrailContentUnit', g.content > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailTopicUnit', g.topic > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailPiiUnit', g.pii > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailGroundingUnit', g.grounding > 0 ? groundingUnits : 0),
    line('S3 Vectors', 's3VectorsQuery', inventory.vectorIndexes > 0 ? v.knowledgeTurns : 0),
    line('S3 Vectors', 's3VectorsQueryDataTb', v.knowledgeTurns * queryTb),
    line(
      'S3 Vectors',
      's3VectorsStorageGbMonth',
      (inventory.vectorIndexes * USAGE.vectorsPerIndex * USAGE.vectorBytes) / GB,
    ),
  ];
}
