/**
 * Signatures for the verifier's tests, one per way a signature can be wrong (built by
 * scripts/test-pki/signature-fixtures.ts, provided to the shared lane). Bytes as number arrays
 * (DER), so they cross vitest's provide/inject as JSON.
 */
export interface SignatureFixtures {
  content: number[];
  changedContent: number[];
  valid: number[];
  otherKey: number[];
  expired: number[];
  revoked: number[];
  wrongKeyUsage: number[];
  /** A made-up certificate for another HPR number, "issued" by Kari's own card certificate. */
  forgedChain: number[];
  /** Made on Kari's card but claiming to be signed tomorrow. */
  futureSigningTime: number[];
  caCertificate: number[];
  otherRoot: number[];
  crl: number[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    signatureFixtures: SignatureFixtures;
  }
}
