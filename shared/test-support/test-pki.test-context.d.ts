/** What scripts/test-pki/global-setup.ts provides to the core lane (see create-test-pki.ts). */
declare module 'vitest' {
  export interface ProvidedContext {
    testPki: {
      dir: string;
      modulePath: string;
      softhsmConf: string;
      caCertPem: string;
      caCertFile: string;
      crlPem: string;
      crlFile: string;
      clinicians: { name: string; hpr: string; tokenLabel: string; pin: string; authCertPem: string; signCertPem: string; revoked: boolean }[];
      demoCard: { file: string; pin: string; hpr: string; name: string };
    };
  }
}
export {};
