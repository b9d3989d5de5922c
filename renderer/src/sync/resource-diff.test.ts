import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffResources } from './resource-diff';

const allergy = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  meta: { versionId: '3', lastUpdated: '2026-12-02T08:00:00Z' },
  criticality: 'high',
  code: { text: 'Penicillin', coding: [{ system: 'http://snomed.info/sct', code: '764146007' }] },
  reaction: [{ manifestation: [{ text: 'Utslett' }], severity: 'mild' }],
};

describe('diffResources', () => {
  it('gives one row per leaf field, in the journal\'s order, and marks none changed for equal resources', () => {
    const rows = diffResources(allergy, structuredClone(allergy));
    expect(rows.map((row) => row.path)).toEqual([
      'resourceType',
      'id',
      'criticality',
      'code.text',
      'code.coding[0].system',
      'code.coding[0].code',
      'reaction[0].manifestation[0].text',
      'reaction[0].severity',
    ]);
    expect(rows.every((row) => !row.changed)).toBe(true);
  });

  it('leaves meta out: a new version number is not a difference the clinician decides on', () => {
    const rows = diffResources({ ...allergy, meta: { versionId: '2' } }, allergy);
    expect(rows.some((row) => row.path.startsWith('meta'))).toBe(false);
    expect(rows.some((row) => row.changed)).toBe(false);
  });

  it('marks a changed value inside nested objects and arrays, with both values as text', () => {
    const mine = structuredClone(allergy);
    mine.reaction[0]!.severity = 'severe';
    mine.reaction[0]!.manifestation[0]!.text = 'Anafylaksi';
    const changed = diffResources(mine, allergy).filter((row) => row.changed);
    expect(changed).toEqual([
      { path: 'reaction[0].manifestation[0].text', mine: 'Anafylaksi', theirs: 'Utslett', changed: true },
      { path: 'reaction[0].severity', mine: 'severe', theirs: 'mild', changed: true },
    ]);
  });

  it('shows a field missing on one side as undefined there, whichever side lacks it', () => {
    const { criticality: _gone, ...withoutCriticality } = allergy;
    const mine = { ...withoutCriticality, note: [{ text: 'Mor har samme' }] };
    const rows = diffResources(mine, allergy);
    expect(rows.find((row) => row.path === 'criticality')).toEqual({ path: 'criticality', mine: undefined, theirs: 'high', changed: true });
    expect(rows.find((row) => row.path === 'note[0].text')).toEqual({ path: 'note[0].text', mine: 'Mor har samme', theirs: undefined, changed: true });
  });

  it('lists every entry of a longer array, the extra ones missing on the shorter side', () => {
    const mine = { ...allergy, reaction: [...allergy.reaction, { manifestation: [{ text: 'Kløe' }] }] };
    const extra = diffResources(mine, allergy).filter((row) => row.path.startsWith('reaction[1]'));
    expect(extra).toEqual([{ path: 'reaction[1].manifestation[0].text', mine: 'Kløe', theirs: undefined, changed: true }]);
  });

  it('shows numbers, booleans and null as JSON so "1" and 1 read differently', () => {
    const rows = diffResources({ resourceType: 'Observation', valueQuantity: { value: 1 }, x: true, y: null }, { resourceType: 'Observation', valueQuantity: { value: '1' }, x: false, y: null });
    expect(rows).toEqual([
      { path: 'resourceType', mine: 'Observation', theirs: 'Observation', changed: false },
      { path: 'valueQuantity.value', mine: '1', theirs: '1', changed: true },
      { path: 'x', mine: 'true', theirs: 'false', changed: true },
      { path: 'y', mine: 'null', theirs: 'null', changed: false },
    ]);
  });

  it('treats an object on one side and a list or a value on the other as one changed field', () => {
    const rows = diffResources({ resourceType: 'Flag', code: [{ text: 'a' }] }, { resourceType: 'Flag', code: { text: 'a' } });
    expect(rows[1]).toEqual({ path: 'code', mine: '[{"text":"a"}]', theirs: '{"text":"a"}', changed: true });
  });

  it('keeps empty lists and objects as fields of their own', () => {
    const rows = diffResources({ resourceType: 'Flag', code: {}, note: [] }, { resourceType: 'Flag', note: [] });
    expect(rows).toEqual([
      { path: 'resourceType', mine: 'Flag', theirs: 'Flag', changed: false },
      { path: 'note', mine: '[]', theirs: '[]', changed: false },
      { path: 'code', mine: '{}', theirs: undefined, changed: true },
    ]);
  });

  it('reads a side that is not an object (a deleted resource) as having no fields', () => {
    const rows = diffResources(null, allergy);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.mine === undefined && row.changed)).toBe(true);
    expect(diffResources('oops', 42)).toEqual([]);
  });

  it('reads a "__proto__" or "constructor" field on one side as missing on the other, not as an inherited object', () => {
    const mine = JSON.parse('{ "resourceType": "Flag", "__proto__": { "x": 1 }, "constructor": "c" }') as unknown;
    expect(diffResources(mine, { resourceType: 'Flag' })).toEqual([
      { path: 'resourceType', mine: 'Flag', theirs: 'Flag', changed: false },
      { path: '__proto__.x', mine: '1', theirs: undefined, changed: true },
      { path: 'constructor', mine: 'c', theirs: undefined, changed: true },
    ]);
  });

  it('keeps markup in a value as the characters it is', () => {
    const rows = diffResources({ resourceType: 'Flag', code: { text: '<img src=x onerror=alert(1)>' } }, { resourceType: 'Flag', code: { text: 'CAVE' } });
    expect(rows[1]?.mine).toBe('<img src=x onerror=alert(1)>');
  });

  it('property: a resource compared with itself has no changed rows and an unchanged row shows the same text on both sides', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 6 }), fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 6 }), (a, b) => {
        const self = diffResources(a, structuredClone(a));
        expect(self.every((row) => !row.changed)).toBe(true);
        const rows = diffResources(a, b);
        const same = JSON.stringify(Object.entries(a).filter(([key]) => key !== 'meta')) === JSON.stringify(Object.entries(b).filter(([key]) => key !== 'meta'));
        if (same) {
          expect(rows.every((row) => !row.changed)).toBe(true);
        }
        for (const row of rows) {
          if (!row.changed) {
            expect(row.mine).toBeDefined();
            expect(row.mine).toBe(row.theirs);
          }
        }
      }),
    );
  });
});
