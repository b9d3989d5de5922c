import { normaliseForSearch } from '../../../shared/terminology/normalise';
import { parsePatientQuery, type BirthDateQuery, type PatientQuery } from '../../../shared/patient-search/parse-patient-query';
import type { FhirResource } from './cached-resource';

/**
 * What the FTS5 `patient_search` table holds for a Patient, and how a typed query becomes a MATCH.
 * Names are folded with the same normaliseForSearch as the server's index ("Ase" finds "Åse", "Bo"
 * finds "Bø"); identifiers are digit strings only: the national id (fødselsnummer / D-number) and the
 * birth date as YYYYMMDD, DDMMYYYY and DDMMYY, so "1505", "15.05.1980" and "150580" all find it.
 * Any 11-digit identifier value is indexed too, which takes in FH numbers (…4.1.4.3).
 */
const NATIONAL_ID_SYSTEMS = new Set(['urn:oid:2.16.578.1.12.4.1.4.1', 'urn:oid:2.16.578.1.12.4.1.4.2']);

interface HumanNameLike {
  text?: unknown;
  family?: unknown;
  given?: unknown;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];

export const patientSearchFields = (patient: FhirResource): { names: string; identifiers: string } => {
  const names = (Array.isArray(patient['name']) ? (patient['name'] as HumanNameLike[]) : []).flatMap((name) => [
    ...strings(name.text),
    ...strings(name.family),
    ...strings(name.given),
  ]);
  const identifiers = (Array.isArray(patient['identifier']) ? (patient['identifier'] as { system?: unknown; value?: unknown }[]) : [])
    .filter((id) => typeof id.value === 'string' && (NATIONAL_ID_SYSTEMS.has(String(id.system)) || /^\d{11}$/.test(id.value)))
    .map((id) => String(id.value).replace(/\D/g, ''));
  const birthDate = typeof patient['birthDate'] === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(patient['birthDate']) : null;
  if (birthDate) {
    const [, year = '', month = '', day = ''] = birthDate;
    identifiers.push(`${year}${month}${day}`, `${day}${month}${year}`, `${day}${month}${year.slice(2)}`);
  }
  return { names: normaliseForSearch(names.join(' ')), identifiers: [...new Set(identifiers)].join(' ') };
};

const quoted = (token: string): string => `"${token.replace(/"/g, '""')}"`;

/**
 * The FTS5 MATCH for a parsed query (shared/patient-search), all terms required. A national id
 * or a full birth date is one whole indexed token (exact, so "15058012345" never finds a longer
 * number); digits being typed and name parts are prefixes. A two-digit year matches the DDMMYY
 * token, so both centuries are found here although the journal is asked for one. Every token is
 * quoted, so nothing the user types is read as FTS5 syntax. Null: nothing to search for (an empty
 * query, or a national id that fails its check: it must not find anybody).
 */
export const parsedMatchExpression = (query: PatientQuery): string | null => {
  const birth = (date: BirthDateQuery): string => {
    const [year = '', month = '', day = ''] = date.date.split('-');
    return `identifiers : ${quoted(date.centuryAssumed ? `${day}${month}${year.slice(2)}` : `${year}${month}${day}`)}`;
  };
  switch (query.kind) {
    case 'empty':
    case 'invalidNationalId':
      return null;
    case 'nationalId':
      return `identifiers : ${quoted(query.value)}`;
    case 'birthDate':
      return birth(query);
    case 'numberPrefix':
      return `identifiers : ${quoted(query.digits)}*`;
    case 'nameParts':
      return [...query.parts.map((part) => `names : ${quoted(part)}*`), ...(query.birthDate ? [birth(query.birthDate)] : [])].join(' AND ');
    default: {
      const unknown: never = query;
      throw new TypeError(`unknown query kind ${JSON.stringify(unknown)}`);
    }
  }
};

/** The MATCH for what was typed, or null when there is nothing to search for. */
export const patientMatchExpression = (query: string, today?: Date): string | null => parsedMatchExpression(parsePatientQuery(query, today));
