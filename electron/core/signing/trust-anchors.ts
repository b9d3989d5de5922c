import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';

/** What this workstation trusts when it checks a signature: root certificates and their CRLs, DER. */
export interface TrustAnchors {
  roots: Uint8Array[];
  crls: Uint8Array[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every block of the given label in a PEM text (a bundle may hold several), as DER. */
export const pemBlocks = (text: string, label: 'CERTIFICATE' | 'X509 CRL'): Uint8Array[] =>
  [...text.matchAll(PEM_BLOCK)].filter((match) => match[1] === label).map((match) => Uint8Array.from(Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64')));

const filesOf = (list: string | undefined): string[] => (list ?? '').split(delimiter).filter((file) => file.trim() !== '');

const read = (file: string, label: 'CERTIFICATE' | 'X509 CRL', variable: string): Uint8Array[] => {
  const blocks = pemBlocks(readFileSync(file, 'utf8'), label);
  if (blocks.length === 0) {
    // A trust setting that silently trusts nothing would make every signature "unverifiable".
    throw new Error(`${variable}: ${file} holds no PEM ${label}`);
  }
  return blocks;
};

/**
 * `AKSON_TRUST_ANCHORS` (root certificates) and `AKSON_TRUST_CRLS` (their revocation lists): PEM
 * files, several joined with the platform's path delimiter (`:`, `;` on Windows). Undefined when
 * no roots are named: signatures are then reported as unverifiable, never as verified. A file
 * that can not be read stops start-up, so a typo is seen at once.
 */
export const trustAnchorsFromEnv = (env: NodeJS.ProcessEnv): TrustAnchors | undefined => {
  const roots = filesOf(env.AKSON_TRUST_ANCHORS).flatMap((file) => read(file, 'CERTIFICATE', 'AKSON_TRUST_ANCHORS'));
  if (roots.length === 0) {
    return undefined;
  }
  return { roots, crls: filesOf(env.AKSON_TRUST_CRLS).flatMap((file) => read(file, 'X509 CRL', 'AKSON_TRUST_CRLS')) };
};
