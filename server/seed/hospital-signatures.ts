import { createHash } from 'node:crypto';
import type { Composition } from 'fhir/r4';
import { signatureProvenance, signedContentOf, type SignableResource, type SignatureProvenance } from '../../shared/signing';
import { DISCHARGE_SUMMARY_LOINC } from './discharge-letter';

/**
 * The hospital's signatures on its discharge letters, added when the population is written into
 * the journal (seedJournal), not when it is generated: the generator stays synchronous and pure,
 * and what signs (a key and a certificate from the hospital test CA) is given by the caller, since
 * server/ may not import the workstation's CMS code or the test PKI. Without a signer the letters
 * are stored unsigned.
 */
export interface HospitalLetterSigner {
  /** Detached CMS SignedData (base64) over `content`, by the holder of HPR number `hpr`, at `signingTime`. */
  sign(input: { content: Uint8Array; hpr: string; signingTime: Date }): string;
}

export type LetterProvenance = SignatureProvenance & {
  id: string;
  agent: (SignatureProvenance['agent'][number] & { onBehalfOf?: { reference: string } })[];
};

export const isDischargeLetter = (resource: { resourceType?: unknown }): resource is Composition =>
  resource.resourceType === 'Composition' && (resource as Composition).type.coding?.[0]?.code === DISCHARGE_SUMMARY_LOINC;

/**
 * The Provenance's id, derived from the letter's: a version 8 UUID like every seeded id, the same
 * for the same letter, so seeding stays deterministic without a draw from the generator's streams.
 */
export const provenanceIdFor = (compositionId: string): string => {
  const hex = createHash('sha256').update(`akson-seed:provenance:${compositionId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The letter's signature exactly as the workstation signs a note (shared/signing/provenance.ts):
 * over the canonical JSON of the Composition without meta, which is what the journal stores as
 * version 1 (the seed imports it with its own id; the store adds only meta), so the Provenance
 * targets `Composition/<id>/_history/1`. Signed at the letter's attestation time, which is why the
 * hospital test CA's certificates are valid from well before the oldest letter.
 */
export const signLetter = (letter: Composition, hprOf: (practitioner: string) => string | undefined, signer: HospitalLetterSigner): LetterProvenance => {
  const attester = letter.attester?.[0];
  const practitioner = attester?.party?.reference;
  const hpr = practitioner === undefined ? undefined : hprOf(practitioner);
  if (letter.id === undefined || attester?.time === undefined || practitioner === undefined || hpr === undefined) {
    throw new RangeError(`Discharge letter ${letter.id ?? '(no id)'} has no attesting hospital physician with an HPR number.`);
  }
  const resource: SignableResource = { ...letter, resourceType: 'Composition', id: letter.id };
  const when = new Date(attester.time);
  const provenance = signatureProvenance({
    resource,
    versionId: '1',
    practitioner,
    signature: signer.sign({ content: signedContentOf(resource), hpr, signingTime: when }),
    when,
  });
  const hospital = letter.custodian?.reference;
  return {
    ...provenance,
    id: provenanceIdFor(letter.id),
    // The physician signed for the hospital: what a chart shows as the signer's organisation.
    agent: provenance.agent.map((agent) => (hospital === undefined ? agent : { ...agent, onBehalfOf: { reference: hospital } })),
  };
};
