import type { CardCertificate, CertificateKind } from './pkcs11-card';

/**
 * What login and signing need from a card, whether a real one through PKCS#11 or the software
 * test card of the demo mode. `isTest` is true only for the latter, and every screen says so.
 */
export interface SigningCard {
  readonly label: string;
  readonly isTest: boolean;
  certificates(): CardCertificate[];
  login(pin: string): void;
  signDigestInfo(kind: CertificateKind, digestInfo: Buffer): Buffer;
  close(): void;
}
