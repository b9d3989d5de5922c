import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition, DocumentReference, Encounter, Observation } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migration';
import { migrations } from '../../server/db/migrations';
import { openPolicy } from '../../server/pipeline/access-policy';
import { databaseAuditWriter } from '../../server/pipeline/audit-writer';
import { createJournal, type JournalSession } from '../../server/pipeline/journal';
import { systemPrincipal } from '../../server/pipeline/principal';
import { DISCHARGE_SUMMARY_LOINC } from '../../server/seed/discharge-letter';
import { HOSPITAL_NAME } from '../../server/seed/hospital';
import { isDischargeLetter, signLetter } from '../../server/seed/hospital-signatures';
import { generatePopulation } from '../../server/seed/population';
import { seedJournal, type SeedReport } from '../../server/seed/seed-journal';
import { ResourceStore } from '../../server/store/resource-store';
import { verifyProvenance, type SignableResource, type SignatureProvenance } from '../../shared/signing';
import { createDemoPki, type DemoPki } from './create-test-pki';
import { softwareHospitalSigner } from './hospital-signer';

const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
// A day before the real clock: the verifier refuses signing times in its future.
const options = { patients: 80, seed: 11, now: new Date(Date.now() - 24 * 3600 * 1000) };

/**
 * The hospital's discharge letters as the demo journal holds them: seeded into a real journal
 * (PGlite) with the hospital test CA's software keys, then read back and every signature checked
 * with shared/signing, the same verification the workstation runs.
 */
describe('hospital letters in the journal', () => {
  let dir: string;
  let pki: DemoPki;
  let db: Database;
  let session: JournalSession;
  let report: SeedReport;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'akson-hospital-'));
    pki = createDemoPki(dir);
    db = await openPgliteDatabase();
    await migrate(db, migrations);
    session = createJournal({ store: new ResourceStore(db), policy: openPolicy, audit: databaseAuditWriter(db) }).as(systemPrincipal('seed'));
    report = await seedJournal(session, options, { hospitalSigner: softwareHospitalSigner(pki.hospitalSigners) });
  }, 120_000);
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = async <T>(type: string, params: [string, string][] = []): Promise<T[]> =>
    (await session.search(type, [...params, ['_count', '1000']])).matches.map((match) => match.resource as T);

  const trust = () => ({ trustedRoots: [der(pki.hospitalCaCertPem)], crls: [der(pki.hospitalCrlPem)] });

  it('signs every discharge letter, and each stored letter verifies against the hospital CA as its physician', async () => {
    const letters = await all<Composition & SignableResource>('Composition', [['type', `http://loinc.org|${DISCHARGE_SUMMARY_LOINC}`]]);
    const provenances = await all<SignatureProvenance & { agent: { onBehalfOf?: { reference: string } }[] }>('Provenance');
    expect(letters.length).toBeGreaterThan(3);
    expect(report.signatures).toBe(letters.length);
    expect(provenances).toHaveLength(letters.length);
    const practitioners = new Map(
      (await all<{ id: string; identifier: { value: string }[] }>('Practitioner')).map((found) => [`Practitioner/${found.id}`, found.identifier[0]?.value]),
    );
    for (const letter of letters) {
      const provenance = provenances.find((found) => found.target[0]?.reference === `Composition/${letter.id}/_history/1`);
      expect(provenance, `Provenance of ${letter.id}`).toBeDefined();
      if (provenance === undefined) {
        continue;
      }
      expect(letter.meta?.versionId).toBe('1');
      expect(provenance.signature[0]?.who.reference).toBe(letter.attester?.[0]?.party?.reference);
      expect(provenance.agent[0]?.onBehalfOf?.reference).toBe(letter.custodian?.reference);
      // The stored version, meta and all, is what was signed.
      const result = await verifyProvenance(provenance, letter, trust());
      expect(result).toMatchObject({ ok: true, signer: { test: false } });
      if (result.ok) {
        expect(result.signer.hpr).toBe(practitioners.get(provenance.signature[0]?.who.reference ?? ''));
        expect(result.signingTime.toISOString()).toBe(new Date(letter.attester?.[0]?.time ?? '').toISOString());
      }

      const tampered = structuredClone(letter);
      const plan = tampered.section?.at(-1)?.text;
      if (plan !== undefined) {
        plan.div = plan.div.replace('</p>', ' Seponer alle legemidler.</p>');
      }
      expect(await verifyProvenance(provenance, tampered, trust())).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
    }
    // The TEST card's demo CA is no anchor for the hospital's signatures.
    const [first] = letters;
    const provenance = provenances[0];
    if (first !== undefined && provenance !== undefined) {
      const target = letters.find((found) => provenance.target[0]?.reference === `Composition/${found.id}/_history/1`) ?? first;
      expect(await verifyProvenance(provenance, target, { trustedRoots: [der(pki.demoCaCertPem)], crls: [der(pki.demoCrlPem)] })).toMatchObject({
        ok: false,
        code: 'UNTRUSTED_CHAIN',
      });
    }
  });

  it('attributes letters, documents, encounters and labs to the hospital and its physicians', async () => {
    const [hospital, ...others] = await all<{ id: string; name: string }>('Organization', [['type', 'hospital']]);
    expect(others).toHaveLength(0);
    expect(hospital?.name).toBe(HOSPITAL_NAME);
    const hospitalRef = `Organization/${hospital?.id ?? ''}`;
    const stays = await all<Encounter>('Encounter', [['class', 'IMP']]);
    const letters = await all<Composition>('Composition', [['type', `http://loinc.org|${DISCHARGE_SUMMARY_LOINC}`]]);
    const documents = await all<DocumentReference>('DocumentReference');
    const labs = (await all<Observation>('Observation')).filter((found) => found.performer?.some((performer) => performer.reference === hospitalRef));
    expect(stays.length).toBe(letters.length);
    expect(documents.length).toBe(letters.length);
    expect(labs.length).toBeGreaterThanOrEqual(4 * stays.length);
    for (const stay of stays) {
      expect(stay.serviceProvider?.reference).toBe(hospitalRef);
      const letter = letters.find((found) => found.encounter?.reference === `Encounter/${stay.id ?? ''}`);
      expect(letter?.custodian?.reference).toBe(hospitalRef);
      expect(letter?.author.map((author) => author.reference)).toContain(hospitalRef);
      expect(letter?.subject?.reference).toBe(stay.subject?.reference);
      const document = documents.find((found) => found.context?.related?.[0]?.reference === `Composition/${letter?.id ?? ''}`);
      expect(document?.custodian?.reference).toBe(hospitalRef);
      expect(document?.subject?.reference).toBe(stay.subject?.reference);
      const own = labs.filter((lab) => lab.encounter?.reference === `Encounter/${stay.id ?? ''}`);
      expect(own.length).toBeGreaterThanOrEqual(4);
      own.forEach((lab) => expect(lab.subject?.reference).toBe(stay.subject?.reference));
    }
    // The chart finds them through the patient compartment, as it pulls a chart.
    const stay = stays[0];
    const patientId = stay?.subject?.reference?.split('/')[1] ?? '';
    const { resources: everything } = await session.everything(patientId, undefined);
    const types = new Set(everything.map((found) => found.resourceType));
    expect([...types]).toEqual(expect.arrayContaining(['Encounter', 'Composition', 'DocumentReference', 'Observation']));
  });

  it('signs the same letter to the same bytes with the same key, and generation stays pure', () => {
    const signer = softwareHospitalSigner(pki.hospitalSigners);
    const letter = [...generatePopulation(options)].flat().find(isDischargeLetter);
    expect(letter).toBeDefined();
    if (letter === undefined) {
      return;
    }
    const hpr = () => pki.hospitalSigners[0]?.hpr;
    expect(JSON.stringify(signLetter(letter, hpr, signer))).toBe(JSON.stringify(signLetter(letter, hpr, signer)));
    expect(JSON.stringify([...generatePopulation(options)])).toBe(JSON.stringify([...generatePopulation(options)]));
  });
});
