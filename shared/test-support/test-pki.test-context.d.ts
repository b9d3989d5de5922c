/**
 * The test PKI's shape, stated once: scripts/test-pki/create-test-pki.ts builds it, and its
 * global setups provide it to the core, server and scripts lanes (vitest provide/inject).
 */
export interface TestClinician {
  name: string;
  hpr: string;
  tokenLabel: string;
  pin: string;
  authCertPem: string;
  signCertPem: string;
  revoked: boolean;
}

export interface TestPki {
  dir: string;
  modulePath: string;
  /** Set SOFTHSM2_CONF to this before loading the module. */
  softhsmConf: string;
  caCertPem: string;
  caCertFile: string;
  crlPem: string;
  crlFile: string;
  clinicians: TestClinician[];
  /** A software test card (a folder of two PKCS#12 files, password = PIN) for the demo mode: subject OU=TEST. */
  demoCard: { file: string; pin: string; hpr: string; name: string };
  /** The TEST card's own CA and CRL: trusted only by a server in demo mode. */
  demoCaCertPem: string;
  demoCaCertFile: string;
  demoCrlPem: string;
  demoCrlFile: string;
  /** The hospital test CA, which signs the seeded discharge letters' signers: trusted by workstations, not for login. */
  hospitalCaCertPem: string;
  hospitalCaCertFile: string;
  hospitalCrlPem: string;
  hospitalCrlFile: string;
  /** One software signing key (PEM, no card) and certificate per hospital physician of the seed. */
  hospitalSigners: HospitalSigningKey[];
}

export interface HospitalSigningKey {
  name: string;
  hpr: string;
  certPem: string;
  certFile: string;
  keyFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testPki: TestPki;
  }
}
