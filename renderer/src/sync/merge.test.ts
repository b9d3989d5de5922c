import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMerge, mergeText, startMerge } from './merge';

const theirs = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  meta: { versionId: '4' },
  criticality: 'high',
  code: { text: 'Penicillin' },
  note: [{ text: 'Lagt til av legevakten' }],
};
const mine = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  meta: { versionId: '3' },
  criticality: 'low',
  code: { text: 'Penicillin', coding: [{ code: '764146007' }] },
  reaction: [{ severity: 'severe' }],
};
const conflict = { resourceType: 'AllergyIntolerance', resourceId: 'a1' };

describe('startMerge', () => {
  it('starts from theirs, takes my values where I have them, and keeps fields only theirs have', () => {
    expect(startMerge(mine, theirs)).toEqual({
      resourceType: 'AllergyIntolerance',
      id: 'a1',
      meta: { versionId: '4' },
      criticality: 'low',
      code: { text: 'Penicillin', coding: [{ code: '764146007' }] },
      note: [{ text: 'Lagt til av legevakten' }],
      reaction: [{ severity: 'severe' }],
    });
  });

  it('takes a list whole from my version rather than merging it entry by entry', () => {
    expect(startMerge({ ...mine, note: [{ text: 'min' }] }, theirs).note).toEqual([{ text: 'min' }]);
  });

  it('keeps their resourceType, id and meta even when mine says otherwise, and theirs alone when mine is not a resource', () => {
    const merged = startMerge({ ...mine, resourceType: 'Flag', id: 'x' }, theirs);
    expect([merged.resourceType, merged.id, merged.meta]).toEqual(['AllergyIntolerance', 'a1', { versionId: '4' }]);
    expect(startMerge(null, theirs)).toEqual(theirs);
  });
});

describe('startMerge with hostile keys', () => {
  it('keeps a "__proto__" field as a field (as JSON.parse gives it), never as the object\'s prototype', () => {
    const hostile = JSON.parse('{ "resourceType": "AllergyIntolerance", "id": "a1", "__proto__": { "polluted": true } }') as unknown;
    const merged = startMerge(hostile, theirs);
    expect(Object.keys(merged)).toContain('__proto__');
    expect(mergeText(merged)).toContain('"__proto__": {\n    "polluted": true\n  }');
    expect((merged as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('checkMerge', () => {
  it('accepts the started merge as it is', () => {
    const check = checkMerge(mergeText(startMerge(mine, theirs)), conflict);
    expect(check.ok).toBe(true);
  });

  it.each([
    ['{ "resourceType": "AllergyIntolerance", ', 'invalidJson'],
    ['[1, 2]', 'notAnObject'],
    ['"text"', 'notAnObject'],
    ['null', 'notAnObject'],
    ['{ "resourceType": "Flag", "id": "a1" }', 'resourceType'],
    ['{ "id": "a1" }', 'resourceType'],
    ['{ "resourceType": "AllergyIntolerance", "id": "a2" }', 'id'],
    ['{ "resourceType": "AllergyIntolerance" }', 'id'],
    ['{ "resourceType": "AllergyIntolerance", "id": "a1", "meta": { "versionId": 4 } }', 'invalidResource'],
  ])('refuses %s as %s', (text, problem) => {
    expect(checkMerge(text, conflict)).toEqual({ ok: false, problem });
  });

  it('refuses a resource type the workstation does not write, even when the conflict names it', () => {
    expect(checkMerge('{ "resourceType": "Patient", "id": "p1" }', { resourceType: 'Patient', resourceId: 'p1' })).toEqual({ ok: false, problem: 'invalidResource' });
  });
});

describe('startMerge and checkMerge together', () => {
  it('property: the editor\'s start for any version of mine passes the checks, keeps every field of theirs, and has every value mine has', () => {
    const field = fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !['resourceType', 'id', 'meta'].includes(key));
    const content = fc.dictionary(field, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    fc.assert(
      fc.property(content, content, (theirContent, mineContent) => {
        const theirsVersion = { ...theirContent, resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '4' } };
        const merged = startMerge({ ...mineContent, resourceType: 'AllergyIntolerance', id: 'a1' }, theirsVersion);
        const check = checkMerge(mergeText(merged), conflict);
        expect(check.ok).toBe(true);
        for (const key of Object.keys(theirContent)) {
          expect(Object.hasOwn(merged, key)).toBe(true);
        }
        for (const [key, value] of Object.entries(mineContent)) {
          if (Array.isArray(value) || typeof value !== 'object' || value === null) {
            expect(merged[key]).toEqual(value);
          }
        }
      }),
    );
  });
});
