/**
 * RFC 8785 (JCS) canonical JSON for the values audit events hold: objects, arrays, strings,
 * finite numbers, booleans and null. Keys are sorted by UTF-16 code units (JavaScript's default
 * sort); strings and numbers are serialised exactly as ECMAScript's JSON.stringify does, which is
 * what JCS specifies. Lone surrogates, non-finite numbers and other types are refused.
 *
 * A small, fast implementation because every recorded event goes through it; a property test
 * checks it against an independent JCS library, and the offline verifier has its own.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new TypeError('canonical JSON refuses strings with lone surrogates');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON refuses NaN and Infinity');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v ?? null)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const v = record[key];
        if (v === undefined) continue;
        parts.push(`${canonicalJson(key)}:${canonicalJson(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
}
