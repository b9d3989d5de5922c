import { describe, expect, it } from 'vitest';
import { saveInputSchema } from '../../../shared/contract/sync';
import { shapeChart } from '../chart/shape-chart';
import {
  allergyFormFrom,
  allergyResource,
  emptyAllergyForm,
  emptyFlagForm,
  emptyProblemForm,
  flagFormFrom,
  flagResource,
  problemFormFrom,
  problemResource,
  RecordBuildError,
  type AllergyForm,
} from './record-builders';

const NOW = new Date('2026-12-02T10:00:00Z');
const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Nordmann', given: ['Kari'] }] };

const penicillin: AllergyForm = {
  ...emptyAllergyForm(NOW),
  substance: 'Penicillin',
  reaction: 'Anafylaksi',
  severity: 'severe',
  verification: 'confirmed',
  criticality: 'high',
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof RecordBuildError ? error.code : 'OTHER';
  }
  return undefined;
};

describe('allergies', () => {
  it('writes an AllergyIntolerance in the seed shape, which the chart shows as CAVE', () => {
    const resource = allergyResource(penicillin, 'p1');
    expect(resource).toMatchObject({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      type: 'allergy',
      category: ['medication'],
      criticality: 'high',
      code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'J01CE' }], text: 'Penicillin' },
      patient: { reference: 'Patient/p1' },
      recordedDate: '2026-12-02',
      reaction: [{ manifestation: [{ text: 'Anafylaksi' }], severity: 'severe' }],
    });
    expect(resource.id).toBeUndefined();
    expect(saveInputSchema.safeParse({ resource }).success).toBe(true);
    const model = shapeChart([patient, { ...resource, id: 'a1' }], NOW);
    expect(model.critical).toMatchObject([{ key: 'AllergyIntolerance/a1', text: 'Penicillin', reaction: 'Anafylaksi', severity: 'severe', critical: true, verified: true }]);
  });

  it('round-trips through the form, and a change keeps id, the version edited and what the form does not show', () => {
    const stored = { ...allergyResource(penicillin, 'p1'), id: 'a1', meta: { versionId: '3', lastUpdated: '2026-12-01T10:00:00Z' }, note: [{ text: 'fra sykehuset' }] };
    const form = allergyFormFrom(stored, NOW);
    expect(form).toEqual(penicillin);
    const changed = allergyResource({ ...form, active: false }, 'p1', stored);
    expect(changed).toMatchObject({ id: 'a1', meta: { versionId: '3' }, note: [{ text: 'fra sykehuset' }], clinicalStatus: { coding: [{ code: 'inactive' }] } });
    expect((changed.meta as Record<string, unknown>).lastUpdated).toBeUndefined();
    const shaped = shapeChart([patient, { ...changed }], NOW);
    expect(shaped.critical).toEqual([]);
    expect(shaped.criticalInactive).toMatchObject([{ key: 'AllergyIntolerance/a1', critical: false, text: 'Penicillin' }]);
  });

  it('refuses an empty substance, text longer than the chart shows, a severity without reaction and a bad date', () => {
    expect(codeOf(() => allergyResource({ ...penicillin, substance: '   ' }, 'p1'))).toBe('EMPTY_SUBSTANCE');
    expect(codeOf(() => allergyResource({ ...penicillin, substance: 'x'.repeat(10_000) }, 'p1'))).toBe('TOO_LONG');
    expect(codeOf(() => allergyResource({ ...penicillin, reaction: 'y'.repeat(10_000) }, 'p1'))).toBe('TOO_LONG');
    expect(codeOf(() => allergyResource({ ...penicillin, reaction: '' }, 'p1'))).toBe('SEVERITY_WITHOUT_REACTION');
    expect(codeOf(() => allergyResource({ ...penicillin, recordedDate: '2026-02-30' }, 'p1'))).toBe('BAD_DATE');
    expect(codeOf(() => allergyResource({ ...penicillin, recordedDate: 'i går' }, 'p1'))).toBe('BAD_DATE');
  });

  it('keeps HTML and emoji as the characters typed (text, never markup)', () => {
    const html = '<b onclick="x()">Lateks</b> & <script>alert(1)</script> 🧤 مرحبا';
    const resource = allergyResource({ ...penicillin, substance: html, reaction: '😷 <i>hoste</i>' }, 'p1');
    expect(resource.code).toEqual({ text: html });
    expect(allergyFormFrom(resource, NOW).substance).toBe(html);
    expect(shapeChart([patient, { ...resource, id: 'a2' }], NOW).critical[0]?.text).toBe(html);
  });

  it('reads a hostile resource without throwing', () => {
    expect(allergyFormFrom({ resourceType: 'AllergyIntolerance', reaction: 'x', code: 5, category: [{}], recordedDate: 'nope' }, NOW)).toEqual({ ...emptyAllergyForm(NOW) });
  });
});

describe('other critical information (Flag)', () => {
  it('writes an active Flag as the seed writes CAVE, and ends it when inactive', () => {
    const flag = flagResource({ ...emptyFlagForm(NOW), text: 'Pasienten har pacemaker' }, 'p1', NOW);
    expect(flag).toMatchObject({ resourceType: 'Flag', status: 'active', code: { text: 'CAVE: Pasienten har pacemaker' }, subject: { reference: 'Patient/p1' }, period: { start: '2026-12-02' } });
    expect(shapeChart([patient, { ...flag, id: 'f1' }], NOW).critical).toMatchObject([{ key: 'Flag/f1', kind: 'flag', critical: true }]);
    const stored = { ...flag, id: 'f1', meta: { versionId: '1' } };
    const form = flagFormFrom(stored, NOW);
    expect(form).toEqual({ text: 'Pasienten har pacemaker', category: 'clinical', start: '2026-12-02', active: true });
    const ended = flagResource({ ...form, active: false }, 'p1', new Date('2026-12-05T10:00:00Z'), stored);
    expect(ended).toMatchObject({ id: 'f1', meta: { versionId: '1' }, status: 'inactive', period: { start: '2026-12-02', end: '2026-12-05' } });
  });

  it('does not double the CAVE prefix, and refuses empty or too long text', () => {
    expect(flagResource({ ...emptyFlagForm(NOW), text: 'CAVE: Lateks' }, 'p1', NOW).code).toEqual({ text: 'CAVE: Lateks' });
    expect(codeOf(() => flagResource({ ...emptyFlagForm(NOW), text: '' }, 'p1', NOW))).toBe('EMPTY_TEXT');
    expect(codeOf(() => flagResource({ ...emptyFlagForm(NOW), text: 'z'.repeat(10_000) }, 'p1', NOW))).toBe('TOO_LONG');
  });
});

describe('problems', () => {
  it('writes an ICPC-2 coded problem-list Condition, and resolves it with a date', () => {
    const condition = problemResource({ ...emptyProblemForm(NOW), code: 'r74', onset: '2026-11-28' }, 'p1');
    expect(condition).toMatchObject({
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
      code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code: 'R74' }] },
      subject: { reference: 'Patient/p1' },
      onsetDateTime: '2026-11-28',
    });
    expect(condition.abatementDateTime).toBeUndefined();
    expect(saveInputSchema.safeParse({ resource: condition }).success).toBe(true);
    const stored = { ...condition, id: 'c1', meta: { versionId: '1' } };
    expect(shapeChart([patient, stored], NOW).problems.active).toMatchObject([{ key: 'Condition/c1', code: 'R74', versionId: '1' }]);
    const form = problemFormFrom(stored, NOW);
    expect(form).toEqual({ code: 'R74', onset: '2026-11-28', resolved: false, abatement: '2026-12-02' });
    const resolved = problemResource({ ...form, resolved: true, abatement: '2026-12-02' }, 'p1', stored);
    expect(resolved).toMatchObject({ id: 'c1', meta: { versionId: '1' }, clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2026-12-02' });
    expect(shapeChart([patient, resolved], NOW).problems.resolved).toMatchObject([{ code: 'R74', resolved: '2026-12-02' }]);
  });

  it('refuses an unknown code, no code, a bad date and a resolution before the onset', () => {
    expect(codeOf(() => problemResource({ ...emptyProblemForm(NOW), code: 'R00' }, 'p1'))).toBe('UNKNOWN_CODE');
    expect(codeOf(() => problemResource({ ...emptyProblemForm(NOW), code: '<b>R74</b>' }, 'p1'))).toBe('UNKNOWN_CODE');
    expect(codeOf(() => problemResource({ ...emptyProblemForm(NOW), code: '😷'.repeat(5000) }, 'p1'))).toBe('UNKNOWN_CODE');
    expect(codeOf(() => problemResource({ ...emptyProblemForm(NOW), code: '' }, 'p1'))).toBe('NO_CODE');
    expect(codeOf(() => problemResource({ ...emptyProblemForm(NOW), code: 'R74', onset: '2026-13-01' }, 'p1'))).toBe('BAD_DATE');
    expect(codeOf(() => problemResource({ code: 'R74', onset: '2026-12-02', resolved: true, abatement: '2026-12-01' }, 'p1'))).toBe('RESOLVED_BEFORE_ONSET');
  });

  it('reads an uncoded or hostile Condition as a form without a code', () => {
    expect(problemFormFrom({ resourceType: 'Condition', code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code: 'Q99' }] }, onsetDateTime: 7 }, NOW)).toEqual(emptyProblemForm(NOW));
  });
});
