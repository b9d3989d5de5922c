import { createPrivateKey, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** A login assertion from the software TEST card (its authentication.p12), as the workstation makes it. */
export const softwareCardAssertion = (folder: string, pin: string, payload: Record<string, unknown>): string => {
  const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(readFileSync(join(folder, 'authentication.p12')).toString('binary')), pin);
  const keyOid = '1.2.840.113549.1.12.10.1.2';
  const certOid = '1.2.840.113549.1.12.10.1.3';
  const key = pfx.getBags({ bagType: keyOid })[keyOid]?.[0]?.key;
  const cert = pfx.getBags({ bagType: certOid })[certOid]?.[0]?.cert;
  if (!key || !cert) {
    throw new Error('the test card is incomplete');
  }
  const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
  const x5c = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary').toString('base64');
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [x5c] }))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey(forge.pki.privateKeyToPem(key)));
  return `${input}.${b64url(signature)}`;
};
