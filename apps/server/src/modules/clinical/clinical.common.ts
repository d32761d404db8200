import type { DataField, Permission } from '@medledger/contract';
import { blindIndex } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import { requireActor, siteScope, type Ctx } from '../../platform/http/ctx.js';

export const actorOf = requireActor;

/**
 * AC-02 data scope of a usage record: a role granted for site `H1` covers every department of H1;
 * one granted for `H1.ORTHO` covers that department only. Site and department codes hold no dots.
 */
export function unitScope(ctx: Ctx, permission: Permission): 'all' | ReadonlySet<string> {
  return siteScope(actorOf(ctx), permission);
}

export function inUnitScope(scope: 'all' | ReadonlySet<string>, site: string, department: string): boolean {
  return scope === 'all' || scope.has(site) || scope.has(`${site}.${department}`);
}

/** Whole sites and single departments of a scope, for SQL filters. */
export function splitScope(scope: ReadonlySet<string>): { sites: string[]; units: [string, string][] } {
  const sites: string[] = [];
  const units: [string, string][] = [];
  for (const code of scope) {
    const dot = code.indexOf('.');
    if (dot < 0) sites.push(code);
    else units.push([code.slice(0, dot), code.slice(dot + 1)]);
  }
  return { sites, units };
}

/** AC-07: the classified fields of the patient section (`PatientView`) that a reveal shows in clear. */
export const PATIENT_FIELDS: readonly DataField[] = [
  'clinical.patient.name',
  'clinical.patient.idNumber',
  'clinical.patient.medicalRecordNo',
  'clinical.patient.sex',
  'clinical.patient.birthDate',
  'clinical.patient.phone',
];

// AC-03 display masks. Nothing but these ever leaves the server unless revealed.

/** `张三` → `张*`, `欧阳娜娜` → `欧***`. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** `110101199003071234` → `110***********1234`: first 3 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 7 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** `13400005678` → `134****5678`. */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Medical-record numbers keep their last 4 characters. */
export function maskRecordNo(no: string): string {
  return no.length <= 4 ? '*'.repeat(no.length) : `${'*'.repeat(no.length - 4)}${no.slice(-4)}`;
}

/** Birth dates keep the year. */
export function maskBirthDate(date: string): string {
  return `${date.slice(0, 4)}-**-**`;
}

/** CRY-09: keyed blind index of a patient's ID number (upper-cased), the only searchable form. */
export function patientIdIndex(ctx: Pick<Ctx, 'runtime'>, idNumber: string): string {
  return blindIndex(ctx, 'clinical.patient.idNumber', idNumber.trim().toUpperCase());
}

/** Record numbers are unique per hospital site only, so the site is part of the indexed value. */
export function patientMrnIndex(ctx: Pick<Ctx, 'runtime'>, site: string, mrn: string): string {
  return blindIndex(ctx, 'clinical.patient.mrn', `${site}|${mrn.trim().toUpperCase()}`);
}

/**
 * TRN-02 at field level: a caller whose `clinical.patient.read` is suspended (privacy training
 * lapsed) is refused the patient section with the message naming the course, instead of silently
 * getting a record without it. Returns whether the patient section may be shown (masked).
 */
export function patientSectionAllowed(ctx: Ctx): boolean {
  const actor = actorOf(ctx);
  if (actor.permissions.has('clinical.patient.read')) return true;
  const suspended = actor.suspended?.get('clinical.patient.read');
  if (suspended !== undefined) throw new AppError('training_required', suspended);
  return false;
}
