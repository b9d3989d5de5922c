import { describe, expect, it } from 'vitest';
import { parsePatientQuery } from '../../../shared/patient-search/parse-patient-query';
import type { FhirResource } from '../cache';
import { journalSearchParams, journalState, mergeHits, patientsOf } from './merged-patient-search';

const TODAY = new Date('2026-05-01T10:00:00Z');
const patient = (id: string): FhirResource => ({ resourceType: 'Patient', id });

describe('the journal side of patients.search', () => {
  it('asks by identifier system|value, birth date, or one name parameter per part', () => {
    expect(journalSearchParams(parsePatientQuery('010180 12371', TODAY), 20)).toEqual([
      ['identifier', 'urn:oid:2.16.578.1.12.4.1.4.1|01018012371'],
      ['_count', '20'],
    ]);
    expect(journalSearchParams(parsePatientQuery('41018012365', TODAY), 5)?.[0]).toEqual(['identifier', 'urn:oid:2.16.578.1.12.4.1.4.2|41018012365']);
    expect(journalSearchParams(parsePatientQuery('010180', TODAY), 20)).toEqual([
      ['birthdate', '1980-01-01'],
      ['_count', '20'],
    ]);
    expect(journalSearchParams(parsePatientQuery('Nord kari 1.1.1980', TODAY), 10)).toEqual([
      ['name', 'nord'],
      ['name', 'kari'],
      ['birthdate', '1980-01-01'],
      ['_count', '10'],
    ]);
  });

  it('does not ask for a number being typed, an invalid national id or nothing', () => {
    expect(journalSearchParams(parsePatientQuery('1505', TODAY), 20)).toBeUndefined();
    expect(journalSearchParams(parsePatientQuery('01018012345', TODAY), 20)).toBeUndefined();
    expect(journalSearchParams(parsePatientQuery(' ', TODAY), 20)).toBeUndefined();
  });

  it('calls an unreachable journal offline and a refusal or server error failed', () => {
    expect(journalState({ kind: 'ok', status: 200, body: {} })).toBe('answered');
    expect(journalState({ kind: 'retry', reason: 'network', code: 'ECONNREFUSED' })).toBe('offline');
    expect(journalState({ kind: 'retry', reason: 'timeout' })).toBe('offline');
    expect(journalState({ kind: 'retry', reason: 'server-error', status: 500 })).toBe('failed');
    expect(journalState({ kind: 'retry', reason: 'unavailable', status: 503 })).toBe('failed');
    expect(journalState({ kind: 'rejected', status: 403, message: 'no' })).toBe('failed');
    expect(journalState({ kind: 'unauthorized' })).toBe('failed');
  });

  it('takes only the Patients of a Bundle', () => {
    const body = { resourceType: 'Bundle', entry: [{ resource: patient('a') }, { resource: { resourceType: 'OperationOutcome' } }, { resource: { resourceType: 'Patient' } }, {}] };
    expect(patientsOf(body)).toEqual([patient('a')]);
    expect(patientsOf(undefined)).toEqual([]);
  });

  it('merges cache hits first (both when the journal has them too), then journal-only ones, de-duplicated, capped', () => {
    expect(mergeHits([patient('a'), patient('b')], [patient('c'), patient('a'), patient('d'), patient('c')], 10)).toEqual([
      { patient: patient('a'), source: 'both' },
      { patient: patient('b'), source: 'cache' },
      { patient: patient('c'), source: 'journal' },
      { patient: patient('d'), source: 'journal' },
    ]);
    expect(mergeHits([patient('a'), patient('b')], [patient('c')], 2).map((hit) => hit.patient.id)).toEqual(['a', 'b']);
  });
});
