import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256 } from './web-platform';

/**
 * Verification of a detached CMS signature (SignedData, SHA-256, signed attributes), one
 * implementation for the workstation and the server (runs in Node and the browser, on WebCrypto).
 * Checks, each with its own code: structure, message digest against the content, the signature,
 * a chain to a configured trusted root, every certificate valid at the signing time, the signer's
 * key usage (non-repudiation), and revocation according to the configured CRLs.
 */
export type SignatureErrorCode =
  | 'MALFORMED'
  | 'DIGEST_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'UNTRUSTED_CHAIN'
  | 'NOT_VALID_AT_SIGNING_TIME'
  | 'WRONG_KEY_USAGE'
  | 'REVOKED'
  | 'REVOCATION_UNKNOWN'
  | 'NO_SIGNING_TIME';

export interface SignerIdentity {
  subject: string;
  serialNumber: string;
  /** From the person serial number attribute (HPR-nnnnnnnnn), when present. */
  hpr: string | undefined;
  /** A software test card (OU=TEST): accepted only where demo mode allows it. */
  test: boolean;
  /** The subject's organisation (O), when the certificate names one: a hospital's letters say which hospital. */
  organisation?: string;
}

export type VerificationResult =
  | { ok: true; signer: SignerIdentity; signingTime: Date }
  | { ok: false; code: SignatureErrorCode; message: string };

export interface VerifyInput {
  signature: Uint8Array;
  content: Uint8Array;
  trustedRoots: readonly Uint8Array[];
  crls: readonly Uint8Array[];
}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  keyUsage: '2.5.29.15',
  serialNumber: '2.5.4.5',
  basicConstraints: '2.5.29.19',
  commonName: '2.5.4.3',
  organizationalUnit: '2.5.4.11',
  organization: '2.5.4.10',
} as const;

class Refusal extends Error {
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const fail = (code: SignatureErrorCode, message: string): never => {
  throw new Refusal(code, message);
};

/** A copy in its own ArrayBuffer (a Node Buffer's .buffer is a shared pool, and slice() does not copy). */
const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

const sameBytes = (a: ArrayBuffer, b: ArrayBuffer): boolean => hex(a) === hex(b);

const parseCertificate = (der: Uint8Array): pkijs.Certificate => pkijs.Certificate.fromBER(toArrayBuffer(der));

const nameOf = (certificate: pkijs.Certificate): string =>
  certificate.subject.typesAndValues.map((tv) => `${tv.type}=${String(tv.value.valueBlock.value)}`).join(', ');

const attributeValue = (certificate: pkijs.Certificate, oid: string): string | undefined => {
  const found = certificate.subject.typesAndValues.find((tv) => tv.type === oid);
  return found ? String(found.value.valueBlock.value) : undefined;
};

const identity = (certificate: pkijs.Certificate): SignerIdentity => {
  const serial = attributeValue(certificate, OID.serialNumber);
  const organisation = attributeValue(certificate, OID.organization);
  return {
    subject: attributeValue(certificate, OID.commonName) ?? nameOf(certificate),
    serialNumber: hex(certificate.serialNumber.valueBlock.valueHexView.slice().buffer),
    hpr: serial && /^HPR-\d+$/.test(serial) ? serial.slice(4) : undefined,
    test: attributeValue(certificate, OID.organizationalUnit) === 'TEST',
    ...(organisation === undefined ? {} : { organisation }),
  };
};

const validAt = (certificate: pkijs.Certificate, at: Date): boolean =>
  certificate.notBefore.value.getTime() <= at.getTime() && at.getTime() <= certificate.notAfter.value.getTime();

/** What a certificate is used for: signing documents (non-repudiation) or logging in (digitalSignature). */
export type CertificateUsage = 'non-repudiation' | 'authentication';

/** Key usage bit 1 (nonRepudiation) for signing, bit 0 (digitalSignature) for authentication. */
const hasKeyUsage = (certificate: pkijs.Certificate, usage: CertificateUsage): boolean => {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!extension) {
    return false;
  }
  const bits = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView.slice().buffer).result as asn1js.BitString;
  const first = new Uint8Array(bits.valueBlock.valueHexView)[0] ?? 0;
  return (first & (usage === 'non-repudiation' ? 0x40 : 0x80)) !== 0;
};

const sameName = (a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean => a.isEqual(b);

/**
 * Security related: only a CA may issue certificates. Without this, any card holder could sign a
 * made-up certificate with their own key and pass it off as an intermediate.
 */
const isCertificateAuthority = (certificate: pkijs.Certificate): boolean => {
  const constraints = certificate.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  const usage = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  let keyCertSign = true;
  if (usage) {
    const bits = asn1js.fromBER(usage.extnValue.valueBlock.valueHexView.slice().buffer).result as asn1js.BitString;
    keyCertSign = ((new Uint8Array(bits.valueBlock.valueHexView)[0] ?? 0) & 0x04) !== 0;
  }
  return constraints?.cA === true && keyCertSign;
};

/** Allowed clock difference between signer and verifier. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Walks from the signer up to a trusted root, checking each signature and validity at `at`. */
const checkChain = async (signer: pkijs.Certificate, pool: pkijs.Certificate[], roots: pkijs.Certificate[], at: Date): Promise<pkijs.Certificate> => {
  let current = signer;
  for (let depth = 0; depth < 6; depth += 1) {
    if (!validAt(current, at)) {
      fail('NOT_VALID_AT_SIGNING_TIME', `The certificate of ${nameOf(current)} was not valid at the signing time ${at.toISOString()}.`);
    }
    const root = roots.find((candidate) => sameName(candidate.subject, current.issuer));
    if (root) {
      if (!(await current.verify(root))) {
        fail('UNTRUSTED_CHAIN', 'The certificate chain does not verify against the trusted root.');
      }
      if (!validAt(root, at)) {
        fail('NOT_VALID_AT_SIGNING_TIME', 'The trusted root was not valid at the signing time.');
      }
      return root;
    }
    const issuer = pool.find((candidate) => candidate !== current && sameName(candidate.subject, current.issuer));
    if (!issuer || !isCertificateAuthority(issuer) || !(await current.verify(issuer))) {
      fail('UNTRUSTED_CHAIN', 'The signer certificate does not chain to a trusted root through certificate authorities.');
    }
    current = issuer as pkijs.Certificate;
  }
  return fail('UNTRUSTED_CHAIN', 'The certificate chain is too long.');
};

/**
 * Security related: fails closed. The issuer must have a CRL here that it signed and that is
 * current (nextUpdate not passed); otherwise the answer is REVOCATION_UNKNOWN, never "valid".
 * A certificate revoked by now is refused whatever signing time the signature claims, because
 * that time comes from the signer (a stolen card could backdate it).
 */
const checkRevocation = async (signer: pkijs.Certificate, issuer: pkijs.Certificate, crls: readonly Uint8Array[], now: Date): Promise<void> => {
  let checked = false;
  for (const der of crls) {
    let crl: pkijs.CertificateRevocationList;
    try {
      crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der));
    } catch {
      continue;
    }
    if (!sameName(crl.issuer, issuer.subject) || !(await crl.verify({ issuerCertificate: issuer }))) {
      continue;
    }
    if (crl.nextUpdate && crl.nextUpdate.value.getTime() < now.getTime()) {
      continue;
    }
    checked = true;
    const entry = crl.revokedCertificates?.find((revoked) =>
      sameBytes(revoked.userCertificate.valueBlock.valueHexView.slice().buffer, signer.serialNumber.valueBlock.valueHexView.slice().buffer),
    );
    if (entry && entry.revocationDate.value.getTime() <= now.getTime()) {
      fail('REVOKED', `The certificate was revoked on ${entry.revocationDate.value.toISOString()}.`);
    }
  }
  if (!checked) {
    fail('REVOCATION_UNKNOWN', 'No current revocation list from the issuer is configured, so the certificate can not be trusted.');
  }
};

export const verifyDetachedSignature = async ({ signature, content, trustedRoots, crls }: VerifyInput): Promise<VerificationResult> => {
  try {
    let signedData: pkijs.SignedData;
    try {
      const info = pkijs.ContentInfo.fromBER(toArrayBuffer(signature));
      if (info.contentType !== OID.signedData) {
        return fail('MALFORMED', 'This is not a CMS SignedData.');
      }
      signedData = new pkijs.SignedData({ schema: info.content });
    } catch (error) {
      if (error instanceof Refusal) {
        throw error;
      }
      return fail('MALFORMED', 'The signature is not valid CMS (DER).');
    }
    const signerInfo = signedData.signerInfos[0];
    if (!signerInfo || signedData.signerInfos.length !== 1) {
      return fail('MALFORMED', 'Exactly one signer is expected.');
    }
    const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber;
    const signer = certificates.find(
      (c) => c.issuer.isEqual(sid.issuer) && sameBytes(c.serialNumber.valueBlock.valueHexView.slice().buffer, sid.serialNumber.valueBlock.valueHexView.slice().buffer),
    );
    if (!signer) {
      return fail('MALFORMED', 'The signer certificate is not included.');
    }
    const attributes = signerInfo.signedAttrs?.attributes ?? [];
    const digestAttribute = attributes.find((a) => a.type === OID.messageDigest)?.values[0] as asn1js.OctetString | undefined;
    const timeAttribute = attributes.find((a) => a.type === OID.signingTime)?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
    if (!digestAttribute) {
      return fail('MALFORMED', 'The signed attributes have no message digest.');
    }
    if (!timeAttribute) {
      return fail('NO_SIGNING_TIME', 'The signature carries no signing time.');
    }
    const signingTime = timeAttribute.toDate();
    const now = new Date();
    if (signingTime.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      return fail('NOT_VALID_AT_SIGNING_TIME', 'The signature claims a signing time in the future.');
    }
    const digest = await sha256(toArrayBuffer(content));
    if (!sameBytes(digest, digestAttribute.valueBlock.valueHexView.slice().buffer)) {
      return fail('DIGEST_MISMATCH', 'The content is not what was signed: it has been changed since.');
    }
    let valid = false;
    try {
      valid = await signedData.verify({ signer: 0, data: toArrayBuffer(content), checkChain: false });
    } catch {
      valid = false;
    }
    if (!valid) {
      return fail('BAD_SIGNATURE', 'The signature does not match the signer certificate.');
    }
    const roots = trustedRoots.map(parseCertificate);
    const root = await checkChain(signer, certificates, roots, signingTime);
    if (!hasKeyUsage(signer, 'non-repudiation')) {
      return fail('WRONG_KEY_USAGE', 'The certificate is not for signing (no non-repudiation key usage).');
    }
    const issuer = roots.find((r) => r.subject.isEqual(signer.issuer)) ?? certificates.find((c) => c.subject.isEqual(signer.issuer)) ?? root;
    await checkRevocation(signer, issuer, crls, now);
    return { ok: true, signer: identity(signer), signingTime };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, code: error.code, message: error.message };
    }
    return { ok: false, code: 'MALFORMED', message: 'The signature could not be read.' };
  }
};

export type CertificateCheck = { ok: true; holder: SignerIdentity } | { ok: false; code: SignatureErrorCode; message: string };

/**
 * The same chain, validity, key usage and revocation checks for a certificate on its own (card
 * login presents the authentication certificate with a signed challenge, not a CMS structure).
 */
export const verifyCertificate = async ({
  certificate,
  trustedRoots,
  crls,
  at,
  usage,
}: {
  certificate: Uint8Array;
  trustedRoots: readonly Uint8Array[];
  crls: readonly Uint8Array[];
  at: Date;
  usage: CertificateUsage;
}): Promise<CertificateCheck> => {
  try {
    let parsed: pkijs.Certificate;
    try {
      parsed = parseCertificate(certificate);
    } catch {
      return fail('MALFORMED', 'The certificate could not be read.');
    }
    const roots = trustedRoots.map(parseCertificate);
    const root = await checkChain(parsed, [], roots, at);
    if (!hasKeyUsage(parsed, usage)) {
      return fail('WRONG_KEY_USAGE', usage === 'authentication' ? 'The certificate is not for logging in.' : 'The certificate is not for signing.');
    }
    await checkRevocation(parsed, root, crls, at);
    return { ok: true, holder: identity(parsed) };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, code: error.code, message: error.message };
    }
    return { ok: false, code: 'MALFORMED', message: 'The certificate could not be checked.' };
  }
};
