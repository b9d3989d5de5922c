import { constants, createHash, createPrivateKey, privateEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { CardError } from './card-errors';
import type { CardCertificate, CertificateKind } from './pkcs11-card';
import type { SigningCard } from './signing-card';

/**
 * The software test card for the embedded demo on machines without a reader: a folder with
 * authentication.p12 and signing.p12 under the PIN. It behaves like a card (certificates readable
 * before login, keys only after the PIN) and is marked TEST: `isTest`, a label that says so, and
 * OU=TEST in its certificates, which the journal server refuses unless it runs in demo mode.
 */
export class SoftwareTestCard implements SigningCard {
  readonly isTest = true;
  readonly label = 'TEST-KORT (demo)';
  private keys: Partial<Record<CertificateKind, KeyObject>> = {};
  /**
   * After the first login, the PIN is checked against this (salted hash, in memory only) as a card
   * checks it in its chip, instead of decrypting both PKCS#12 files again for every signature:
   * that costs hundreds of milliseconds in forge and a signature must feel instant.
   */
  private pinCheck: { salt: Buffer; hash: Buffer } | undefined;

  constructor(private readonly folder: string) {}

  private file(kind: CertificateKind): string {
    return join(this.folder, kind === 'authentication' ? 'authentication.p12' : 'signing.p12');
  }

  /** Opens a PKCS#12; the certificate bag is readable with the password, as forge needs it. */
  private open(kind: CertificateKind, pin: string): forge.pkcs12.Pkcs12Pfx {
    try {
      const der = readFileSync(this.file(kind)).toString('binary');
      return forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), pin);
    } catch {
      throw new CardError('PIN_INCORRECT', 'Wrong PIN.');
    }
  }

  private certificatesWith(pin: string): CardCertificate[] {
    return (['authentication', 'signing'] as const).map((kind) => {
      const bag = this.open(kind, pin).getBags({ bagType: forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3' })[forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3']?.[0];
      if (!bag?.cert) {
        throw new CardError('CARD_FAILURE', 'The test card has no certificate.');
      }
      return {
        kind,
        id: Buffer.from([kind === 'authentication' ? 1 : 2]),
        der: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary'),
        subject: bag.cert.subject.attributes.map((a) => `${a.shortName ?? a.type ?? ''}=${String(a.value)}`).join(', '),
      };
    });
  }

  private cached: CardCertificate[] | undefined;

  /** Certificates are only readable after the PIN here (they sit in the encrypted file). */
  certificates(): CardCertificate[] {
    if (this.cached === undefined) {
      throw new CardError('NOT_LOGGED_IN', 'Log in with the PIN first (the test card keeps its certificates encrypted).');
    }
    return this.cached;
  }

  login(pin: string): void {
    if (!/^\d{4,12}$/.test(pin)) {
      throw new CardError('PIN_INVALID_FORMAT', 'A PIN is 4 to 12 digits.');
    }
    if (this.pinCheck && this.keys.signing && this.cached) {
      const hash = createHash('sha256').update(this.pinCheck.salt).update(pin).digest();
      if (!timingSafeEqual(hash, this.pinCheck.hash)) {
        throw new CardError('PIN_INCORRECT', 'Wrong PIN.');
      }
      return;
    }
    for (const kind of ['authentication', 'signing'] as const) {
      const pfx = this.open(kind, pin);
      const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag ?? '1.2.840.113549.1.12.10.1.2';
      const keyBag = pfx.getBags({ bagType: shrouded })[shrouded]?.[0];
      if (!keyBag?.key) {
        throw new CardError('KEY_NOT_FOUND', `The test card has no ${kind} key.`);
      }
      this.keys[kind] = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
    }
    // Certificates are public: kept. The PIN is not (only its salted hash, until close).
    this.cached = this.certificatesWith(pin);
    const salt = randomBytes(16);
    this.pinCheck = { salt, hash: createHash('sha256').update(salt).update(pin).digest() };
  }

  signDigestInfo(kind: CertificateKind, digestInfo: Buffer): Buffer {
    const key = this.keys[kind];
    if (!key) {
      throw new CardError('NOT_LOGGED_IN', 'Log in with the PIN first.');
    }
    // PKCS#1 v1.5 signature padding around the DigestInfo: what CKM_RSA_PKCS does on a card.
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }

  close(): void {
    this.keys = {};
    this.cached = undefined;
    this.pinCheck = undefined;
  }
}
