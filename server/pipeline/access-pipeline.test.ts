import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import { createJournalServer } from '../journal-server';
import { FhirError } from '../fhir/operation-outcome';
import { fhir, openTestDatabase } from '../test-support/test-databases';
import { openPolicy, type AccessPolicy } from './access-policy';
import type { Principal } from './principal';

/**
 * A policy that hides every resource labelled restricted (meta.security R) and refuses creates of
 * Consent: stands in for the blocking rules of the access-control issue, to prove that what a
 * policy hides stays hidden wherever resources surface, and that it is asked before every write.
 */
const hidesRestricted: AccessPolicy = {
  ...openPolicy,
  authorize: (_principal: Principal, interaction, resourceType) => {
    if (interaction === 'create' && resourceType === 'Consent') {
      throw new FhirError(403, 'forbidden', 'Not allowed to create Consent.');
    }
  },
  visibility: () => (alias, first) => ({
    sql: `NOT (COALESCE(${alias}.content -> 'meta' -> 'security', '[]'::jsonb) @> $${first}::jsonb)`,
    params: [JSON.stringify([{ code: 'R' }])],
  }),
};

describe.each(['pglite', 'postgres'] as const)('the access pipeline on %s', (kind) => {
  let url = '';
  let database: Database;
  let close: () => Promise<void>;
  let patientId = '';
  let hiddenId = '';
  let hiddenPatientId = '';
  let laterHiddenId = '';
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0', policy: hidesRestricted });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = baseUrl();
    close = () => app.close();
    const patient = await fhir(`${url}/Patient`, { method: 'POST', body: { resourceType: 'Patient', name: [{ family: 'Skjult' }] } });
    patientId = patient.body.id as string;
    const visibleNote = { resourceType: 'Condition', subject: { reference: `Patient/${patientId}` }, code: { text: 'open' } };
    await fhir(`${url}/Condition`, { method: 'POST', body: visibleNote });
    const hidden = await fhir(`${url}/Condition`, {
      method: 'POST',
      body: { ...visibleNote, code: { text: 'blocked' }, meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } },
    });
    hiddenId = hidden.body.id as string;
    const hiddenPatient = await fhir(`${url}/Patient`, {
      method: 'POST',
      body: { resourceType: 'Patient', name: [{ family: 'Sperret' }], meta: { security: [{ code: 'R' }] } },
    });
    hiddenPatientId = hiddenPatient.body.id as string;
    await fhir(`${url}/Condition`, { method: 'POST', body: { ...visibleNote, subject: { reference: `Patient/${hiddenPatientId}` }, code: { text: 'about hidden' } } });
    // Restricted only in its second version: the first, unlabelled version must be hidden too.
    const later = await fhir(`${url}/Condition`, { method: 'POST', body: { ...visibleNote, code: { text: 'later' } } });
    laterHiddenId = later.body.id as string;
    await fhir(`${url}/Condition/${laterHiddenId}`, {
      method: 'PUT',
      body: { ...later.body, meta: { security: [{ code: 'R' }] } },
      headers: { 'if-match': 'W/"1"' },
    });
  });
  afterAll(async () => {
    await close();
  });

  const ids = (bundle: Record<string, unknown>): string[] =>
    ((bundle.entry as { resource: { id: string } }[] | undefined) ?? []).map((entry) => entry.resource.id);

  it('hides the resource from read and vread', async () => {
    expect((await fhir(`${url}/Condition/${hiddenId}`)).status).toBe(404);
    expect((await fhir(`${url}/Condition/${hiddenId}/_history/1`)).status).toBe(404);
  });

  it('hides every version of a resource restricted in a later version', async () => {
    expect((await fhir(`${url}/Condition/${laterHiddenId}/_history/1`)).status).toBe(404);
    expect((await fhir(`${url}/Condition/${laterHiddenId}/_history`)).status).toBe(404);
    expect(ids((await fhir(`${url}/_history`)).body)).not.toContain(laterHiddenId);
  });

  it('refuses to overwrite a hidden resource, answering as if it were not there', async () => {
    const answer = await fhir(`${url}/Condition/${hiddenId}`, {
      method: 'PUT',
      body: { resourceType: 'Condition', id: hiddenId, subject: { reference: `Patient/${patientId}` }, code: { text: 'overwritten' } },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).not.toMatch(/version/);
    const { rows } = await database.query<{ version_id: number }>('SELECT version_id FROM resource WHERE id = $1', [hiddenId]);
    expect(rows[0]?.version_id).toBe(1);
  });

  it('does not create a duplicate of a hidden resource on a conditional create', async () => {
    const answer = await fhir(`${url}/Patient`, {
      method: 'POST',
      body: { resourceType: 'Patient', name: [{ family: 'Sperret' }] },
      headers: { 'if-none-exist': 'family=sperret' },
    });
    expect(answer.status).toBe(409);
    const { rows } = await database.query<{ n: number }>("SELECT count(*)::int AS n FROM search_string WHERE param = 'family' AND value = 'sperret'");
    expect(rows[0]?.n).toBe(1);
  });

  it('hides it from search results and from the total', async () => {
    const search = await fhir(`${url}/Condition?patient=${patientId}`);
    expect(search.body.total).toBe(1);
    expect(ids(search.body)).not.toContain(hiddenId);
    const counted = await fhir(`${url}/Condition?patient=${patientId}&_count=0&_total=accurate`);
    expect(counted.body.total).toBe(1);
  });

  it('hides it from _include, history and $everything', async () => {
    const withSubjects = await fhir(`${url}/Condition?patient=${hiddenPatientId}&_include=Condition:subject`);
    expect(ids(withSubjects.body)).toHaveLength(1);
    expect(ids(withSubjects.body)).not.toContain(hiddenPatientId);
    const control = await fhir(`${url}/Condition?patient=${patientId}&_include=Condition:subject`);
    expect(ids(control.body)).toContain(patientId);
    expect((await fhir(`${url}/Condition/${hiddenId}/_history`)).status).toBe(404);
    for (const history of [`${url}/Condition/_history`, `${url}/_history`]) {
      expect(ids((await fhir(history)).body), history).not.toContain(hiddenId);
    }
    const everything = await fhir(`${url}/Patient/${patientId}/$everything`);
    expect(ids(everything.body)).toHaveLength(2);
    expect(ids(everything.body)).not.toContain(hiddenId);
  });

  it('asks the policy before a write and logs the refusal', async () => {
    const refused = await fhir(`${url}/Consent`, { method: 'POST', body: { resourceType: 'Consent', status: 'active' } });
    expect(refused.status).toBe(403);
    const { rows } = await database.query<{ outcome: number }>(
      "SELECT outcome FROM audit_log WHERE interaction = 'create' AND resource_type = 'Consent'",
    );
    expect(rows.map((row) => row.outcome)).toEqual([403]);
  });

  it('audits every interaction with principal and patient', async () => {
    await fhir(`${url}/Patient/${patientId}`);
    const { rows } = await database.query<{ principal: string; patient_id: string | null }>(
      "SELECT principal, patient_id FROM audit_log WHERE interaction = 'read' AND resource_type = 'Patient' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ principal: 'anonymous', patient_id: patientId });
  });
});
