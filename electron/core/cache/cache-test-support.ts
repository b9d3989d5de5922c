// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Pkcs11Module } from '../card/pkcs11-card';
import type { SigningCard } from '../card/signing-card';
import { memoryLog } from '../test-support/memory-log';
import { openCache, type OpenCacheOptions, type OpenCacheResult } from './cache-database';
import type { FhirResource } from './cached-resource';
import { FileKeyStore } from './key-store';

/**
 * Tests only. Real SoftHSM2 cards for two clinicians: Kari (clinicians[0]) and Rita (clinicians[2]);
 * Ola's card (clinicians[1]) is taken out by card-presence.test.ts while the lane runs.
 */
export interface TestClinicianCard {
  hpr: string;
  card: SigningCard;
}

export const openTestCards = (): { kari: TestClinicianCard; rita: TestClinicianCard; close: () => void } => {
  const pki = inject('testPki');
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  const module = Pkcs11Module.load(pki.modulePath);
  const login = (index: number): TestClinicianCard => {
    const clinician = pki.clinicians[index];
    if (!clinician) {
      throw new Error(`the test PKI has no clinician ${index}`);
    }
    const card = module.open(clinician.tokenLabel);
    card.login(clinician.pin);
    return { hpr: clinician.hpr, card };
  };
  const kari = login(0);
  const rita = login(2);
  return {
    kari,
    rita,
    close: () => {
      kari.card.close();
      rita.card.close();
      module.close();
    },
  };
};

/** A data root in the temp folder with its own file key store, removed by `remove`. */
export const tempRoot = (): { root: string; keyStore: FileKeyStore; remove: () => void } => {
  const root = mkdtempSync(join(tmpdir(), 'akson-cache-'));
  return { root, keyStore: new FileKeyStore(root), remove: () => rmSync(root, { recursive: true, force: true }) };
};

export const openFor = (
  who: TestClinicianCard,
  where: { root: string; keyStore: FileKeyStore },
  extra: Partial<OpenCacheOptions> = {},
): OpenCacheResult => openCache({ root: where.root, keyStore: where.keyStore, clinicianHpr: who.hpr, card: who.card, log: memoryLog().log, ...extra });

/** Synthetic patient data with letters outside ASCII, so folding and byte searches are both exercised. */
export const ase: FhirResource = {
  resourceType: 'Patient',
  id: 'pat-ase',
  meta: { versionId: '1', lastUpdated: '2024-05-01T10:00:00Z' },
  identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '15528012345' }],
  name: [{ family: 'Testesen', given: ['Åse', 'Ødegård'] }],
  birthDate: '1980-05-15',
};

export const bo: FhirResource = {
  resourceType: 'Patient',
  id: 'pat-bo',
  meta: { versionId: '3', lastUpdated: '2024-05-01T10:00:00Z' },
  identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '02017099887' }],
  name: [{ family: 'Bø', given: ['Ærlig'] }],
  birthDate: '1970-01-02',
};

export const note = (id: string, text: string, versionId?: string): FhirResource => ({
  resourceType: 'Composition',
  id,
  ...(versionId === undefined ? {} : { meta: { versionId } }),
  status: 'preliminary',
  subject: { reference: 'Patient/pat-ase' },
  title: 'Journalnotat',
  section: [{ text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${text}</div>` } }],
});
