import forge from 'node-forge';
// Default import: pkcs11js is CommonJS with exports Node's ESM loader can not see by name.
import pkcs11js from 'pkcs11js';
import { CardError } from './card-errors';
import type { SigningCard } from './signing-card';

/**
 * A smart card (or SoftHSM2 token) through PKCS#11: the module path is a setting (OpenSC, the
 * card vendor's middleware, SoftHSM2 in tests). Security related: the PIN is passed to the token
 * for one login and never kept or logged; private keys never leave the card.
 */
export type PinState = 'ok' | 'few-tries-left' | 'final-try' | 'locked';

export interface TokenSummary {
  label: string;
  manufacturer: string;
  serialNumber: string;
  pinState: PinState;
}

export type CertificateKind = 'authentication' | 'signing';

export interface CardCertificate {
  kind: CertificateKind;
  /** CKA_ID: pairs the certificate with its private key on the card. */
  id: Buffer;
  der: Buffer;
  subject: string;
}

const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;

const pinStateOf = (flags: number): PinState =>
  flags & CKF_USER_PIN_LOCKED ? 'locked' : flags & CKF_USER_PIN_FINAL_TRY ? 'final-try' : flags & CKF_USER_PIN_COUNT_LOW ? 'few-tries-left' : 'ok';

/** The PKCS#11 error name pkcs11js puts at the start of its messages (CKR_PIN_INCORRECT:160). */
const pkcs11Code = (error: unknown): string => (error instanceof Error ? (/^(CKR_\w+)/.exec(error.message)?.[1] ?? '') : '');

// Kept apart (digest-info.ts) so that signing code loads without the native addon.
export { sha256DigestInfo } from './digest-info';

export class Pkcs11Module {
  private constructor(private readonly pkcs11: pkcs11js.PKCS11) {}

  static load(modulePath: string): Pkcs11Module {
    const pkcs11 = new pkcs11js.PKCS11();
    try {
      pkcs11.load(modulePath);
      pkcs11.C_Initialize();
    } catch (error) {
      throw new CardError('MODULE_NOT_LOADED', `The card reader software (${modulePath}) could not be loaded: ${pkcs11Code(error) || 'load failed'}.`);
    }
    return new Pkcs11Module(pkcs11);
  }

  /** Tokens present now (a card in a reader), with the state of their PIN. */
  tokens(): TokenSummary[] {
    return this.pkcs11.C_GetSlotList(true).flatMap((slot) => {
      let info: pkcs11js.TokenInfo;
      try {
        info = this.pkcs11.C_GetTokenInfo(slot);
      } catch {
        return []; // taken out between the slot list and this call
      }
      // An empty, uninitialised token (SoftHSM always offers one) is not a card.
      if (!(info.flags & CKF_TOKEN_INITIALIZED)) {
        return [];
      }
      return {
        label: info.label.trim(),
        manufacturer: info.manufacturerID.trim(),
        serialNumber: info.serialNumber.trim(),
        pinState: pinStateOf(info.flags),
      };
    });
  }

  private slotOf(label: string): Buffer {
    for (const slot of this.pkcs11.C_GetSlotList(true)) {
      if (this.pkcs11.C_GetTokenInfo(slot).label.trim() === label) {
        return slot;
      }
    }
    throw new CardError('TOKEN_NOT_FOUND', `No card with the label "${label}" is in a reader.`);
  }

  open(label: string): CardSession {
    const slot = this.slotOf(label);
    const session = this.pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    return new CardSession(this.pkcs11, slot, session, label);
  }

  close(): void {
    this.pkcs11.C_Finalize();
  }
}

export class CardSession implements SigningCard {
  readonly isTest = false;
  private loggedIn = false;

  constructor(
    private readonly pkcs11: pkcs11js.PKCS11,
    private readonly slot: Buffer,
    private readonly session: Buffer,
    readonly label: string,
  ) {}

  pinState(): PinState {
    return pinStateOf(this.pkcs11.C_GetTokenInfo(this.slot).flags);
  }

  private find(template: pkcs11js.Template): Buffer[] {
    this.pkcs11.C_FindObjectsInit(this.session, template);
    try {
      return this.pkcs11.C_FindObjects(this.session, 64);
    } finally {
      this.pkcs11.C_FindObjectsFinal(this.session);
    }
  }

  /** Both certificates, told apart by key usage: non-repudiation signs, the other authenticates. */
  certificates(): CardCertificate[] {
    return this.find([{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]).map((handle) => {
      const [value, id] = this.pkcs11.C_GetAttributeValue(this.session, handle, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }]);
      const der = value?.value as Buffer;
      const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary')));
      const keyUsage = cert.getExtension('keyUsage') as { nonRepudiation?: boolean } | null;
      return {
        kind: keyUsage?.nonRepudiation ? 'signing' : 'authentication',
        id: id?.value as Buffer,
        der,
        subject: cert.subject.attributes.map((a) => `${a.shortName ?? a.type ?? ''}=${String(a.value)}`).join(', '),
      };
    });
  }

  /**
   * Logs in with the PIN. A wrong PIN says how close the card is to locking, read back from the
   * token; a locked card says so. Security related: the PIN is not stored anywhere.
   */
  login(pin: string): void {
    if (!/^\d{4,12}$/.test(pin)) {
      throw new CardError('PIN_INVALID_FORMAT', 'A PIN is 4 to 12 digits.');
    }
    try {
      try {
        this.pkcs11.C_Login(this.session, pkcs11js.CKU_USER, pin);
      } catch (error) {
        // Security related: login state is shared by every session of this process on the token,
        // so "already logged in" says nothing about this PIN. Log out and check the PIN again.
        if (pkcs11Code(error) !== 'CKR_USER_ALREADY_LOGGED_IN') {
          throw error;
        }
        this.pkcs11.C_Logout(this.session);
        this.pkcs11.C_Login(this.session, pkcs11js.CKU_USER, pin);
      }
      this.loggedIn = true;
    } catch (error) {
      // Whatever failed, the token is not logged in now (a logout may have come first): say so,
      // so nothing signs on a login that is gone.
      this.loggedIn = false;
      const code = pkcs11Code(error);
      if (code === 'CKR_PIN_LOCKED') {
        throw new CardError('PIN_LOCKED', 'The card is locked after too many wrong PINs.');
      }
      if (code === 'CKR_PIN_INCORRECT' || code === 'CKR_PIN_LEN_RANGE') {
        const state = this.pinState();
        throw state === 'locked'
          ? new CardError('PIN_LOCKED', 'The card is locked after too many wrong PINs.')
          : state === 'final-try'
            ? new CardError('PIN_INCORRECT_FINAL_TRY_NEXT', 'Wrong PIN. The next wrong PIN locks the card.')
            : state === 'few-tries-left'
              ? new CardError('PIN_INCORRECT_FEW_TRIES_LEFT', 'Wrong PIN. Few tries are left before the card locks.')
              : new CardError('PIN_INCORRECT', 'Wrong PIN.');
      }
      if (code === 'CKR_DEVICE_REMOVED' || code === 'CKR_TOKEN_NOT_PRESENT' || code === 'CKR_SESSION_HANDLE_INVALID') {
        throw new CardError('CARD_REMOVED', 'The card was taken out.');
      }
      throw new CardError('CARD_FAILURE', `The card refused the login (${code || 'unknown error'}).`);
    }
  }

  /** Signs a SHA-256 DigestInfo with the private key paired with the certificate of this kind. */
  signDigestInfo(kind: CertificateKind, digestInfo: Buffer): Buffer {
    if (!this.loggedIn) {
      throw new CardError('NOT_LOGGED_IN', 'Log in with the PIN first.');
    }
    const certificate = this.certificates().find((c) => c.kind === kind);
    const [key] = certificate
      ? this.find([
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: certificate.id },
        ])
      : [];
    if (!key) {
      throw new CardError('KEY_NOT_FOUND', `The card has no ${kind} key.`);
    }
    try {
      this.pkcs11.C_SignInit(this.session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
      return this.pkcs11.C_Sign(this.session, digestInfo, Buffer.alloc(512));
    } catch (error) {
      const code = pkcs11Code(error);
      throw code === 'CKR_DEVICE_REMOVED' || code === 'CKR_TOKEN_NOT_PRESENT'
        ? new CardError('CARD_REMOVED', 'The card was taken out.')
        : new CardError('CARD_FAILURE', `The card could not sign (${code || 'unknown error'}).`);
    }
  }

  /** Ends the session. Never throws: a card already taken out has nothing left to close. */
  close(): void {
    try {
      if (this.loggedIn) {
        this.loggedIn = false;
        this.pkcs11.C_Logout(this.session);
      }
    } catch {
      // Logged out already (another session did it, or the card is gone).
    }
    try {
      this.pkcs11.C_CloseSession(this.session);
    } catch {
      // The card was removed: its sessions are gone with it.
    }
  }
}
