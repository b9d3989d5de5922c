import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../test-support/test-databases';
import { blockBody, entryIds, patientBody, startAccessWorld, type AccessWorld } from '../test-support/access-fixture';

interface Row {
  seq: string;
  principal: string;
  interaction: string;
  resource_type: string | null;
  patient_id: string | null;
  outcome: number;
  basis: string | null;
  reason: string | null;
  hpr: string | null;
  organization: string | null;
  role: string | null;
  entities: string[] | null;
}
const lastSeq = async (world: AccessWorld): Promise<number> => Number((await world.database.query<{ n: string | null }>('SELECT max(seq) AS n FROM audit_log')).rows[0]?.n ?? 0);
const since = async (world: AccessWorld, seq: number): Promise<Row[]> =>
  (await world.database.query<Row>('SELECT seq, principal, interaction, resource_type, patient_id, outcome, basis, reason, hpr, organization, role, entities FROM audit_log WHERE seq > $1 ORDER BY seq', [seq])).rows;

const reason = (text: string, code = 'emergency') => ({ resourceType: 'Parameters', parameter: [{ name: 'reason', valueCode: code }, { name: 'text', valueString: text }] });

describe('audit completeness: a scripted session by several clinicians (PGlite)', () => {
  let world: AccessWorld;
  let listed = '';
  let stranger = '';
  let condition = '';
  beforeAll(async () => {
    world = await startAccessWorld('pglite');
    listed = await world.create('Patient', patientBody('Listet', undefined, `PractitionerRole/${world.people.gp?.roleId ?? ''}`));
    stranger = await world.create('Patient', patientBody('Fremmed'));
    condition = await world.create('Condition', { subject: { reference: `Patient/${listed}` }, code: { text: 'astma' } });
    await world.create('Composition', { status: 'final', subject: { reference: `Patient/${listed}` }, title: 'Konsultasjon', type: { text: 'Legenotat' }, date: '2026-11-30' });
  });
  afterAll(async () => {
    await world.journal.close();
  });

  it('writes one record per patient per interaction, with who, basis and every resource returned: none missing, none extra', async () => {
    const start = await lastSeq(world);
    const { gp, colleague, otherGp } = world.people;
    // Each step: the request, and the audit records it must leave (entities from the answer itself).
    const expected: Omit<Row, 'seq' | 'reason' | 'hpr' | 'organization' | 'role'>[] = [];
    const expect1 = (principal: string, interaction: string, type: string | null, patient: string | null, outcome: number, basis: string | null, entities: string[] | null) =>
      expected.push({ principal, interaction, resource_type: type, patient_id: patient, outcome, basis, entities });
    const gpId = gp?.principal.id ?? '';
    const colleagueId = colleague?.principal.id ?? '';
    const otherId = otherGp?.principal.id ?? '';

    await world.as('gp', `/Patient/${listed}`);
    expect1(gpId, 'read', 'Patient', listed, 200, 'patient-search', [`Patient/${listed}`]);
    const search = await world.as('gp', `/Condition?patient=${listed}`);
    expect1(gpId, 'search', 'Condition', listed, 200, 'gp', entryIds(search.body));
    const everything = await world.as('colleague', `/Patient/${listed}/$everything`);
    expect(entryIds(everything.body).length).toBeGreaterThanOrEqual(3);
    expect1(colleagueId, 'everything', 'Patient', listed, 200, 'gp-office', entryIds(everything.body));
    const names = await world.as('otherGp', '/Patient?name=listet,fremmed');
    for (const key of entryIds(names.body)) {
      expect1(otherId, 'search', 'Patient', key.split('/')[1] ?? '', 200, 'patient-search', [key]);
    }
    expect((await world.as('otherGp', `/Condition/${condition}`)).status).toBe(403);
    expect1(otherId, 'read', 'Condition', listed, 403, null, null);
    const grant = await world.as('otherGp', `/Patient/${stranger}/$break-the-glass`, { method: 'POST', body: reason('Akutt innlagt') });
    const grantId = ((grant.body.parameter as { part: { name: string; valueString?: string }[] }[])[0]?.part.find((p) => p.name === 'id')?.valueString) ?? '';
    expect1(otherId, 'break-the-glass', 'Patient', stranger, 201, `self-authorisation:${grantId}`, null);
    await world.as('otherGp', `/Patient/${stranger}/$everything`);
    expect1(otherId, 'everything', 'Patient', stranger, 200, `self-authorisation:${grantId}`, [`Patient/${stranger}`]);
    const created = await world.as('gp', '/Condition', { method: 'POST', body: { resourceType: 'Condition', subject: { reference: `Patient/${listed}` }, code: { text: 'ny' } } });
    expect1(gpId, 'create', 'Condition', listed, 201, 'gp', [`Condition/${String(created.body.id)}`]);
    const history = await world.as('gp', `/Condition/${condition}/_history`);
    expect1(gpId, 'history', 'Condition', listed, 200, 'gp', entryIds(history.body));
    expect((await world.as('secretary', `/Condition/${condition}`)).status).toBe(403);
    expect1(world.people.secretary?.principal.id ?? '', 'read', 'Condition', null, 403, null, null);

    const rows = await since(world, start);
    expect(rows.map(({ seq: _s, reason: _r, hpr: _h, organization: _o, role: _ro, entities, ...rest }) => ({ ...rest, entities: entities === null ? null : [...entities].sort() }))).toEqual(
      expected.map((row) => ({ ...row, entities: row.entities === null ? null : [...row.entities].sort() })),
    );
    // Who in full, and the reason of a self-authorisation with every access it allowed.
    expect(rows[0]).toMatchObject({ hpr: gp?.principal.hpr, organization: `Organization/${world.org.gpOffice}`, role: 'physician' });
    expect(rows.find((row) => row.interaction === 'everything' && row.patient_id === stranger)?.reason).toBe('emergency: Akutt innlagt');
  });
});

describe.each(databaseKinds)('another organisation\'s patient, on %s', (kind) => {
  let world: AccessWorld;
  let patient = '';
  let condition = '';
  beforeAll(async () => {
    world = await startAccessWorld(kind);
    patient = await world.create('Patient', patientBody('Annen', '01868740139', `PractitionerRole/${world.people.gp?.roleId ?? ''}`));
    condition = await world.create('Condition', { identifier: [{ system: 'urn:test', value: 'c1' }], subject: { reference: `Patient/${patient}` }, code: { text: 'diabetes' } });
  });
  afterAll(async () => {
    await world.journal.close();
  });

  it('refuses it by id, search, _include, history, a guessed version and a chained reference, each audited as refused', async () => {
    const start = await lastSeq(world);
    const attempts: [path: string, status: number][] = [
      [`/Condition/${condition}`, 403],
      [`/Condition?patient=${patient}`, 403],
      [`/Condition?subject=Patient/${patient}&_include=Condition:subject`, 403],
      [`/Condition/${condition}/_history`, 403],
      [`/Condition/${condition}/_history/1`, 403],
      [`/Condition/${condition}/_history/2`, 403],
      [`/Patient/${patient}/$everything`, 403],
      [`/Condition?subject.name=annen`, 400],
      [`/Condition?subject:Patient.identifier=01868740139`, 400],
    ];
    for (const [path, status] of attempts) {
      const answer = await world.as('otherGp', path);
      expect(answer.status, path).toBe(status);
      expect(JSON.stringify(answer.body), path).not.toContain('diabetes');
    }
    const rows = await since(world, start);
    expect(rows.map((row) => [row.principal, row.outcome])).toEqual(attempts.map(([, status]) => [world.people.otherGp?.principal.id, status]));
    expect(rows.slice(0, 7).map((row) => row.patient_id)).toEqual(Array(7).fill(patient));
  });

  it('does not surface the record through a reference planted in demographics (_include)', async () => {
    const planted = await world.as('otherGp', '/Patient', { method: 'POST', body: { ...patientBody('Lokke'), generalPractitioner: [{ reference: `Condition/${condition}` }] } });
    expect(planted.status).toBe(201);
    for (const include of ['Patient:general-practitioner', 'Patient:general-practitioner:Condition']) {
      const answer = await world.as('otherGp', `/Patient?_id=${String(planted.body.id)}&_include=${include}`);
      expect(entryIds(answer.body), include).toEqual([`Patient/${String(planted.body.id)}`]);
    }
  });

  it('refuses it in batch and transaction entries too, each audited', async () => {
    const start = await lastSeq(world);
    const entries = [
      { request: { method: 'GET', url: `Condition/${condition}` } },
      { request: { method: 'GET', url: `Condition?patient=${patient}` } },
      { request: { method: 'POST', url: 'Condition' }, resource: { resourceType: 'Condition', subject: { reference: `Patient/${patient}` }, code: { text: 'planted' } } },
    ];
    const batch = await world.as('otherGp', '/', { method: 'POST', body: { resourceType: 'Bundle', type: 'batch', entry: entries } });
    expect(batch.status).toBe(200);
    expect((batch.body.entry as { response: { status: string } }[]).map((entry) => entry.response.status)).toEqual(['403', '403', '403']);
    const transaction = await world.as('otherGp', '/', { method: 'POST', body: { resourceType: 'Bundle', type: 'transaction', entry: entries.slice(2) } });
    expect(transaction.status).toBe(403);
    const rows = await since(world, start);
    expect(rows.map((row) => [row.interaction, row.outcome, row.patient_id])).toEqual([
      ['read', 403, patient],
      ['search', 403, patient],
      ['create', 403, patient],
      ['create', 403, patient],
    ]);
    const planted = await world.database.query("SELECT 1 FROM resource WHERE resource_type = 'Condition' AND content -> 'code' ->> 'text' = 'planted'");
    expect(planted.rows).toEqual([]);
  });

  it('finds the patient by national id, but none of the record by an identifier or across patients', async () => {
    expect(entryIds((await world.as('otherGp', '/Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|01868740139')).body)).toEqual([`Patient/${patient}`]);
    expect(entryIds((await world.as('otherGp', '/Condition?identifier=urn:test|c1')).body)).toEqual([]);
    const all = await world.as('otherGp', '/Condition?_total=accurate');
    expect(all.body.total).toBe(0);
    expect(entryIds((await world.as('otherGp', '/_history')).body).filter((key) => key.startsWith('Condition/'))).toEqual([]);
    expect(entryIds((await world.as('gp', '/Condition?identifier=urn:test|c1')).body)).toEqual([`Condition/${condition}`]);
  });
});

describe('bad input to self-authorisation and blocks: clear 4xx, nothing stored (PGlite)', () => {
  let world: AccessWorld;
  let patient = '';
  beforeAll(async () => {
    world = await startAccessWorld('pglite');
    patient = await world.create('Patient', patientBody('Sperre', undefined, `PractitionerRole/${world.people.gp?.roleId ?? ''}`));
  });
  afterAll(async () => {
    await world.journal.close();
  });
  const count = async (sql: string): Promise<number> => Number((await world.database.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

  it.each([
    ['an empty reason', 'otherGp', () => patient, reason('   '), 400, /own words/],
    ['a reason of 100,000 characters', 'otherGp', () => patient, reason('x'.repeat(100_000)), 400, /at most 500/],
    ['a reason code not on the list', 'otherGp', () => patient, reason('fordi', 'curious'), 400, /must be one of/],
    ['no Parameters', 'otherGp', () => patient, { resourceType: 'Patient' }, 400, /Parameters/],
    ['a patient that does not exist', 'otherGp', () => 'no-such-patient', reason('Akutt'), 404, /not found/],
    ['a secretary', 'secretary', () => patient, reason('Akutt'), 403, /physicians and nurses/],
    ['no login', 'nobody', () => patient, reason('Akutt'), 403, /login/],
  ])('self-authorisation refuses %s', async (_what, who, target, body, status, message) => {
    const start = await lastSeq(world);
    const answer = await world.as(who, `/Patient/${target()}/$break-the-glass`, { method: 'POST', body });
    expect(answer.status).toBe(status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(answer.body)).toMatch(message);
    expect(await count('SELECT count(*) AS n FROM access_grant')).toBe(0);
    expect((await since(world, start)).map((row) => [row.interaction, row.outcome])).toEqual([['break-the-glass', status]]);
  });

  it.each([
    ['by a secretary', 'secretary', () => blockBody(patient, { data: [{ reference: { reference: 'Composition/x' } }] }), 403],
    ['by a clinician without a basis for the patient', 'otherGp', () => blockBody(patient, { data: [{ reference: { reference: 'Composition/x' } }] }), 403],
    ['that names nothing to block', 'gp', () => blockBody(patient, {}), 400],
    ['with a date that is not one', 'gp', () => blockBody(patient, { period: { start: 'last spring' } }), 400],
    ['of the patient themselves', 'gp', () => blockBody(patient, { data: [{ reference: { reference: `Patient/${patient}` } }] }), 400],
    ['with a reason of 100,000 characters in a code', 'gp', () => blockBody(patient, { code: [{ coding: [{ code: 'x'.repeat(100_000) }] }] }), 400],
  ])('a block is refused %s', async (_what, who, body, status) => {
    const answer = await world.as(who, '/Consent', { method: 'POST', body: body() });
    expect(answer.status).toBe(status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(await count("SELECT count(*) AS n FROM resource WHERE resource_type = 'Consent'")).toBe(0);
    expect(await count('SELECT count(*) AS n FROM access_block')).toBe(0);
  });
});

describe('the access log, AuditEvents and the review of self-authorisations (PGlite)', () => {
  const NATIONAL_ID = '01868740139';
  let world: AccessWorld;
  let patient = '';
  let other = '';
  let grantId = '';
  beforeAll(async () => {
    world = await startAccessWorld('pglite', [NATIONAL_ID, '15898010020']);
    patient = await world.create('Patient', patientBody('Innsyn', NATIONAL_ID, `PractitionerRole/${world.people.gp?.roleId ?? ''}`));
    other = await world.create('Patient', patientBody('Annen', '15898010020'));
    await world.create('Composition', { status: 'final', subject: { reference: `Patient/${patient}` }, title: 'Kontroll diabetes', type: { text: 'Legenotat' }, section: [{ text: { div: 'HEMMELIG INNHOLD' } }] });
    await world.as('gp', `/Patient/${patient}/$everything`);
    await world.as('otherGp', `/Patient/${patient}/$everything`);
    const grant = await world.as('otherGp', `/Patient/${patient}/$break-the-glass`, { method: 'POST', body: reason('Pasienten ringte legevakten') });
    grantId = ((grant.body.parameter as { part: { name: string; valueString?: string }[] }[])[0]?.part.find((p) => p.name === 'id')?.valueString) ?? '';
  });
  afterAll(async () => {
    await world.journal.close();
  });

  it('shows the patient who opened their record, from where, on what basis and which documents (kind and title, not content)', async () => {
    const log = await world.as(`citizen:${NATIONAL_ID}`, `/Patient/${patient}/$access-log?from=2026-01-01&to=2027-01-01`);
    expect(log.status).toBe(200);
    const events = (log.body.entry as { resource: Record<string, unknown> }[]).map((entry) => entry.resource);
    const text = JSON.stringify(events);
    expect(text).toContain(world.people.gp?.principal.id);
    expect(text).toContain(`Organization/${world.org.gpOffice}`);
    expect(text).toContain('Kontroll diabetes');
    expect(text).toContain('Legenotat');
    expect(text).not.toContain('HEMMELIG');
    expect(text).toContain('Pasienten ringte legevakten');
    expect(events.map((event) => event.outcome)).toContain('4');
  });

  it('refuses a citizen another person\'s log, and a clinician any log', async () => {
    expect((await world.as(`citizen:${NATIONAL_ID}`, `/Patient/${other}/$access-log`)).status).toBe(403);
    expect((await world.as(`citizen:${NATIONAL_ID}`, `/Patient/${patient}`)).status).toBe(403);
    expect((await world.as('gp', `/Patient/${patient}/$access-log`)).status).toBe(403);
    expect((await world.as('gp', `/AuditEvent?patient=${patient}`)).status).toBe(403);
    expect((await world.as('privacy', `/Patient/${patient}/$access-log`)).status).toBe(200);
  });

  it('serves AuditEvents read-only to the privacy officer, by patient, agent and date', async () => {
    const byPatient = await world.as('privacy', `/AuditEvent?patient=${patient}&date=ge2026-12-01`);
    expect(byPatient.status).toBe(200);
    expect((byPatient.body.total as number) > 0).toBe(true);
    const byAgent = await world.as('privacy', `/AuditEvent?agent=${world.people.otherGp?.principal.id ?? ''}`);
    const agents = (byAgent.body.entry as { resource: { agent: { who: { reference?: string } }[] } }[]).map((entry) => entry.resource.agent[0]?.who.reference);
    expect(new Set(agents)).toEqual(new Set([world.people.otherGp?.principal.id]));
    expect((await world.as('privacy', '/AuditEvent?date=ge2030-01-01')).body.total).toBe(0);
    expect((await world.as('privacy', '/AuditEvent', { method: 'POST', body: { resourceType: 'AuditEvent' } })).status).toBe(405);
    expect((await world.as('privacy', '/AuditEvent/1', { method: 'DELETE' })).status).toBe(405);
  });

  it('lists self-authorisations for review and marks one reviewed with a comment, audited; only the privacy officer', async () => {
    const list = await world.as('privacy', '/$break-the-glass-review');
    expect(JSON.stringify(list.body)).toContain(grantId);
    const mark = { resourceType: 'Parameters', parameter: [{ name: 'grant', valueString: grantId }, { name: 'comment', valueString: 'Kontrollert, i orden' }] };
    expect((await world.as('gp', '/$break-the-glass-review', { method: 'POST', body: mark })).status).toBe(403);
    expect((await world.as('privacy', '/$break-the-glass-review', { method: 'POST', body: { ...mark, parameter: [mark.parameter[0]] } })).status).toBe(400);
    const reviewed = await world.as('privacy', '/$break-the-glass-review', { method: 'POST', body: mark });
    expect(reviewed.status).toBe(200);
    expect(JSON.stringify(reviewed.body)).toContain('Kontrollert, i orden');
    expect((await world.as('privacy', '/$break-the-glass-review', { method: 'POST', body: mark })).status).toBe(409);
    expect(JSON.stringify((await world.as('privacy', '/$break-the-glass-review')).body)).not.toContain(grantId);
    const { rows } = await world.database.query<{ outcome: number }>("SELECT outcome FROM audit_log WHERE interaction = 'review' AND reason = $1 ORDER BY seq", [`grant:${grantId}`]);
    expect(rows.map((row) => row.outcome)).toEqual([200, 409]);
    const mine = await world.as('otherGp', '/$my-grants');
    expect(JSON.stringify(mine.body)).toContain(grantId);
  });
});
