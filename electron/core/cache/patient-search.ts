import { normaliseForSearch } from '../../../shared/terminology/normalise';
import type { FhirResource } from './cached-resource';

/**
 * What the FTS5 `patient_search` table holds for a Patient, and how a typed query becomes a MATCH.
 * Names are folded with the same normaliseForSearch as the server's index ("Ase" finds "Åse", "Bo"
 * finds "Bø"); identifiers are digit strings only: the national id (fødselsnummer / D-number) and the
 * birth date as YYYYMMDD, DDMMYYYY and DDMMYY, so "1505", "15.05.1980" and "150580" all find it.
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
 * One prefix term per typed token, all required. Tokens of digits (with . - / between, as dates are
 * typed) search identifiers; others search folded names. Every token is quoted, so nothing the user
 * types is read as FTS5 syntax. Returns null when there is nothing to search for.
 */
export const patientMatchExpression = (query: string): string | null => {
  const terms = query
    .trim()
    .split(/\s+/)
    .filter((token) => token.length > 0)
    .flatMap((token) => {
      if (/^[\d.\-/]+$/.test(token)) {
        const digits = token.replace(/\D/g, '');
        return digits.length > 0 ? [`identifiers : ${quoted(digits)}*`] : [];
      }
      return normaliseForSearch(token)
        .split(' ')
        .filter((part) => part.length > 0)
        .map((part) => `names : ${quoted(part)}*`);
    });
  return terms.length > 0 ? terms.join(' AND ') : null;
};
