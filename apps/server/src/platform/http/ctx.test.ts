import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Permission } from '@medledger/contract';
import { describe, expect, test } from 'vitest';
import { sourceFiles } from '../../../test/source-files.js';
import { allowedOn, siteScope, type Actor } from './ctx.js';

const READ: Permission = 'inventory.stock.read';

function actor(overrides: Partial<Actor> = {}): Actor {
  return { kind: 'user', id: 'u-1', name: '测试用户', roles: [], permissions: new Set([READ]), ...overrides };
}

/** A role granted for site X only (AC-02 data scope): the conditional rule `{ site: X }`. */
const atX = actor({ sites: new Map([[READ, new Set(['X'])]]) });

describe('AC-08 checks are evaluated against the concrete object', () => {
  test('AC-08 a rule scoped to site X and an object of site Y: denied; the object of site X: allowed', () => {
    expect(allowedOn(atX, READ, { site: 'Y' })).toBe(false);
    expect(allowedOn(atX, READ, { site: 'X' })).toBe(true);
    // Holding the permission (the bare type) says nothing about the object.
    expect(atX.permissions.has(READ)).toBe(true);
    // Another permission held organisation-wide does not widen this one.
    const mixed = actor({
      permissions: new Set([READ, 'inventory.stock.move']),
      sites: new Map([[READ, new Set(['X'])]]),
    });
    expect(allowedOn(mixed, READ, { site: 'Y' })).toBe(false);
    expect(allowedOn(mixed, 'inventory.stock.move', { site: 'Y' })).toBe(true);
  });

  test('AC-08 departments: a site scope covers its departments, a department scope only its own', () => {
    const site = actor({ sites: new Map([[READ, new Set(['H1'])]]) });
    const unit = actor({ sites: new Map([[READ, new Set(['H1.CARD'])]]) });
    expect(allowedOn(site, READ, { site: 'H1', department: 'ORTHO' })).toBe(true);
    expect(allowedOn(unit, READ, { site: 'H1', department: 'CARD' })).toBe(true);
    expect(allowedOn(unit, READ, { site: 'H1', department: 'ORTHO' })).toBe(false);
    expect(allowedOn(unit, READ, { site: 'H2', department: 'CARD' })).toBe(false);
    expect(allowedOn(unit, READ, { site: 'H1' })).toBe(false);
  });

  test('AC-08 organisation-wide holders pass, non-holders and suspended permissions never do', () => {
    expect(allowedOn(actor(), READ, { site: 'Y' })).toBe(true);
    expect(allowedOn(actor({ permissions: new Set() }), READ, { site: 'X' })).toBe(false);
    const suspended = actor({ permissions: new Set(), suspended: new Map([[READ, 'Take the course.']]) });
    expect(allowedOn(suspended, READ, { site: 'X' })).toBe(false);
    expect(siteScope(suspended, READ)).toEqual(new Set());
  });

  test('AC-08 type level: the check takes an object with its site, never a bare type or site name', () => {
    const bare = () =>
      // @ts-expect-error a type name or a site string is not an object: this does not compile.
      allowedOn(atX, READ, 'inventory_stock');
    expect(typeof bare).toBe('function');
  });

  test('AC-08 lint: only the platform reads an actor’s site scopes; modules go through siteScope / allowedOn', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const self = path.join(root, 'platform', 'http', 'ctx.ts');
    const offenders = sourceFiles(root, { names: /\.ts$/, withTests: false })
      .filter((file) => file !== self)
      .filter((file) => /\bactor\??\.sites\b|\.sites\??\.(get|has)\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
