// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { describe, expect, inject, it } from 'vitest';
import { verifyProvenance } from '../../../shared/signing';
import { signResourceVersion } from '../signing/sign-resource';
import type { CardError } from './card-errors';
import { SoftwareTestCard } from './software-test-card';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

describe('the software test card', () => {
  it('is marked TEST in its label, its flag and its certificates', () => {
    const card = new SoftwareTestCard(pki.demoCard.file);
    card.login(pki.demoCard.pin);
    expect(card.isTest).toBe(true);
    expect(card.label).toContain('TEST');
    expect(card.certificates().every((c) => c.subject.includes('OU=TEST'))).toBe(true);
    card.close();
  });

  it('needs the PIN like a card, and says a wrong one is wrong', () => {
    const card = new SoftwareTestCard(pki.demoCard.file);
    expect(() => card.certificates()).toThrow(expect.objectContaining({ code: 'NOT_LOGGED_IN' }) as CardError);
    expect(() => card.login('999999')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }) as CardError);
    expect(() => card.signDigestInfo('signing', Buffer.alloc(51))).toThrow(expect.objectContaining({ code: 'NOT_LOGGED_IN' }) as CardError);
  });

  it('checks the PIN again for every later login (each signature), fast, and wrong is still wrong', () => {
    const card = new SoftwareTestCard(pki.demoCard.file);
    card.login(pki.demoCard.pin);
    // CPU time, not wall time: a busy machine (CI runs lanes side by side) must not fail it.
    const started = process.cpuUsage();
    card.login(pki.demoCard.pin);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(20);
    expect(() => card.login('999999')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }) as CardError);
    expect(() => card.login('12345')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }) as CardError);
    card.close();
    // Closed: the PIN check is gone with the keys, and the files decide again.
    expect(() => card.login('999999')).toThrow(expect.objectContaining({ code: 'PIN_INCORRECT' }) as CardError);
    card.login(pki.demoCard.pin);
    card.close();
  });

  it('signs through the same path as a real card, and the signature verifies as a TEST signer', async () => {
    const card = new SoftwareTestCard(pki.demoCard.file);
    card.login(pki.demoCard.pin);
    const note = { resourceType: 'Composition', id: 'demo-1', status: 'final', title: 'Demo' };
    const provenance = signResourceVersion({ card, resource: note, versionId: '1', practitioner: 'Practitioner/demo' });
    const result = await verifyProvenance(provenance, note, { trustedRoots: [der(pki.demoCaCertPem)], crls: [der(pki.demoCrlPem)] });
    expect(result).toMatchObject({ ok: true, signer: { hpr: pki.demoCard.hpr, test: true } });
    // Where only the real CA is trusted, a TEST signature does not verify at all.
    await expect(verifyProvenance(provenance, note, { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] })).resolves.toMatchObject({
      ok: false,
      code: 'UNTRUSTED_CHAIN',
    });
    card.close();
  });
});
