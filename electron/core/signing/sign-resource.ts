import { signatureProvenance, signedContentOf, type SignableResource, type SignatureProvenance } from '../../../shared/signing';
import type { SigningCard } from '../card/signing-card';
import { signDetachedCms } from './cms-sign';

/**
 * Signs a resource version on the card (non-repudiation key; the card must be logged in with the
 * PIN for this operation) and returns the Provenance that carries the signature. A note and its
 * Provenance then travel to the journal in one transaction bundle.
 */
export const signResourceVersion = ({
  card,
  resource,
  versionId,
  practitioner,
  now = new Date(),
}: {
  card: SigningCard;
  resource: SignableResource;
  versionId: string;
  practitioner: string;
  now?: Date;
}): SignatureProvenance => {
  const certificate = card.certificates().find((c) => c.kind === 'signing');
  if (!certificate) {
    throw new Error('The card has no signing certificate.');
  }
  const signature = signDetachedCms({
    content: Buffer.from(signedContentOf(resource)),
    signerCertificate: certificate.der,
    signDigestInfo: (digestInfo) => card.signDigestInfo('signing', digestInfo),
    signingTime: now,
  });
  return signatureProvenance({ resource, versionId, practitioner, signature: signature.toString('base64'), when: now });
};
