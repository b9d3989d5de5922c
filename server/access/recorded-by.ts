import { canonicalJson } from '../../shared/signing/canonical-json';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { FhirError } from '../fhir/operation-outcome';
import type { Principal } from '../pipeline/principal';

/**
 * Where a record names the clinician who recorded it. `Flag.author` also lets its author see a
 * blocked flag (need policy), so naming someone else would give them sight of it.
 */
const RECORDED_BY: Readonly<Partial<Record<string, string>>> = { AllergyIntolerance: 'recorder', Condition: 'recorder', Flag: 'author' };

/** True when a change to `type` by `principal` is checked against the version it changes (read it first). */
export const checksRecorder = (principal: Principal, type: string, resource: Json): boolean => {
  const field = RECORDED_BY[type];
  return field !== undefined && principal.kind === 'practitioner' && resource[field] !== undefined;
};

type Json = Record<string, unknown>;

const names = (value: unknown, principal: Principal): boolean => {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { reference, identifier } = value as { reference?: unknown; identifier?: { system?: unknown; value?: unknown } };
  if (reference !== undefined) {
    return reference === principal.id;
  }
  return identifier?.system === HPR_SYSTEM && principal.hpr !== undefined && identifier.value === principal.hpr;
};

// Key order differs between what a client sent and what jsonb gives back: compare canonical JSON (RFC 8785).
const same = (a: unknown, b: unknown): boolean => a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);

/**
 * A clinician records allergies, problems and flags in their own name: a create may name only the
 * logged-in practitioner (by reference or HPR number) as recorder, and a change keeps the recorder
 * of the version it changes (or names the practitioner making it, when there was none). The
 * journal's own tools (seed, imports) are `system` principals and bring their records' recorders.
 */
export const assertRecordedBySelf = (principal: Principal, type: string, resource: Json, current?: Json): void => {
  const field = RECORDED_BY[type];
  if (!field || principal.kind !== 'practitioner' || resource[field] === undefined) {
    return;
  }
  const value = resource[field];
  if (current !== undefined) {
    if (same(value, current[field]) || (current[field] === undefined && names(value, principal))) {
      return;
    }
    throw new FhirError(422, 'business-rule', `${type}.${field} says who recorded it first; a change keeps it.`);
  }
  if (!names(value, principal)) {
    throw new FhirError(422, 'business-rule', `${type}.${field} must name the clinician who is logged in: a record can not be made in someone else's name.`);
  }
};
