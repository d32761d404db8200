import sjson from 'secure-json-parse';
import { AppError } from '../errors.js';

/** Deepest nesting of objects and arrays a request body may have (VAL-08, ATK-DOS). */
export const MAX_JSON_DEPTH = 32;

/**
 * Parses a JSON request body: depth-limited before parsing (a deeply nested document cannot
 * exhaust the stack), `__proto__` and `constructor.prototype` keys rejected, not stripped.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('invalid_json', 'The request body is empty; send a JSON document.');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) {
        i++;
      } // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new AppError('invalid_json', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
      }
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    if (err instanceof SyntaxError && /forbidden prototype property/i.test(err.message)) {
      throw new AppError(
        'invalid_json',
        'The JSON body contains a forbidden key (__proto__ or constructor.prototype).',
      );
    }
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
}
