// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CardError } from './card-errors';
import { Pkcs11Module, sha256DigestInfo } from './pkcs11-card';

const pki = inject('testPki');
const clinician = pki.clinicians[0] ?? { tokenLabel: '', pin: '', hpr: '' };

describe('a smart card through PKCS#11 (SoftHSM2)', () => {
  let module: Pkcs11Module;
  beforeAll(() => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    module = Pkcs11Module.load(pki.modulePath);
  });
  afterAll(() => module.close());

  it('lists the tokens in the readers with their PIN state', () => {
    const tokens = module.tokens();
    // (card-presence.test.ts takes Ola's card out meanwhile, so only Kari's is certain to be in.)
    expect(tokens.map((t) => t.label)).toContain(clinician.tokenLabel);
    expect(tokens.map((t) => t.label)).not.toContain('');
    expect(tokens.find((t) => t.label === clinician.tokenLabel)?.pinState).toBe('ok');
  });

  it('reads both certificates and tells the signing one by its non-repudiation key usage', () => {
    const card = module.open(clinician.tokenLabel);
    try {
      const certificates = card.certificates();
      expect(certificates.map((c) => c.kind).sort()).toEqual(['authentication', 'signing']);
      expect(certificates[0]?.subject).toContain(`HPR-${clinician.hpr}`);
    } finally {
      card.close();
    }
  });

  it('refuses to sign before the PIN, then signs with the key that matches the signing certificate', () => {
    const card = module.open(clinician.tokenLabel);
    try {
      const data = Buffer.from('journalnotat');
      const digestInfo = sha256DigestInfo(createHash('sha256').update(data).digest());
      expect(() => card.signDigestInfo('signing', digestInfo)).toThrow(expect.objectContaining({ code: 'NOT_LOGGED_IN' }) as CardError);
      card.login(clinician.pin);
      const signature = card.signDigestInfo('signing', digestInfo);
      const signingCert = new X509Certificate(card.certificates().find((c) => c.kind === 'signing')?.der ?? Buffer.alloc(0));
      const authCert = new X509Certificate(card.certificates().find((c) => c.kind === 'authentication')?.der ?? Buffer.alloc(0));
      expect(verify('sha256', data, signingCert.publicKey, signature)).toBe(true);
      expect(verify('sha256', data, authCert.publicKey, signature)).toBe(false);
    } finally {
      card.close();
    }
  });

  it('says a wrong PIN is wrong, and still accepts the right one after', () => {
    const card = module.open(clinician.tokenLabel);
    try {
      expect(() => card.login('000000')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^PIN_INCORRECT/) as string }) as CardError);
      expect(() => card.login('12ab')).toThrow(expect.objectContaining({ code: 'PIN_INVALID_FORMAT' }) as CardError);
      card.login(clinician.pin);
    } finally {
      card.close();
    }
  });

  it('checks the PIN even when another session of this process is already logged in', () => {
    const first = module.open(clinician.tokenLabel);
    const second = module.open(clinician.tokenLabel);
    try {
      first.login(clinician.pin);
      expect(() => second.login('000000')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^PIN_INCORRECT/) as string }) as CardError);
      second.login(clinician.pin);
    } finally {
      second.close();
      first.close();
    }
  });

  it('after a wrong PIN on a logged-in card, says the card needs the PIN again rather than signing on a login that is gone', () => {
    const card = module.open(clinician.tokenLabel);
    try {
      card.login(clinician.pin);
      const digestInfo = sha256DigestInfo(createHash('sha256').update('notat').digest());
      expect(card.signDigestInfo('signing', digestInfo).length).toBe(256);
      expect(() => card.login('000000')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^PIN_INCORRECT/) as string }) as CardError);
      expect(() => card.signDigestInfo('signing', digestInfo)).toThrow(expect.objectContaining({ code: 'NOT_LOGGED_IN' }) as CardError);
      card.login(clinician.pin);
      expect(card.signDigestInfo('signing', digestInfo).length).toBe(256);
    } finally {
      card.close();
    }
  });

  it('names a card that is not in any reader', () => {
    expect(() => module.open('akson-000000000')).toThrow(expect.objectContaining({ code: 'TOKEN_NOT_FOUND' }) as CardError);
  });
});
