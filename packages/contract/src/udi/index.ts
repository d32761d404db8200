export { gs1CheckCharacterPair, gs1CheckDigit, gs1HasValidCheckDigit, GS1_CSET39, GS1_CSET82 } from './check-digit.js';
export { gs1ExpandYear } from './dates.js';
export {
  gs1AiDefinition,
  gs1AiMatches,
  GS1_PREDEFINED_LENGTH_PREFIXES,
  type Gs1AiComponent,
  type Gs1AiDefinition,
  type Gs1CharacterSet,
} from './gs1-ai.js';
export { GS1_AI_TABLE } from './gs1-ai-table.js';
export { gs1BracketedHri, gs1ElementString, GS1_FNC1_SUBSTITUTES } from './gs1.js';
export { GS1_IMPLEMENTED_LINTERS, GS1_SKIPPED_LINTERS } from './linters.js';
export { GS1_SYMBOLOGY_IDENTIFIERS, parseUdi } from './parse.js';
export {
  ParsedUdi,
  UdiElement,
  UDI_ISSUERS,
  UDI_PARSE_ERROR_CODES,
  type UdiIssuer,
  type UdiParseError,
  type UdiParseErrorCode,
  type UdiParseOptions,
  type UdiParseResult,
} from './types.js';
