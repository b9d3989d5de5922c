import { constants, createPrivateKey, privateEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signDetachedCms } from '../../electron/core/signing/cms-sign';
import type { HospitalLetterSigner } from '../../server/seed/hospital-signatures';
import type { HospitalSigningKey } from '../../shared/test-support/test-pki.test-context';

const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/**
 * The hospital physicians' signatures with the software keys of the hospital test CA: the same
 * detached CMS the workstation makes on a card (electron/core/signing/cms-sign.ts), with the
 * DigestInfo signed RSA PKCS#1 v1.5 by Node's crypto (what a card's CKM_RSA_PKCS does), about a
 * millisecond per letter.
 */
export const softwareHospitalSigner = (signers: readonly HospitalSigningKey[]): HospitalLetterSigner => {
  const byHpr = new Map(signers.map((signer) => [signer.hpr, { key: createPrivateKey(readFileSync(signer.keyFile)), der: derOf(signer.certPem) }]));
  return {
    sign: ({ content, hpr, signingTime }) => {
      const signer = byHpr.get(hpr);
      if (signer === undefined) {
        throw new Error(`The hospital test PKI has no signing certificate for HPR ${hpr}.`);
      }
      return signDetachedCms({
        content: Buffer.from(content),
        signerCertificate: signer.der,
        signDigestInfo: (digestInfo) => privateEncrypt({ key: signer.key, padding: constants.RSA_PKCS1_PADDING }, digestInfo),
        signingTime,
      }).toString('base64');
    },
  };
};
