import { canonicalBytes } from './canonical-json';
import { verifyDetachedSignature, type VerificationResult } from './verify-signature';

/**
 * A signature travels as a FHIR Provenance: `target` the versioned resource, `agent.who` and
 * `signature.who` the Practitioner, `signature.sigFormat` application/pkcs7-signature, `data`
 * the detached CMS (base64). What is signed is the RFC 8785 canonical JSON of the resource
 * without `meta`: the server stamps meta.versionId and lastUpdated when it stores the version,
 * after the clinician signed; everything clinical (including the narrative) is covered.
 */
export const SIGNATURE_FORMAT = 'application/pkcs7-signature';
export const AUTHOR_SIGNATURE = { system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" } as const;

export interface SignableResource {
  resourceType: string;
  id: string;
  meta?: { versionId?: string };
  [key: string]: unknown;
}

export const signedContentOf = (resource: SignableResource): Uint8Array => {
  const { meta: _meta, ...content } = resource;
  return canonicalBytes(content);
};

export interface SignatureProvenance {
  resourceType: 'Provenance';
  target: { reference: string }[];
  recorded: string;
  agent: { type: { coding: { system: string; code: string }[] }; who: { reference: string } }[];
  signature: { type: (typeof AUTHOR_SIGNATURE)[]; when: string; who: { reference: string }; sigFormat: string; targetFormat: string; data: string }[];
}

export const signatureProvenance = ({
  resource,
  versionId,
  practitioner,
  signature,
  when,
}: {
  resource: SignableResource;
  /** The version the signature belongs to (the one the server will store). */
  versionId: string;
  practitioner: string;
  /** Detached CMS, base64. */
  signature: string;
  when: Date;
}): SignatureProvenance => ({
  resourceType: 'Provenance',
  target: [{ reference: `${resource.resourceType}/${resource.id}/_history/${versionId}` }],
  recorded: when.toISOString(),
  agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] }, who: { reference: practitioner } }],
  signature: [
    { type: [AUTHOR_SIGNATURE], when: when.toISOString(), who: { reference: practitioner }, sigFormat: SIGNATURE_FORMAT, targetFormat: 'application/fhir+json', data: signature },
  ],
});

const fromBase64 = (text: string): Uint8Array => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    buffer = (buffer << 6) | alphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
};

/** Verifies the Provenance's signature over the resource it targets (same checks as any CMS). */
export const verifyProvenance = (
  provenance: SignatureProvenance,
  resource: SignableResource,
  trust: { trustedRoots: readonly Uint8Array[]; crls: readonly Uint8Array[] },
): Promise<VerificationResult> => {
  const [signature] = provenance.signature;
  if (!signature || signature.sigFormat !== SIGNATURE_FORMAT) {
    return Promise.resolve({ ok: false, code: 'MALFORMED', message: 'The Provenance carries no CMS signature.' });
  }
  // The Provenance must be about this resource; which version it names is for the caller to match.
  const target = provenance.target[0]?.reference ?? '';
  if (!target.startsWith(`${resource.resourceType}/${resource.id}/_history/`)) {
    return Promise.resolve({ ok: false, code: 'MALFORMED', message: `The Provenance targets ${target}, not ${resource.resourceType}/${resource.id}.` });
  }
  return verifyDetachedSignature({ signature: fromBase64(signature.data), content: signedContentOf(resource), ...trust });
};
