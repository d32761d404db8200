/**
 * Types and look-ups for the GS1 Application Identifier table (`gs1-ai-table.ts`, generated from the
 * GS1 Barcode Syntax Dictionary by `scripts/gen-gs1-ai-table.mjs`).
 */
import { GS1_AI_TABLE } from './gs1-ai-table.js';

/** Character set of an AI component: N digits, X CSET 82, Y CSET 39, Z CSET 64 (base64url). */
export type Gs1CharacterSet = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's data field, applied in order to consecutive parts of the value. */
export interface Gs1AiComponent {
  readonly charset: Gs1CharacterSet;
  /** Fixed length when `min === max`; only the last component may be variable (`min` 1). */
  readonly min: number;
  readonly max: number;
  /** Optional components may be left out once the value is exhausted. */
  readonly optional: boolean;
  /** Names of the dictionary's check routines for this component (e.g. `csum`, `yymmd0`). */
  readonly linters: readonly string[];
}

/** The definition of one GS1 Application Identifier. */
export interface Gs1AiDefinition {
  readonly title: string;
  /** Flag `*`: predefined length, never followed by an FNC1 separator. */
  readonly predefinedLength: boolean;
  /** Flag `?`: may be given as a query parameter (data attribute) of a GS1 Digital Link URI. */
  readonly dlDataAttribute: boolean;
  readonly components: readonly Gs1AiComponent[];
  /** Mandatory associations: each rule needs one alternative; an alternative is a group of AIs or patterns (`31nn`) that must all be present. */
  readonly req: readonly (readonly (readonly string[])[])[];
  /** Invalid pairings: AIs or patterns that must not appear with this AI. */
  readonly ex: readonly string[];
  /** GS1 Digital Link primary key: the allowed ordered sequences of qualifier AIs (`[[]]` = no qualifiers). */
  readonly dlpkey?: readonly (readonly string[])[];
}

/**
 * Predefined-length AI prefixes (GS1 General Specifications figure 5.10.1-2; GS1 Syntax Engine
 * `fixedAIprefixLengths`): an AI starting with one of these two digits has a value of exactly this
 * many characters and is never followed by an FNC1 separator. Every other AI is variable-length and
 * needs a separator unless it is the last one. AI 23 is no longer in this list.
 */
export const GS1_PREDEFINED_LENGTH_PREFIXES: Readonly<Record<string, number>> = {
  '00': 18,
  '01': 14,
  '02': 14,
  '03': 14,
  '04': 16,
  '11': 6,
  '12': 6,
  '13': 6,
  '14': 6,
  '15': 6,
  '16': 6,
  '17': 6,
  '18': 6,
  '19': 6,
  '20': 2,
  '31': 6,
  '32': 6,
  '33': 6,
  '34': 6,
  '35': 6,
  '36': 6,
  '41': 13,
};

/** Value length of an AI whose two-digit prefix has a predefined length, else `undefined`. */
export function gs1PredefinedLength(ai: string): number | undefined {
  const prefix = ai.slice(0, 2);
  return Object.hasOwn(GS1_PREDEFINED_LENGTH_PREFIXES, prefix) ? GS1_PREDEFINED_LENGTH_PREFIXES[prefix] : undefined;
}

/** The definition of an AI, or `undefined` for an unknown AI (never an inherited property). */
export function gs1AiDefinition(ai: string): Gs1AiDefinition | undefined {
  return /^\d{2,4}$/.test(ai) && Object.hasOwn(GS1_AI_TABLE, ai) ? GS1_AI_TABLE[ai] : undefined;
}

/** Whether an AI matches a dictionary pattern such as `310n` or `31nn` (`n` = any digit). */
export function gs1AiMatches(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) {
    if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  }
  return true;
}
