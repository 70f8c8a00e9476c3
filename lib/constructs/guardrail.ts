/**
 * Guardrail owns the Bedrock guardrail of the knowledge answers and its published version, both
 * generated from THE policy definition (contracts/guardrail-policy.ts, `toBedrockGuardrail`):
 * denied topics with their definitions and examples per locale, sensitive-information filters
 * (block or mask per PII type the redactor knows), word filters and the managed profanity list,
 * content filters, the contextual grounding check, and the blocked messages. Nothing of the
 * policy is written here: change the definition, and the guardrail follows.
 *
 * Versions are immutable snapshots of the guardrail's draft. The version's description carries a
 * hash of the generated policy: a changed policy changes the description, which CloudFormation
 * can only apply by replacement (AWS::Bedrock::GuardrailVersion, "Update requires: Replacement"),
 * so every policy change publishes a new version (after the draft is updated: the version
 * references the guardrail) and the caller's GUARDRAIL_VERSION follows in the same deployment.
 */
import { createHash } from 'node:crypto';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';
import {
  type BedrockGuardrailProperties,
  GUARDRAIL_POLICY,
  type GuardrailPolicy,
  toBedrockGuardrail,
} from '../../contracts/guardrail-policy';

export interface GuardrailProps {
  /** The guardrail's name (1-50 characters of letters, digits, `_` and `-`). */
  readonly guardrailName: string;
  /**
   * The policy it is generated from.
   * @default GUARDRAIL_POLICY (contracts/guardrail-policy.ts)
   */
  readonly policy?: GuardrailPolicy;
}

/** `T` with every readonly and ReadonlyArray made mutable: what the L1's props types expect. */
type Mutable<T> =
  T extends ReadonlyArray<infer U>
    ? Mutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;

/** The first 12 hex digits of the SHA-256 of the generated guardrail properties. */
export function guardrailPolicyHash(properties: BedrockGuardrailProperties): string {
  return createHash('sha256').update(JSON.stringify(properties)).digest('hex').slice(0, 12);
}

const NAME = /^[0-9a-zA-Z_-]{1,50}$/;

/** The guardrail and its version (see the file comment). */
export class Guardrail extends Construct {
  readonly guardrail: bedrock.CfnGuardrail;
  readonly version: bedrock.CfnGuardrailVersion;
  /** Hash of the generated policy (in the version's description). */
  readonly policyHash: string;

  constructor(scope: Construct, id: string, props: GuardrailProps) {
    super(scope, id);
    if (!NAME.test(props.guardrailName)) {
      throw new Error(`guardrail name must be 1-50 letters, digits, _ or -, got '${props.guardrailName}'`);
    }
    const generated = toBedrockGuardrail(props.policy ?? GUARDRAIL_POLICY);
    this.policyHash = guardrailPolicyHash(generated);
    // A deep copy in the L1's (mutable) types: the generated properties are plain data.
    const properties = structuredClone(generated) as Mutable<BedrockGuardrailProperties>;
    this.guardrail = new bedrock.CfnGuardrail(this, 'Resource', {
      ...properties,
      name: props.guardrailName,
    });
    this.version = new bedrock.CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      description: `Generated from contracts/guardrail-policy.ts, policy ${this.policyHash}`,
    });
  }

  get guardrailId(): string {
    return this.guardrail.attrGuardrailId;
  }

  get guardrailArn(): string {
    return this.guardrail.attrGuardrailArn;
  }

  /** The published version number (what Converse's guardrailConfig names). */
  get guardrailVersion(): string {
    return this.version.attrVersion;
  }
}
