import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { patientBody, startAccessWorld, type AccessWorld } from '../test-support/access-fixture';

/** Over HTTP, as the GP and a colleague at the same office (both may write the listed patient's record). */
describe('who recorded an allergy, problem or flag is the logged-in clinician (PGlite)', () => {
  let world: AccessWorld;
  let patient = '';
  const me = (): string => `Practitioner/${world.people.gp?.practitionerId ?? ''}`;
  const colleague = (): string => `Practitioner/${world.people.colleague?.practitionerId ?? ''}`;
  beforeAll(async () => {
    world = await startAccessWorld('pglite');
    patient = await world.create('Patient', patientBody('Registrert', undefined, `PractitionerRole/${world.people.gp?.roleId ?? ''}`));
  });
  afterAll(async () => {
    await world.journal.close();
  });

  it("refuses a create in someone else's name, takes one in one's own (by reference or HPR number) or with none", async () => {
    const allergy = (recorder?: unknown) => ({ resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${patient}` }, code: { text: 'Penicillin' }, ...(recorder ? { recorder } : {}) });
    const forged = await world.as('gp', '/AllergyIntolerance', { method: 'POST', body: allergy({ reference: colleague() }) });
    expect(forged.status).toBe(422);
    expect(JSON.stringify(forged.body)).toContain('someone else');
    const flag = await world.as('gp', '/Flag', { method: 'POST', body: { resourceType: 'Flag', status: 'active', subject: { reference: `Patient/${patient}` }, code: { text: 'Smitte' }, author: { reference: colleague() } } });
    expect(flag.status).toBe(422);
    expect((await world.as('gp', '/AllergyIntolerance', { method: 'POST', body: allergy({ reference: me(), display: 'Fastlegen' }) })).status).toBe(201);
    expect((await world.as('gp', '/AllergyIntolerance', { method: 'POST', body: allergy({ identifier: { system: HPR_SYSTEM, value: world.people.gp?.principal.hpr } }) })).status).toBe(201);
    expect((await world.as('gp', '/AllergyIntolerance', { method: 'POST', body: allergy({ identifier: { system: HPR_SYSTEM, value: world.people.colleague?.principal.hpr } }) })).status).toBe(422);
    expect((await world.as('gp', '/Condition', { method: 'POST', body: { resourceType: 'Condition', subject: { reference: `Patient/${patient}` }, code: { text: 'Astma' } } })).status).toBe(201);
  });

  it("a change keeps the first recorder: a colleague may change the GP's allergy, not claim it", async () => {
    const created = await world.as('gp', '/AllergyIntolerance', { method: 'POST', body: { resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${patient}` }, code: { text: 'Nøtter' }, recorder: { reference: me() } } });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const change = (recorder: unknown, version: string) =>
      world.as('colleague', `/AllergyIntolerance/${id}`, { method: 'PUT', headers: { 'If-Match': `W/"${version}"` }, body: { ...created.body, criticality: 'high', recorder } });
    const claimed = await change({ reference: colleague() }, '1');
    expect(claimed.status).toBe(422);
    expect(JSON.stringify(claimed.body)).toContain('keeps it');
    const kept = await change({ reference: me() }, '1');
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ criticality: 'high', recorder: { reference: me() } });
  });
});
