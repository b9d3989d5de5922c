import canonicalize from 'canonicalize';
import { utf8 } from './web-platform';

/**
 * What is signed: the RFC 8785 (JCS) canonical JSON of the FHIR resource version, as UTF-8 bytes.
 * Any party can rebuild the same bytes from the resource, whatever its key order or spacing.
 */
export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('This value has no canonical JSON form.');
  }
  return text;
};

export const canonicalBytes = (value: unknown): Uint8Array => utf8(canonicalJson(value));
