import * as contract from '@medledger/contract';
import {
  BUILTIN_ROLES,
  DATA_FIELDS,
  DATA_FIELD_KEYS,
  LEDGERS,
  PURPOSE_LEVEL,
  isPermission,
  type ClassifiedField,
  type RoleDefinition,
} from '@medledger/contract';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { SEALED_COLUMNS } from '../src/app.js';

const FIELDS: [string, ClassifiedField][] = Object.entries(DATA_FIELDS);

/**
 * Masked or sensitive fields of every exported response schema, found from the schemas themselves:
 * keys named `*masked*` (not the boolean flag) and every key of an object that carries a boolean
 * `masked` flag (a section shown masked or in clear). Nested schemas that are exported themselves
 * are reported under their own name.
 */
function maskedResponseFields(): Set<string> {
  const named = new Map<unknown, string>();
  for (const [name, value] of Object.entries(contract)) {
    if (value instanceof z.ZodType && !named.has(value)) named.set(value, name);
  }
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown, owner: string, path: string): void => {
    if (!(schema instanceof z.ZodType)) return;
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
      walk(schema.unwrap(), owner, path);
      return;
    }
    if (schema instanceof z.ZodArray) {
      walk(schema.element, owner, path);
      return;
    }
    if (schema instanceof z.ZodUnion) {
      for (const option of schema.options as unknown[]) walk(option, owner, path);
      return;
    }
    if (!(schema instanceof z.ZodObject)) return;
    const ownName = named.get(schema);
    if (ownName !== undefined && ownName !== owner) return; // walked under its own name
    if (seen.has(schema)) return;
    seen.add(schema);
    const shape = schema.shape as Record<string, z.ZodType>;
    const flagged = shape.masked instanceof z.ZodBoolean;
    for (const [key, child] of Object.entries(shape)) {
      const where = path === '' ? key : `${path}.${key}`;
      if ((/masked/i.test(key) && !(child instanceof z.ZodBoolean)) || (flagged && key !== 'masked')) {
        found.add(`${owner}.${where}`);
      }
      walk(child, owner, where);
    }
  };
  for (const [value, name] of named) walk(value, name, '');
  return found;
}

describe('AC-07 data classification catalogue', () => {
  test('every column sealed by the keys module is classified', () => {
    const classified = new Set(FIELDS.flatMap(([, f]) => f.sealed ?? []));
    const sealed = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
    expect(sealed.length).toBeGreaterThan(5);
    expect(sealed.filter((c) => !classified.has(c))).toEqual([]);
    // …and the catalogue names no sealed column that does not exist.
    expect([...classified].filter((c) => !sealed.includes(c))).toEqual([]);
  });

  test('every masked field of every response schema is classified', () => {
    const found = maskedResponseFields();
    expect(found.size).toBeGreaterThan(5);
    const classified = new Set(FIELDS.flatMap(([, f]) => f.responses ?? []));
    expect([...found].filter((f) => !classified.has(f)).sort()).toEqual([]);
    // Every response field the catalogue names exists.
    const exports = contract as Record<string, unknown>;
    for (const ref of classified) {
      const [schemaName, ...path] = ref.split('.');
      let schema = exports[schemaName ?? ''];
      for (const key of path) {
        while (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodArray) {
          schema = schema instanceof z.ZodArray ? schema.element : schema.unwrap();
        }
        expect(schema, ref).toBeInstanceOf(z.ZodObject);
        schema = (schema as z.ZodObject).shape[key];
      }
      expect(schema, ref).toBeInstanceOf(z.ZodType);
    }
  });

  test('every personal column of the GSP ledger exports is classified, with the ledger’s reveal permission', () => {
    const personal = Object.entries(LEDGERS).flatMap(([kind, def]) =>
      def.columns
        .filter((c) => c.personal === true)
        .map((c) => ({ ref: `${kind}.${c.key}`, reveal: def.revealPermission })),
    );
    expect(personal.length).toBeGreaterThan(0);
    for (const { ref, reveal } of personal) {
      const entry = FIELDS.find(([, f]) => f.ledgerColumns?.includes(ref));
      expect(entry, ref).toBeDefined();
      expect(entry?.[1].clear, ref).toBe(reveal ?? null);
    }
  });

  test('labels, levels and requirements are complete; level ≥ 4 names its training course', () => {
    expect(DATA_FIELD_KEYS.length).toBe(FIELDS.length);
    for (const [key, f] of FIELDS) {
      expect(key).toMatch(/^[a-z-]+\.[a-zA-Z]+\.[a-zA-Z]+$/);
      expect(f.zh.trim().length, key).toBeGreaterThan(1);
      expect(f.en.trim().length, key).toBeGreaterThan(1);
      if (f.clear !== null) expect(isPermission(f.clear), key).toBe(true);
      if (f.breakGlass !== undefined) expect(isPermission(f.breakGlass), key).toBe(true);
      if (f.level >= PURPOSE_LEVEL && f.clear !== null) expect(f.training, key).toMatch(/^[a-z-]+$/);
      if (f.category === 'credential') expect([f.clear, f.otherwise, f.level], key).toEqual([null, 'never', 5]);
    }
  });

  test('TRN-02 every built-in role that shows level ≥ 4 data in clear requires the field’s course', () => {
    for (const [key, f] of FIELDS) {
      if (f.level < PURPOSE_LEVEL || f.training === undefined) continue;
      for (const permission of [f.clear, f.breakGlass]) {
        for (const role of BUILTIN_ROLES as readonly RoleDefinition[]) {
          if (permission === null || permission === undefined || !role.permissions.includes(permission)) continue;
          expect(role.requiresTraining ?? [], `${role.code} → ${key}`).toContain(f.training);
        }
      }
    }
  });
});
