/** What scripts/test-pki/signature-global-setup.ts provides to the shared lane: DER bytes as number arrays. */
declare module 'vitest' {
  export interface ProvidedContext {
    signatureFixtures: {
      content: number[];
      changedContent: number[];
      valid: number[];
      otherKey: number[];
      expired: number[];
      revoked: number[];
      wrongKeyUsage: number[];
      caCertificate: number[];
      otherRoot: number[];
      crl: number[];
    };
  }
}
export {};
