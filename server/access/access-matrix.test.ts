import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockBody, entryIds, MORNING, patientBody, startAccessWorld, type AccessWorld } from '../test-support/access-fixture';

/**
 * The policy matrix, through the HTTP API: role x relationship x operation, then blocking x
 * viewer. The expected outcome of every cell is written in the tables below.
 */
type Outcome = 'allowed' | 'refused' | 'hidden' | 'not for the role' | 'administration only';
const OPERATIONS = ['read', 'search', 'everything', 'history', 'include', 'conditional create', 'write'] as const;
type Operation = (typeof OPERATIONS)[number];

/** What each operation answers for an allowed, a refused (no basis, or the role) and a hidden (blocked) cell. */
const EXPECTED: Record<Outcome, Record<Operation, number>> = {
  allowed: { read: 200, search: 200, everything: 200, history: 200, include: 2, 'conditional create': 200, write: 201 },
  refused: { read: 403, search: 403, everything: 403, history: 403, include: 0, 'conditional create': 403, write: 403 },
  hidden: { read: 404, search: 200, everything: 200, history: 404, include: 0, 'conditional create': 409, write: 201 },
  // The role sees no Condition at all (403 even where the search finds nothing) and no record.
  'not for the role': { read: 403, search: 403, everything: 403, history: 403, include: 403, 'conditional create': 403, write: 403 },
  // A secretary with a basis: $everything answers the administrative part (checked below), nothing clinical.
  'administration only': { read: 403, search: 403, everything: 200, history: 403, include: 403, 'conditional create': 403, write: 403 },
};

describe('the access policy matrix (PGlite)', () => {
  let world: AccessWorld;
  const patients: Record<string, string> = {};
  const conditions: Record<string, string> = {};
  const notes: Record<string, string> = {};

  beforeAll(async () => {
    world = await startAccessWorld('pglite');
    const { org, people } = world;
    const gpRole = `PractitionerRole/${people.gp?.roleId ?? ''}`;
    const old = { start: '2020-03-01T09:00:00+01:00', end: '2020-03-01T09:30:00+01:00' };
    for (const name of ['listed', 'booked', 'referred', 'team', 'emergency', 'glass', 'expired', 'unblocked']) {
      const id = await world.create('Patient', patientBody(name, undefined, name === 'listed' || name === 'unblocked' ? gpRole : undefined));
      patients[name] = id;
      // Each has a finished, long-past encounter (no basis) and a condition on it.
      const encounter = await world.create('Encounter', {
        status: name === 'emergency' ? 'in-progress' : 'finished',
        class: { code: 'AMB' },
        subject: { reference: `Patient/${id}` },
        serviceProvider: { reference: `Organization/${name === 'listed' || name === 'unblocked' ? org.gpOffice : org.emergency}` },
        period: name === 'emergency' ? { start: MORNING.toISOString() } : old,
        reasonCode: [{ text: 'klinisk grunn' }],
      });
      conditions[name] = await world.create('Condition', {
        identifier: [{ system: 'urn:test:condition', value: name }],
        subject: { reference: `Patient/${id}` },
        encounter: { reference: `Encounter/${encounter}` },
        code: { text: 'problem' },
      });
    }
    const otherGp = `Practitioner/${people.otherGp?.practitionerId ?? ''}`;
    await world.create('Appointment', {
      status: 'booked',
      start: '2026-12-02T10:00:00+01:00',
      end: '2026-12-02T10:20:00+01:00',
      participant: [{ actor: { reference: `Patient/${patients.booked}` } }, { actor: { reference: otherGp } }],
    });
    await world.create('ServiceRequest', {
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patients.referred}` },
      performer: [{ reference: `Organization/${org.otherOffice}` }],
    });
    await world.create('CareTeam', { status: 'active', subject: { reference: `Patient/${patients.team}` }, participant: [{ member: { reference: otherGp } }] });
    const reason = { resourceType: 'Parameters', parameter: [{ name: 'reason', valueCode: 'emergency' }, { name: 'text', valueString: 'Innlagt akutt, trenger medisinliste' }] };
    expect((await world.as('otherGp', `/Patient/${patients.glass}/$break-the-glass`, { method: 'POST', body: reason })).status).toBe(201);
    world.clock.at = new Date(MORNING.getTime() - 5 * 3600 * 1000);
    expect((await world.as('otherGp', `/Patient/${patients.expired}/$break-the-glass`, { method: 'POST', body: reason })).status).toBe(201);
    world.clock.at = MORNING;

    // The listed patient's notes, then three blocks recorded by the GP at the patient's request.
    const note = (value: string, author: string, kind: string) =>
      world.create('Composition', {
        identifier: { system: 'urn:test:note', value },
        status: 'final',
        type: { coding: [{ system: 'urn:test:kind', code: kind }] },
        subject: { reference: `Patient/${patients.listed}` },
        date: '2026-11-01T10:00:00+01:00',
        author: [{ reference: `Practitioner/${author}` }],
        title: value,
      });
    notes.open = await note('open', people.colleague?.practitionerId ?? '', 'gp-note');
    notes.document = await note('document', people.colleague?.practitionerId ?? '', 'gp-note');
    notes.category = await note('category', people.gp?.practitionerId ?? '', 'psych');
    for (const provision of [
      { data: [{ meaning: 'instance', reference: { reference: `Composition/${notes.document}` } }] },
      { class: [{ code: 'Composition' }], code: [{ coding: [{ code: 'psych' }] }] },
      { actor: [{ reference: { reference: `Practitioner/${people.nurse?.practitionerId ?? ''}` } }] },
    ]) {
      expect((await world.as('gp', '/Consent', { method: 'POST', body: blockBody(patients.listed ?? '', provision) })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await world.journal.close();
  });

  const run = async (who: string, patient: string, operation: Operation): Promise<number> => {
    const id = patients[patient] ?? '';
    const condition = conditions[patient] ?? '';
    switch (operation) {
      case 'read':
        return (await world.as(who, `/Condition/${condition}`)).status;
      case 'search':
        return (await world.as(who, `/Condition?patient=${id}&_total=accurate`)).status;
      case 'everything':
        return (await world.as(who, `/Patient/${id}/$everything`)).status;
      case 'history':
        return (await world.as(who, `/Condition/${condition}/_history`)).status;
      case 'include': {
        // The number of entries when the search is allowed, else the refusal's status.
        const answer = await world.as(who, `/Condition?_id=${condition}&_include=Condition:encounter`);
        return answer.status === 200 ? entryIds(answer.body).length : answer.status;
      }
      case 'conditional create':
        return (
          await world.as(who, '/Condition', {
            method: 'POST',
            body: { resourceType: 'Condition', subject: { reference: `Patient/${id}` }, code: { text: 'again' }, identifier: [{ system: 'urn:test:condition', value: patient }] },
            headers: { 'if-none-exist': `identifier=urn:test:condition|${patient}` },
          })
        ).status;
      case 'write':
        return (await world.as(who, '/Condition', { method: 'POST', body: { resourceType: 'Condition', subject: { reference: `Patient/${id}` }, code: { text: 'new' } } })).status;
      default: {
        const unexpected: never = operation;
        throw new Error(String(unexpected));
      }
    }
  };

  // role x relationship: who, whose record, the relationship it tests, the outcome of every operation.
  const matrix: [who: string, patient: string, relationship: string, outcome: Outcome][] = [
    ['otherGp', 'listed', 'none (another office\'s listed patient)', 'refused'],
    ['gp', 'listed', 'GP', 'allowed'],
    ['colleague', 'listed', 'same office as the GP', 'allowed'],
    ['otherGp', 'booked', 'appointment today', 'allowed'],
    ['emergency', 'emergency', 'open encounter at the emergency centre', 'allowed'],
    ['otherGp', 'referred', 'referral to the office', 'allowed'],
    ['otherGp', 'team', 'care team', 'allowed'],
    ['otherGp', 'glass', 'self-authorised', 'allowed'],
    ['otherGp', 'expired', 'self-authorisation expired', 'refused'],
    ['emergency', 'booked', 'none (appointment at another office)', 'refused'],
    ['secretary', 'listed', 'same office, but a secretary', 'administration only'],
    ['privacy', 'listed', 'same office, but the privacy officer (reads logs, not records)', 'not for the role'],
    ['nurse', 'listed', 'same office, but blocked as a named clinician', 'hidden'],
  ];
  it.each(matrix)('%s on the %s patient (%s): %s', async (who, patient, _relationship, outcome) => {
    for (const operation of OPERATIONS) {
      expect(await run(who, patient, operation), `${operation}`).toBe(EXPECTED[outcome][operation]);
    }
  });

  it('says why it refuses, and that self-authorisation is possible', async () => {
    const refused = await world.as('otherGp', `/Patient/${patients.listed}/$everything`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/No work-related need.*\$break-the-glass/);
  });

  it('lets everyone with a role find the patient by demographics, and no one without a login', async () => {
    for (const who of ['otherGp', 'secretary', 'privacy', 'emergency']) {
      expect((await world.as(who, `/Patient/${patients.listed}`)).status, who).toBe(200);
      expect(entryIds((await world.as(who, '/Patient?name=listed')).body), who).toEqual([`Patient/${patients.listed}`]);
    }
    expect((await world.as('nobody', `/Patient/${patients.listed}`)).status).toBe(403);
  });

  it('shows a secretary the administration of a patient at the office, never the clinical content', async () => {
    const encounters = await world.as('secretary', `/Encounter?patient=${patients.listed}`);
    expect(encounters.status).toBe(200);
    const [encounter] = (encounters.body.entry as { resource: Record<string, unknown> }[] | undefined) ?? [];
    expect(encounter?.resource.period).toBeDefined();
    expect(encounter?.resource.reasonCode).toBeUndefined();
    expect(JSON.stringify(encounters.body)).not.toContain('klinisk grunn');
    const full = (await world.as('gp', `/Encounter?patient=${patients.listed}`)).body.entry as { resource: Record<string, unknown> }[];
    expect(full.map((entry) => entry.resource.reasonCode)).toEqual([[{ text: 'klinisk grunn' }]]);
    expect((await world.as('secretary', `/Encounter?patient=${patients.booked}`)).status).toBe(403);
    // With a block on the patient (the full condition) and without one (the compartment's type check only).
    for (const patient of [patients.listed, patients.unblocked]) {
      const answer = await world.as('secretary', `/Patient/${patient ?? ''}/$everything`);
      const everything = entryIds(answer.body);
      expect(everything).toContain(`Patient/${patient ?? ''}`);
      expect(everything.some((key) => key.startsWith('Encounter/'))).toBe(true);
      expect(everything.filter((key) => !/^(Patient|Encounter|Appointment)\//.test(key))).toEqual([]);
      expect(JSON.stringify(answer.body)).not.toContain('klinisk grunn');
    }
    expect(entryIds((await world.as('gp', `/Patient/${patients.unblocked ?? ''}/$everything`)).body).some((key) => key.startsWith('Condition/'))).toBe(true);
  });

  // blocking x viewer: which of the listed patient's three notes each one sees.
  const blocks: [who: string, basis: string, open: number, document: number, category: number][] = [
    ['colleague', 'office; author of the blocked document', 200, 200, 404],
    ['gp', 'GP; author of the note in the blocked category', 200, 404, 200],
    ['nurse', 'office; blocked as a named clinician', 404, 404, 404],
  ];
  it.each(blocks)('blocking: %s (%s) reads the open, document-blocked and category-blocked notes as %i, %i, %i', async (who, _basis, open, document, category) => {
    expect((await world.as(who, `/Composition/${notes.open}`)).status).toBe(open);
    expect((await world.as(who, `/Composition/${notes.document}`)).status).toBe(document);
    expect((await world.as(who, `/Composition/${notes.category}`)).status).toBe(category);
    const visible = [open, document, category].filter((status) => status === 200).length;
    const search = await world.as(who, `/Composition?patient=${patients.listed}&_total=accurate&_count=1`);
    expect(search.body.total).toBe(visible);
    expect(search.body.meta).toEqual({ tag: [expect.objectContaining({ code: 'blocked', display: 'Noe informasjon er sperret' })] });
    const everything = await world.as(who, `/Patient/${patients.listed}/$everything`);
    expect(entryIds(everything.body).filter((key) => key.startsWith('Composition/'))).toHaveLength(visible);
    expect(JSON.stringify(everything.body.meta)).toContain('Noe informasjon er sperret');
  });

  it('blocking: hidden in vread, history, identifier search and conditional-create answers too', async () => {
    expect((await world.as('gp', `/Composition/${notes.document}/_history/1`)).status).toBe(404);
    expect((await world.as('gp', `/Composition/${notes.document}/_history`)).status).toBe(404);
    expect(entryIds((await world.as('gp', '/_history?_count=1000')).body)).not.toContain(`Composition/${notes.document}`);
    expect(entryIds((await world.as('gp', '/Composition/_history?_count=1000')).body)).toContain(`Composition/${notes.open}`);
    expect(entryIds((await world.as('gp', '/Composition?identifier=urn:test:note|document')).body)).toEqual([]);
    expect(entryIds((await world.as('colleague', '/Composition?identifier=urn:test:note|document')).body)).toEqual([`Composition/${notes.document}`]);
    const again = await world.as('gp', '/Composition', {
      method: 'POST',
      body: { resourceType: 'Composition', status: 'final', subject: { reference: `Patient/${patients.listed}` }, identifier: { system: 'urn:test:note', value: 'document' } },
      headers: { 'if-none-exist': 'identifier=urn:test:note|document' },
    });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain('document');
  });

  it('blocking: a self-authorisation lifts no block, and a named clinician stays blocked under one', async () => {
    const reason = { resourceType: 'Parameters', parameter: [{ name: 'reason', valueCode: 'care-now' }, { name: 'text', valueString: 'Pasienten er hos meg nå' }] };
    expect((await world.as('otherGp', `/Composition/${notes.open}`)).status).toBe(403);
    expect((await world.as('otherGp', `/Patient/${patients.listed}/$break-the-glass`, { method: 'POST', body: reason })).status).toBe(201);
    expect((await world.as('otherGp', `/Composition/${notes.open}`)).status).toBe(200);
    expect((await world.as('otherGp', `/Composition/${notes.document}`)).status).toBe(404);
    expect((await world.as('otherGp', `/Composition/${notes.category}`)).status).toBe(404);
    expect((await world.as('nurse', `/Patient/${patients.listed}/$break-the-glass`, { method: 'POST', body: reason })).status).toBe(201);
    expect((await world.as('nurse', `/Composition/${notes.open}`)).status).toBe(404);
    expect((await world.as('nurse', `/Condition/${conditions.listed}`)).status).toBe(404);
  });
});
