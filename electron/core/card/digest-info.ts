/** SHA-256 DigestInfo prefix (PKCS#1 v1.5): what CKM_RSA_PKCS signs, hash appended. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export const sha256DigestInfo = (digest: Buffer): Buffer => {
  if (digest.length !== 32) {
    throw new TypeError('a SHA-256 digest is 32 bytes');
  }
  return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
};
