// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyProvenance } from '../../../shared/signing';
import { Pkcs11Module, type CardSession } from '../card/pkcs11-card';
import { signResourceVersion } from './sign-resource';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

describe('signing a journal note as a FHIR Provenance', () => {
  let module: Pkcs11Module;
  let card: CardSession;
  beforeAll(() => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    module = Pkcs11Module.load(pki.modulePath);
    const kari = pki.clinicians[0];
    card = module.open(kari?.tokenLabel ?? '');
    card.login(kari?.pin ?? '');
  });
  afterAll(() => {
    card.close();
    module.close();
  });

  const note = { resourceType: 'Composition', id: 'note-1', status: 'final', title: 'Konsultasjon', section: [{ title: 'Vurdering', text: { status: 'generated', div: '<div>Stabil.</div>' } }] };
  const trust = { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] };

  it('targets the version, names the practitioner, and verifies against the note the server stored', async () => {
    const provenance = signResourceVersion({ card, resource: note, versionId: '1', practitioner: 'Practitioner/kari' });
    expect(provenance.target).toEqual([{ reference: 'Composition/note-1/_history/1' }]);
    expect(provenance.signature[0]).toMatchObject({ sigFormat: 'application/pkcs7-signature', who: { reference: 'Practitioner/kari' } });
    // The server adds meta when it stores the version; the signature still holds.
    const stored = { ...note, meta: { versionId: '1', lastUpdated: '2026-11-28T08:00:00.000Z' } };
    await expect(verifyProvenance(provenance, stored, trust)).resolves.toMatchObject({ ok: true, signer: { hpr: pki.clinicians[0]?.hpr } });
  });

  it('no longer verifies once the note is changed', async () => {
    const provenance = signResourceVersion({ card, resource: note, versionId: '1', practitioner: 'Practitioner/kari' });
    const changed = { ...note, section: [{ title: 'Vurdering', text: { status: 'generated', div: '<div>Forverret.</div>' } }] };
    await expect(verifyProvenance(provenance, changed, trust)).resolves.toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });
});
