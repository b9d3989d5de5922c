import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { sha256DigestInfo } from '../card/digest-info';

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
} as const;

export interface DetachedSignatureInput {
  /** The bytes signed (for FHIR: the RFC 8785 canonical JSON of the resource version). */
  content: Buffer;
  /** The signer's non-repudiation certificate, DER. */
  signerCertificate: Buffer;
  /** Signs a SHA-256 DigestInfo with the private key of that certificate (on the card). */
  signDigestInfo: (digestInfo: Buffer) => Buffer;
  signingTime?: Date;
  /** Intermediate certificates to include (DER), for chains with more than a root above the signer. */
  chain?: Buffer[];
}

/**
 * CMS SignedData, detached, SHA-256, with signed attributes (contentType, messageDigest,
 * signingTime) and the signer certificate included, RSA PKCS#1 v1.5 made on the card. node-forge
 * builds the structure; its "key" is a shim whose sign() hands the digest to the card.
 */
export const signDetachedCms = ({ content, signerCertificate, signDigestInfo, signingTime = new Date(), chain = [] }: DetachedSignatureInput): Buffer => {
  const certificate = forge.pki.certificateFromAsn1(forge.asn1.fromDer(signerCertificate.toString('binary')));
  const signedData = forge.pkcs7.createSignedData();
  signedData.content = forge.util.createBuffer(content.toString('binary'));
  signedData.addCertificate(certificate);
  for (const der of chain) {
    signedData.addCertificate(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
  }
  const cardKey = {
    sign: (md: forge.md.MessageDigest): string => {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      return signDigestInfo(sha256DigestInfo(digest)).toString('binary');
    },
  };
  signedData.addSigner({
    key: cardKey as unknown as forge.pki.rsa.PrivateKey,
    certificate,
    digestAlgorithm: OID.sha256,
    authenticatedAttributes: [
      { type: OID.contentType, value: OID.data },
      { type: OID.messageDigest },
      // forge takes a Date here, though its types say string.
      { type: OID.signingTime, value: signingTime as unknown as string },
    ],
  });
  signedData.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(signedData.toAsn1()).getBytes(), 'binary');
};

export const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();
