import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSyntheticNationalId } from '../test-support/synthetic-ids';
import { DNR_SYSTEM, FH_SYSTEM, FNR_SYSTEM, HPR_SYSTEM, identifierElementProblem } from './identifiers';

const SYSTEMS = [FNR_SYSTEM, DNR_SYSTEM, FH_SYSTEM, HPR_SYSTEM];

/** Another way to write one of the checked systems: case, spaces, no urn:oid:, a trailing dot or slash. */
const respelled = (system: string) =>
  fc
    .record({
      upper: fc.array(fc.boolean(), { minLength: system.length, maxLength: system.length }),
      dropPrefix: fc.boolean(),
      before: fc.constantFrom('', ' ', '\t', '\n'),
      after: fc.constantFrom('', ' ', '\u00a0', '.', '/'),
    })
    .map(({ upper, dropPrefix, before, after }) => {
      const cased = [...system].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('');
      return `${before}${dropPrefix ? cased.replace(/^urn:oid:/i, '') : cased}${after}`;
    })
    .filter((spelling) => spelling !== system);

describe('identifier rules', () => {
  it('accepts a national id written exactly, with the properties an Identifier may carry', () => {
    expect(identifierElementProblem({ system: FNR_SYSTEM, value: nextSyntheticNationalId(), use: 'official', period: { start: '2000-01-01' } })).toBeUndefined();
    expect(identifierElementProblem({ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' })).toBeUndefined();
  });

  it('refuses every other spelling of a checked system, naming the exact one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SYSTEMS).chain((system) => fc.tuple(fc.constant(system), respelled(system))),
        ([system, spelling]) => {
          const problem = identifierElementProblem({ system: spelling, value: '00000000000' });
          expect(problem?.element).toBe('system');
          // Whitespace at the ends is named as such; any other variant names the exact spelling.
          expect(problem?.problem).toMatch(spelling.trim() === spelling ? system : /whitespace/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses values that are not strings, whitespace around any value and inside a checked number', () => {
    const id = nextSyntheticNationalId();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant<unknown>(Number(id)),
          fc.constant<unknown>([id]),
          fc.constant<unknown>({ value: id }),
          fc.constant<unknown>(null),
          fc.constantFrom(' ', '\t', '\n', '\u00a0').map((space) => `${space}${id}`),
          fc.constantFrom(' ', '\t', '\n', '\u00a0').map((space) => `${id}${space}`),
          fc.integer({ min: 1, max: 10 }).map((at) => `${id.slice(0, at)} ${id.slice(at)}`),
        ),
        (value) => {
          expect(identifierElementProblem({ system: FNR_SYSTEM, value })?.element).toBe('value');
        },
      ),
    );
    expect(identifierElementProblem({ system: 'urn:example:local', value: ' x' })?.element).toBe('value');
    expect(identifierElementProblem({ system: 42 })?.element).toBe('system');
  });

  it('accepts a synthetic D-number (day + 40, month + 80) under the D-nummer system, and not under the fødselsnummer system', () => {
    expect(identifierElementProblem({ system: DNR_SYSTEM, value: '41868510011' })).toBeUndefined();
    expect(identifierElementProblem({ system: FNR_SYSTEM, value: '41868510011' })?.element).toBe('value');
  });

  it('still checks the number: 00000000000 is no fødselsnummer', () => {
    expect(identifierElementProblem({ system: FNR_SYSTEM, value: '00000000000' })?.problem).toMatch(/not a valid fødselsnummer/);
  });
});
