/**
 * Small pieces of Lex's dialog state the local runtime builds: empty intents, slots filled
 * from the NLU's findings, the next missing required slot, interpretations, plain-text
 * messages and closing responses with their slots filled in.
 */
import type { IntentDefinition } from '../../contracts/bot-model/types';
import type { ExtractedSlotValue } from '../nlu/slots';
import type { CodeHookInterpretation, IntentWire, MessageWire, SlotWire } from './wire';

export function emptyIntent(name: string, def?: IntentDefinition): IntentWire {
  const slots: Record<string, SlotWire | null> = {};
  for (const slot of def?.slots ?? []) slots[slot.name] = null;
  return { name, slots, state: 'InProgress', confirmationState: 'None' };
}

/** Adds found values: `overwrite` false keeps values filled on earlier turns. */
export function withSlots(
  intent: IntentWire,
  found: Record<string, ExtractedSlotValue>,
  overwrite: boolean,
): IntentWire {
  const slots = { ...intent.slots };
  for (const [name, value] of Object.entries(found)) {
    if (overwrite || !slots[name]) {
      slots[name] = { shape: 'Scalar', value: { ...value, resolvedValues: [...value.resolvedValues] } };
    }
  }
  return { ...intent, slots };
}

export function firstMissingRequired(def: IntentDefinition, intent: IntentWire): string | undefined {
  return def.slots.find((s) => s.required && !intent.slots[s.name]?.value)?.name;
}

export function interpretation(
  intent: IntentWire,
  nluConfidence: number | undefined,
): CodeHookInterpretation {
  return { intent, ...(nluConfidence !== undefined ? { nluConfidence } : {}), interpretationSource: 'Lex' };
}

export const plain = (content: string): MessageWire => ({ contentType: 'PlainText', content });

export function fillSlots(template: string, intent: IntentWire): string {
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => intent.slots[name]?.value?.interpretedValue ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

export function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
