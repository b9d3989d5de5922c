export { canonicalBytes, canonicalJson } from './canonical-json';
export { verifyDetachedSignature, type SignatureErrorCode, type SignerIdentity, type VerificationResult, type VerifyInput } from './verify-signature';
