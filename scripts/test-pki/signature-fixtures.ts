import { constants, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { Pkcs11Module, sha256DigestInfo } from '../../electron/core/card/pkcs11-card';
import { signDetachedCms } from '../../electron/core/signing/cms-sign';
import type { SignatureFixtures } from '../../shared/signing/signature-fixtures.test-context';
import type { TestPki } from './create-test-pki';

export type { SignatureFixtures } from '../../shared/signing/signature-fixtures.test-context';

const der = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

export const createSignatureFixtures = (pki: TestPki): SignatureFixtures => {
  const content = Buffer.from('{"resourceType":"Composition","status":"final","title":"Konsultasjon"}');
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  const module = Pkcs11Module.load(pki.modulePath);
  const onCard = (index: number, kind: 'authentication' | 'signing', certificateOf = index, signingTime?: Date): Buffer => {
    const person = pki.clinicians[index];
    const certificatePerson = pki.clinicians[certificateOf];
    if (!person || !certificatePerson) {
      throw new Error('the test PKI has too few clinicians');
    }
    const card = module.open(person.tokenLabel);
    try {
      card.login(person.pin);
      return signDetachedCms({
        content,
        signerCertificate: der(kind === 'signing' ? certificatePerson.signCertPem : certificatePerson.authCertPem),
        signDigestInfo: (digestInfo) => card.signDigestInfo(kind, digestInfo),
        ...(signingTime ? { signingTime } : {}),
      });
    } finally {
      card.close();
    }
  };
  /** Kari's card used as if it were a CA: it "issues" a certificate for someone else. */
  const forgedChain = (): Buffer => {
    const kari = pki.clinicians[0];
    if (!kari) {
      throw new Error('no clinician');
    }
    const kariCert = forge.pki.certificateFromPem(kari.signCertPem);
    const victimKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = forge.pki.createCertificate();
    forged.serialNumber = '0f0001';
    forged.publicKey = forge.pki.publicKeyFromPem(victimKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    forged.validity.notBefore = new Date(Date.now() - 3600 * 1000);
    forged.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    forged.setSubject([{ name: 'commonName', value: 'Offer Forfalsket' }, { type: '2.5.4.5', value: 'HPR-565500000' }]);
    forged.setIssuer(kariCert.subject.attributes);
    forged.setExtensions([{ name: 'keyUsage', nonRepudiation: true, critical: true }]);
    const card = module.open(kari.tokenLabel);
    try {
      card.login(kari.pin);
      // forge signs the certificate through this shim: the digest goes to Kari's card.
      const cardKey = {
        sign: (md: forge.md.MessageDigest): string =>
          card.signDigestInfo('signing', sha256DigestInfo(Buffer.from(md.digest().getBytes(), 'binary'))).toString('binary'),
      };
      forged.sign(cardKey as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    } finally {
      card.close();
    }
    const forgedDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forged)).getBytes(), 'binary');
    return signDetachedCms({
      content,
      signerCertificate: forgedDer,
      chain: [der(kari.signCertPem)],
      signDigestInfo: (digestInfo) => privateEncrypt({ key: victimKeys.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo),
    });
  };
  try {
    // An expired non-repudiation certificate from the same CA, with a software key.
    const caKey = forge.pki.privateKeyFromPem(readFileSync(join(pki.dir, 'ca-key.pem'), 'utf8'));
    const caCert = forge.pki.certificateFromPem(pki.caCertPem);
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const expiredCert = forge.pki.createCertificate();
    expiredCert.serialNumber = '7e0001';
    expiredCert.publicKey = publicKey;
    expiredCert.validity.notBefore = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    expiredCert.validity.notAfter = new Date(Date.now() - 24 * 3600 * 1000);
    expiredCert.setSubject([{ name: 'commonName', value: 'Ella Utløpt' }, { type: '2.5.4.5', value: 'HPR-565509999' }]);
    expiredCert.setIssuer(caCert.subject.attributes);
    expiredCert.setExtensions([{ name: 'keyUsage', nonRepudiation: true, critical: true }]);
    expiredCert.sign(caKey, forge.md.sha256.create());
    const expired = signDetachedCms({
      content,
      signerCertificate: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(expiredCert)).getBytes(), 'binary'),
      // What CKM_RSA_PKCS does on a card: PKCS#1 v1.5 signature padding around the DigestInfo.
      signDigestInfo: (digestInfo) => privateEncrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo),
    });
    const otherRoot = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherRootKey = forge.pki.privateKeyFromPem(otherRoot.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const otherRootCert = forge.pki.createCertificate();
    otherRootCert.serialNumber = '01';
    otherRootCert.publicKey = forge.pki.setRsaPublicKey(otherRootKey.n, otherRootKey.e);
    otherRootCert.validity.notBefore = new Date(Date.now() - 3600 * 1000);
    otherRootCert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    otherRootCert.setSubject([{ name: 'commonName', value: 'Some Other Root' }]);
    otherRootCert.setIssuer([{ name: 'commonName', value: 'Some Other Root' }]);
    otherRootCert.setExtensions([{ name: 'basicConstraints', cA: true }]);
    otherRootCert.sign(otherRootKey, forge.md.sha256.create());
    const b64 = (bytes: Buffer): number[] => [...bytes];
    return {
      content: b64(content),
      changedContent: b64(Buffer.from(content.toString('utf8').replace('final', 'amended'))),
      valid: b64(onCard(0, 'signing')),
      otherKey: b64(onCard(1, 'signing', 0)),
      expired: b64(expired),
      revoked: b64(onCard(2, 'signing')),
      wrongKeyUsage: b64(onCard(0, 'authentication')),
      forgedChain: b64(forgedChain()),
      futureSigningTime: b64(onCard(0, 'signing', 0, new Date(Date.now() + 24 * 3600 * 1000))),
      caCertificate: b64(der(pki.caCertPem)),
      otherRoot: b64(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(otherRootCert)).getBytes(), 'binary')),
      crl: b64(der(pki.crlPem)),
    };
  } finally {
    module.close();
  }
};
