export { canonicalBytes, canonicalJson } from './canonical-json';
export {
  verifyCertificate,
  verifyDetachedSignature,
  type CertificateCheck,
  type CertificateUsage,
  type SignatureErrorCode,
  type SignerIdentity,
  type VerificationResult,
  type VerifyInput,
} from './verify-signature';
export {
  AUTHOR_SIGNATURE,
  SIGNATURE_FORMAT,
  signatureProvenance,
  signedContentOf,
  verifyProvenance,
  type SignableResource,
  type SignatureProvenance,
} from './provenance';
