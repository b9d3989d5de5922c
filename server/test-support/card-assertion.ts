import { createHash, X509Certificate } from 'node:crypto';
// Default import: pkcs11js is CommonJS with exports Node's ESM loader can not see by name.
import pkcs11js from 'pkcs11js';

const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * What the workstation sends to log in: a JWT signed RS256 on the card (SoftHSM2 here, through
 * PKCS#11) with the certificate in x5c. Made by hand so the key never leaves the token.
 */
export const cardAssertion = (options: {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  /** 1 = authentication key and certificate, 2 = signing (non-repudiation). */
  keyId: number;
  payload: Record<string, unknown>;
}): string => {
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(options.modulePath);
  pkcs11.C_Initialize();
  try {
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === options.tokenLabel);
    if (!slot) {
      throw new Error(`no token ${options.tokenLabel}`);
    }
    const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    pkcs11.C_Login(session, pkcs11js.CKU_USER, options.pin);
    const find = (template: pkcs11js.Template): Buffer => {
      pkcs11.C_FindObjectsInit(session, template);
      const [handle] = pkcs11.C_FindObjects(session, 1);
      pkcs11.C_FindObjectsFinal(session);
      if (!handle) {
        throw new Error('object not found on token');
      }
      return handle;
    };
    const id = Buffer.from([options.keyId]);
    const certificateHandle = find([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }, { type: pkcs11js.CKA_ID, value: id }]);
    const der = pkcs11.C_GetAttributeValue(session, certificateHandle, [{ type: pkcs11js.CKA_VALUE }])[0]?.value as Buffer;
    const key = find([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: id }]);
    const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [new X509Certificate(der).raw.toString('base64')] }))}.${b64url(JSON.stringify(options.payload))}`;
    pkcs11.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
    const signature = pkcs11.C_Sign(session, Buffer.concat([DIGEST_INFO_SHA256, createHash('sha256').update(input).digest()]), Buffer.alloc(512));
    pkcs11.C_Logout(session);
    pkcs11.C_CloseSession(session);
    return `${input}.${b64url(signature)}`;
  } finally {
    pkcs11.C_Finalize();
  }
};
