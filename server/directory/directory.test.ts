// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../db/database';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { createJournalServer } from '../journal-server';
import { openPolicy } from '../pipeline/access-policy';
import { databaseAuditWriter } from '../pipeline/audit-writer';
import { createJournal, type JournalSession } from '../pipeline/journal';
import { systemPrincipal } from '../pipeline/principal';
import { ResourceStore } from '../store/resource-store';
import { journalAudience } from '../auth/journal-audience';
import { cardAssertion } from '../test-support/card-assertion';
import { addClinician } from '../test-support/directory-fixture';
import { databaseKinds, fhir, openTestDatabase, startTestJournal } from '../test-support/test-databases';
import { addOrganization, addPractitioner, addRole, listDirectory, setActive } from './directory-commands';
import { PRACTITIONER_ROLE_SYSTEM } from './directory-rules';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
// Rita's certificate is revoked: she stands for a third HPR number nobody can log in with.
const [kari, ola, rita] = pki.clinicians;
if (!kari || !ola || !rita) {
  throw new Error('the test PKI has three clinicians');
}
type Person = typeof kari;

const role = (practitionerId: string, organizationId: string, code = 'physician') => ({
  resourceType: 'PractitionerRole',
  practitioner: { reference: `Practitioner/${practitionerId}` },
  organization: { reference: `Organization/${organizationId}` },
  code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code }] }],
});

/** The journal as `npm run server -- --trust` starts it, with Kari and Ola in its directory. */
const startWithCardLogin = async (kind: (typeof databaseKinds)[number]) => {
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  const database = await openTestDatabase(kind);
  const { app, baseUrl } = await createJournalServer({
    database,
    version: '0.1.0',
    cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = baseUrl().replace(/\/fhir$/, '');
  await fhir(`${base}/fhir/metadata`);
  const store = new ResourceStore(database);
  const people = await database.transaction(async (tx) => ({
    kari: await addClinician(store, tx, { hpr: kari.hpr, name: kari.name }),
    ola: await addClinician(store, tx, { hpr: ola.hpr, name: ola.name }),
  }));
  const admin = createJournal({ store, policy: openPolicy, audit: databaseAuditWriter(database) }).as(systemPrincipal('directory:test'));
  const login = async (person: Person, extra: Record<string, unknown> = {}) => {
    const { challenge } = (await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} })).body as { challenge: string };
    const assertion = cardAssertion({
      modulePath: pki.modulePath,
      tokenLabel: person.tokenLabel,
      pin: person.pin,
      keyId: 1,
      payload: { challenge, aud: journalAudience(base), iat: Math.floor(Date.now() / 1000), ...extra },
    });
    return fhir(`${base}/auth/token`, { method: 'POST', body: { assertion } });
  };
  const tokenOf = async (person: Person): Promise<string> => {
    const answer = await login(person);
    expect(answer.status).toBe(200);
    return String(answer.body.access_token);
  };
  /** The `sub` of an access token: who the journal took the card holder to be. */
  const subjectOf = (token: string): unknown => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub;
  return { database, base, people, admin, login, tokenOf, subjectOf, close: () => app.close() };
};

const count = async (database: Database, type: string): Promise<number> =>
  (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM resource WHERE resource_type = $1', [type])).rows[0]?.n ?? -1;

describe.each(databaseKinds)('the directory on %s', (kind) => {
  let journal: Awaited<ReturnType<typeof startWithCardLogin>>;
  let kariToken = '';
  beforeAll(async () => {
    journal = await startWithCardLogin(kind);
    kariToken = await journal.tokenOf(kari);
  });
  afterAll(async () => {
    await journal.close();
  });
  const asKari = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fhir(`${journal.base}/fhir${path}`, { ...init, headers: { authorization: `Bearer ${kariToken}`, ...init.headers } });

  it("refuses a clinician's token planting a Practitioner with a colleague's HPR number, audits it, and the colleague still logs in as themselves", async () => {
    const before = await count(journal.database, 'Practitioner');
    const planted = await asKari('/Practitioner', { method: 'POST', body: { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: ola.hpr }] } });
    expect(planted.status).toBe(403);
    expect(planted.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect(await count(journal.database, 'Practitioner')).toBe(before);
    const { rows } = await journal.database.query<{ principal: string; outcome: number }>(
      `SELECT principal, outcome FROM audit_log WHERE interaction = 'create' AND resource_type = 'Practitioner' ORDER BY seq DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ principal: `Practitioner/${journal.people.kari.practitionerId}`, outcome: 403 });
    expect(journal.subjectOf(await journal.tokenOf(ola))).toBe(`Practitioner/${journal.people.ola.practitionerId}`);
  });

  it('refuses every way a clinician could rewrite the directory: update, new id by PUT, roles, organisations, transactions and batches', async () => {
    const own = (await asKari(`/Practitioner/${journal.people.kari.practitionerId}`)).body;
    const attempts = [
      await asKari(`/Practitioner/${journal.people.kari.practitionerId}`, {
        method: 'PUT',
        headers: { 'if-match': 'W/"1"' },
        body: { ...own, identifier: [{ system: HPR_SYSTEM, value: ola.hpr }] },
      }),
      await asKari('/Practitioner/mine', { method: 'PUT', body: { resourceType: 'Practitioner', id: 'mine', identifier: [{ system: HPR_SYSTEM, value: rita.hpr }] } }),
      await asKari('/PractitionerRole', { method: 'POST', body: role(journal.people.kari.practitionerId, journal.people.kari.organizationId ?? '', 'privacy-officer') }),
      await asKari(`/PractitionerRole/${journal.people.kari.roleId ?? ''}`, {
        method: 'PUT',
        headers: { 'if-match': 'W/"1"' },
        body: { ...role(journal.people.kari.practitionerId, 'elsewhere'), id: journal.people.kari.roleId },
      }),
      await asKari('/Organization', { method: 'POST', body: { resourceType: 'Organization', name: 'Mitt eget legekontor' } }),
      await asKari('', {
        method: 'POST',
        body: { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'POST', url: 'Organization' }, resource: { resourceType: 'Organization', name: 'X' } }] },
      }),
    ];
    expect(attempts.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403, 403]);
    const batch = await asKari('', {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'POST', url: 'Practitioner' }, resource: { resourceType: 'Practitioner' } }] },
    });
    expect((batch.body.entry as { response: { status: string } }[])[0]?.response.status).toMatch(/^403/);
    expect(await count(journal.database, 'Organization')).toBe(2);
    expect(await count(journal.database, 'PractitionerRole')).toBe(2);
    const read = (await asKari(`/Practitioner/${journal.people.kari.practitionerId}`)).body;
    expect(read).toMatchObject({ meta: { versionId: '1' }, identifier: [{ value: kari.hpr }] });
  });

  it('gives an HPR number to one Practitioner only, even to the administrator and when two writes race', async () => {
    await expect(journal.admin.create('Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: kari.hpr }] })).rejects.toMatchObject({
      status: 409,
    });
    const racing = await Promise.allSettled(
      [1, 2].map(() => journal.admin.create('Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: '777777777' }] })),
    );
    expect(racing.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    await expect(
      journal.admin.create('Practitioner', {
        resourceType: 'Practitioner',
        identifier: [
          { system: HPR_SYSTEM, value: '888888881' },
          { system: HPR_SYSTEM, value: '888888882' },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('lets the administrator add roles only at an organisation the journal holds, with a known role code', async () => {
    const { practitionerId, organizationId } = journal.people.ola;
    await expect(journal.admin.create('PractitionerRole', role(practitionerId, 'does-not-exist'))).rejects.toMatchObject({ status: 422 });
    await expect(journal.admin.create('PractitionerRole', role(practitionerId, organizationId ?? '', 'admin'))).rejects.toMatchObject({ status: 400 });
    await expect(journal.admin.create('PractitionerRole', { ...role(practitionerId, organizationId ?? ''), organization: undefined })).rejects.toMatchObject({ status: 400 });
    await expect(journal.admin.create('PractitionerRole', role('nobody', organizationId ?? ''))).rejects.toMatchObject({ status: 422 });
  });
});

describe('a journal without card login', () => {
  it('refuses directory writes from the anonymous caller too', async () => {
    const journal = await startTestJournal('pglite');
    try {
      const answer = await fhir(`${journal.url}/Organization`, { method: 'POST', body: { resourceType: 'Organization', name: 'Legekontoret' } });
      expect(answer.status).toBe(403);
      expect(await count(journal.database, 'Organization')).toBe(0);
    } finally {
      await journal.close();
    }
  });
});

describe('login refuses an ambiguous or dangling mapping instead of picking one', () => {
  let journal: Awaited<ReturnType<typeof startWithCardLogin>>;
  beforeAll(async () => {
    journal = await startWithCardLogin('pglite');
  });
  afterAll(async () => {
    await journal.close();
  });
  const refusal = async (person: Person, extra: Record<string, unknown> = {}) => {
    const answer = await journal.login(person, extra);
    expect(answer.status).toBe(403);
    return JSON.stringify(answer.body);
  };

  it('takes the organisation and role from the one current role', async () => {
    const token = await journal.tokenOf(kari);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: `Practitioner/${journal.people.kari.practitionerId}`, org: `Organization/${journal.people.kari.organizationId ?? ''}`, role: 'physician' });
  });

  it('refuses two current roles unless the login names the organisation', async () => {
    const legevakt = await journal.admin.create('Organization', { resourceType: 'Organization', active: true, name: 'Testbyen legevakt' });
    await journal.admin.create('PractitionerRole', role(journal.people.ola.practitionerId, legevakt.stored.id));
    expect(await refusal(ola)).toContain('2 current roles');
    const token = await journal.login(ola, { organization: `Organization/${legevakt.stored.id}` });
    expect(token.status).toBe(200);
    expect(journal.subjectOf(String(token.body.access_token))).toBe(`Practitioner/${journal.people.ola.practitionerId}`);
    expect(await refusal(ola, { organization: 'Organization/elsewhere' })).toContain('no current role');
  });

  it('refuses a role whose organisation is gone or inactive, and a role planted before the rules (no organisation)', async () => {
    const organization = await journal.admin.read('Organization', journal.people.kari.organizationId ?? '');
    const { meta: _meta, ...withoutMeta } = organization.resource;
    await journal.admin.update('Organization', organization.id, { ...withoutMeta, active: false }, organization.versionId);
    expect(await refusal(kari)).toContain('active organisation');
    await journal.admin.update('Organization', organization.id, { ...withoutMeta, active: true }, organization.versionId + 1);
    expect((await journal.login(kari)).status).toBe(200);
    // As a database from before these rules may hold: written straight to the store.
    await journal.database.transaction((tx) =>
      new ResourceStore(journal.database).create(tx, 'PractitionerRole', {
        resourceType: 'PractitionerRole',
        practitioner: { reference: `Practitioner/${journal.people.kari.practitionerId}` },
        code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'physician' }] }],
      }),
    );
    expect(await refusal(kari)).toContain('names no Organization');
  });

  it('refuses a Practitioner the directory marks inactive', async () => {
    expect((await journal.login(ola, { organization: journal.people.ola.organizationId })).status).toBe(200);
    await setActive(journal.admin, { hpr: ola.hpr }, false);
    expect(await refusal(ola)).toContain('no longer active');
  });
});

describe('npm run directory: the administrator keeps the directory, audited as themselves', () => {
  let database: Database;
  let admin: JournalSession;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const { migrate } = await import('../db/migration');
    const { migrations } = await import('../db/migrations');
    await migrate(database, migrations);
    admin = createJournal({ store: new ResourceStore(database), policy: openPolicy, audit: databaseAuditWriter(database) }).as(systemPrincipal('directory:it-admin'));
  });
  afterAll(async () => {
    await database.close();
  });

  it('adds an organisation, a clinician and their role, lists them, and deactivates the role', async () => {
    const organisation = await addOrganization(admin, { name: 'Fjordvik legekontor', herId: '8123456' });
    const organizationId = /Organization\/([\w.-]+)/.exec(organisation)?.[1] ?? '';
    expect(await addPractitioner(admin, { hpr: '123456789', family: 'Berg', given: 'Anne' })).toContain('HPR 123456789');
    const added = await addRole(admin, { hpr: '123456789', organization: organizationId, role: 'physician' });
    const roleId = /PractitionerRole\/([\w.-]+)/.exec(added)?.[1] ?? '';
    await expect(addRole(admin, { hpr: '123456789', organization: organizationId, role: 'superuser' })).rejects.toThrow(/Unknown role/);
    await expect(addPractitioner(admin, { hpr: '123456789', family: 'Berg', given: 'Planted' })).rejects.toMatchObject({ status: 409 });
    expect(await setActive(admin, { roleId }, false)).toContain('inactive');
    const listing = await listDirectory(admin);
    expect(listing).toContain('Fjordvik legekontor');
    expect(listing).toContain(`PractitionerRole/${roleId}  physician  HPR 123456789  at Organization/${organizationId}  (inactive)`);
    const { rows } = await database.query<{ principal: string; n: number }>(
      `SELECT principal, count(*)::int AS n FROM audit_log WHERE interaction IN ('create', 'update') AND outcome < 300 GROUP BY principal`,
    );
    expect(rows).toEqual([{ principal: 'system:directory:it-admin', n: 4 }]);
  });
});
