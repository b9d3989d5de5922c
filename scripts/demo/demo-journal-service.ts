import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { acquireDataDirLock } from '../../server/db/data-dir-lock';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { createNeedPolicy } from '../../server/access/need-policy';
import { databaseAuditWriter } from '../../server/pipeline/audit-writer';
import { createJournal, type JournalSession } from '../../server/pipeline/journal';
import { systemPrincipal } from '../../server/pipeline/principal';
import { PRACTITIONER_ROLE_SYSTEM, ROLE_DISPLAY, type RoleCode } from '../../server/directory/directory-rules';
import { HER_ID_SYSTEM } from '../../server/seed/systems';
import { seedJournal } from '../../server/seed/seed-journal';
import { ResourceStore } from '../../server/store/resource-store';
import { createDemoPki, type DemoCard, type DemoRole } from '../test-pki/create-test-pki';
import { softwareHospitalSigner } from '../test-pki/hospital-signer';

declare const __AKSON_BUILD__: { name: string; version: string; buildTime: string };

export interface DemoReady {
  journalUrl: string;
  testCard: string;
  pin: string;
  clinician: string;
  /**
   * PEM files of the roots a workstation needs to verify the demo's signatures: the demo CA (the
   * TEST card's own notes) and the hospital test CA (the seeded discharge letters), and their CRLs.
   */
  trustAnchors: string[];
  trustCrls: string[];
}

/** Patients with hospital stays on the TEST card clinician's list, and booked today of them. */
const LISTED_WITH_STAYS = 10;
const BOOKED_WITH_STAYS = 2;

/**
 * The TEST card's clinician as a GP: 40 patients on their list, 10 of them with hospital stays
 * (discharge letters to read and verify), and 6 booked today, 2 of those with stays, so the
 * workstation's worklist prefetch has something to fetch and those charts open offline in the demo.
 */
const giveTheDemoGpAList = async (seeder: JournalSession, practitionerId: string, roleId: string): Promise<void> => {
  const stays = (await seeder.search('Encounter', [['class', 'IMP'], ['_count', '1000']])).matches;
  const admittedIds = [
    ...new Set(stays.map((stay) => ((stay.resource.subject as { reference?: string } | undefined)?.reference ?? '').replace(/^Patient\//, ''))),
  ]
    .filter((id) => id !== '')
    .slice(0, LISTED_WITH_STAYS);
  const admitted = [];
  // One at a time: PGlite has one connection, and each read is audited.
  for (const id of admittedIds) {
    admitted.push(await seeder.read('Patient', id));
  }
  const others = (await seeder.search('Patient', [['_count', '40']])).matches.filter((patient) => !admittedIds.includes(patient.id));
  const rest = others.slice(0, 40 - admitted.length);
  // The first six are booked today, two with stays among them.
  const booked = Math.min(BOOKED_WITH_STAYS, admitted.length);
  const listed = [...admitted.slice(0, booked), ...rest.slice(0, 6 - booked), ...admitted.slice(booked), ...rest.slice(6 - booked)];
  for (const patient of listed) {
    const resource = { ...(patient.resource as Record<string, unknown>), generalPractitioner: [{ reference: `PractitionerRole/${roleId}`, display: 'Demo Lege (TEST)' }] };
    await seeder.update('Patient', patient.id, resource, patient.versionId);
  }
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
  for (const [index, patient] of listed.slice(0, 6).entries()) {
    const hour = String(8 + index).padStart(2, '0');
    await seeder.create('Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      start: `${today}T${hour}:00:00+01:00`,
      end: `${today}T${hour}:20:00+01:00`,
      participant: [
        { actor: { reference: `Patient/${patient.id}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
      ],
    });
  }
};

/** Where each of the demo's other people works, and as what. */
const DEMO_POSTS: Record<Exclude<DemoRole, 'gp-with-list'>, { office: 'own' | 'nordby' | 'legevakt'; role: RoleCode }> = {
  'gp-other-office': { office: 'nordby', role: 'physician' },
  nurse: { office: 'own', role: 'nurse' },
  secretary: { office: 'own', role: 'secretary' },
  'emergency-doctor': { office: 'legevakt', role: 'physician' },
  'privacy-officer': { office: 'own', role: 'privacy-officer' },
};
const DEMO_OFFICES = {
  nordby: { name: 'Demo Nordby legesenter (TEST)', herId: '9100001' },
  legevakt: { name: 'Demo legevakt (TEST)', herId: '9100002' },
} as const;

interface DemoStaff {
  demoRole: DemoRole;
  practitionerId: string;
  roleId: string;
  organizationId: string;
}

/**
 * The demo's other TEST-card people (README: "Demo cards"): a GP at another office, a nurse, a
 * secretary and a privacy officer at the TEST GP's office, and an emergency-centre doctor; each
 * created once (conditional creates), through the pipeline as the seeding system.
 */
const addTheDemoStaff = async (seeder: JournalSession, cards: readonly DemoCard[], ownOfficeId: string): Promise<DemoStaff[]> => {
  const offices: Record<'own' | 'nordby' | 'legevakt', string> = { own: ownOfficeId, nordby: '', legevakt: '' };
  for (const key of ['nordby', 'legevakt'] as const) {
    const { name, herId } = DEMO_OFFICES[key];
    const { stored } = await seeder.create(
      'Organization',
      { resourceType: 'Organization', active: true, name, identifier: [{ system: HER_ID_SYSTEM, value: herId }] },
      { ifNoneExist: [['identifier', `${HER_ID_SYSTEM}|${herId}`]] },
    );
    offices[key] = stored.id;
  }
  const staff: DemoStaff[] = [];
  for (const card of cards) {
    if (card.demoRole === 'gp-with-list') {
      continue;
    }
    const post = DEMO_POSTS[card.demoRole];
    const [given, ...family] = card.name.split(' ');
    const { stored: person } = await seeder.create(
      'Practitioner',
      { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: card.hpr }], name: [{ family: family.join(' '), given: [given ?? ''], text: `${card.name} (TEST)` }] },
      { ifNoneExist: [['identifier', `${HPR_SYSTEM}|${card.hpr}`]] },
    );
    const { stored: role } = await seeder.create(
      'PractitionerRole',
      {
        resourceType: 'PractitionerRole',
        active: true,
        practitioner: { reference: `Practitioner/${person.id}` },
        organization: { reference: `Organization/${offices[post.office]}` },
        code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: post.role, display: ROLE_DISPLAY[post.role] }] }],
      },
      { ifNoneExist: [['practitioner', `Practitioner/${person.id}`]] },
    );
    staff.push({ demoRole: card.demoRole, practitionerId: person.id, roleId: role.id, organizationId: offices[post.office] });
  }
  return staff;
};

/**
 * Work for the others, once: five patients on the other office's GP's list, and two patients at
 * the emergency centre now (an Encounter in progress), none of them on the TEST GP's list.
 */
const giveTheOthersTheirPatients = async (seeder: JournalSession, staff: readonly DemoStaff[]): Promise<void> => {
  const listed = new Set((await seeder.search('Patient', [['_count', '1000']])).matches.filter((p) => JSON.stringify(p.resource.generalPractitioner ?? '').includes('(TEST)')).map((p) => p.id));
  const free = (await seeder.search('Patient', [['_count', '100'], ['_sort', '-_id']])).matches.filter((p) => !listed.has(p.id));
  const otherGp = staff.find((person) => person.demoRole === 'gp-other-office');
  for (const patient of otherGp ? free.slice(0, 5) : []) {
    const resource = { ...(patient.resource as Record<string, unknown>), generalPractitioner: [{ reference: `PractitionerRole/${otherGp?.roleId ?? ''}`, display: 'Demo Lege Nordby (TEST)' }] };
    await seeder.update('Patient', patient.id, resource, patient.versionId);
  }
  const emergency = staff.find((person) => person.demoRole === 'emergency-doctor');
  for (const patient of emergency ? free.slice(5, 7) : []) {
    await seeder.create('Encounter', {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
      subject: { reference: `Patient/${patient.id}` },
      serviceProvider: { reference: `Organization/${emergency?.organizationId ?? ''}` },
      participant: [{ individual: { reference: `Practitioner/${emergency?.practitionerId ?? ''}` } }],
      period: { start: new Date().toISOString() },
    });
  }
};

/** Where the demo journal keeps its data and how it answers. */
export interface DemoJournalOptions {
  /** Its folder: the PGlite journal, the demo PKI and the TEST cards. */
  dir: string;
  /** 0 for any free port. */
  port: number;
  /** Synthetic patients filled in on the first start (0-100000). */
  patients: number;
  /** Where the journal's own log and the progress lines go. */
  logStream: Writable;
  logLevel?: string;
}

/** Written once the first fill finished: the demo journal is complete, never filled again. */
export const FILLED_MARKER = 'demo-journal-filled';

/** The journal could not listen on the port it was given (taken, or reserved by Windows). */
export class DemoListenError extends Error {
  override readonly name = 'DemoListenError';
  readonly code: string;
  constructor(
    readonly port: number,
    cause: unknown,
  ) {
    const code = typeof (cause as { code?: unknown } | null)?.code === 'string' ? (cause as { code: string }).code : 'ELISTEN';
    super(`the demo journal could not listen on 127.0.0.1:${port} (${code})`, { cause });
    this.code = code;
  }
}

export interface RunningDemoJournal {
  ready: DemoReady;
  close: () => Promise<void>;
}

/** The demo PKI and the journal server on the folder's PGlite journal (wiped first when a first fill is due). */
const openDemoServer = async (dir: string, firstFill: boolean, logStream: Writable, logLevel: string) => {
  const pki = createDemoPki(join(dir, 'pki'), { allCards: true });
  const der = (file: string): Uint8Array =>
    Uint8Array.from(Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  const journalDir = join(dir, 'journal');
  if (firstFill && existsSync(journalDir)) {
    logStream.write('An earlier first fill did not finish: the demo journal starts again from empty.\n');
    rmSync(journalDir, { recursive: true, force: true });
  }
  const database = await openPgliteDatabase(journalDir);
  try {
    const { app, baseUrl } = await createJournalServer({
      database,
      version: __AKSON_BUILD__.version,
      log: { level: logLevel, stream: logStream },
      // Login only: the journal verifies no document signatures (it stores Provenances as they come),
      // and hospital physicians never log in, so the hospital CA is not given to it.
      cardLogin: { trustedRoots: [der(pki.demoCaCertFile)], crls: [der(pki.demoCrlFile)], acceptTestCards: true },
    });
    return { app, baseUrl, pki, database };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
};

/**
 * The embedded demo journal: the real journal API on PGlite in a local folder, filled once with
 * synthetic patients, trusting only the demo CA, so the software TEST card logs in. `npm start`
 * runs it as a process (demo-journal.ts), an installed workstation with no journal URL in a worker
 * thread (demo-journal-worker.ts). Nothing here is for production: the server runs in demo mode.
 */
export const startDemoJournal = async ({ dir: folder, port, patients, logStream, logLevel = 'warn' }: DemoJournalOptions): Promise<RunningDemoJournal> => {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`the port must be 0-65535, got "${port}"`);
  }
  if (!Number.isInteger(patients) || patients < 0 || patients > 100_000) {
    throw new Error(`the number of patients must be 0-100000, got "${patients}"`);
  }
  const dir = resolve(folder);
  // The whole demo folder is ours while we run: a half-done first fill is wiped under this lock,
  // never under another demo journal's feet. (The journal's own folder has its lock as well.)
  const folderLock = acquireDataDirLock(dir);
  const filledMarker = join(dir, FILLED_MARKER);
  // Filled is what the marker says, not "has patients": a first fill stopped half-way (Akson
  // killed, the start timed out) left patients without the demo GP's list, so it starts over.
  const firstFill = patients > 0 && !existsSync(filledMarker);
  let opened: Awaited<ReturnType<typeof openDemoServer>>;
  try {
    opened = await openDemoServer(dir, firstFill, logStream, logLevel);
  } catch (error) {
    folderLock.release();
    throw error;
  }
  const { app: server, baseUrl, pki, database } = opened;

  try {
    // The same pipeline the API uses, as the seeding system: audited like any other write.
    const seeder = createJournal({ store: new ResourceStore(database), policy: createNeedPolicy(), audit: databaseAuditWriter(database) }).as(
      systemPrincipal('demo-seed'),
    );
    if (firstFill) {
      logStream.write(`Filling the demo journal with ${patients} synthetic patients (once) …\n`);
      // The discharge letters are signed by the hospital physicians' keys from the hospital test CA.
      const report = await seedJournal(seeder, { patients, seed: 1, now: new Date() }, { hospitalSigner: softwareHospitalSigner(pki.hospitalSigners) });
      logStream.write(
        `… ${report.resources} resources (${report.signatures} signed discharge letters) in ${(report.milliseconds / 1000).toFixed(1)} s.\n`,
      );
    }
    // The TEST card's clinician: a Practitioner with its HPR number and a physician role, created once.
    const { stored: practitioner } = await seeder.create(
      'Practitioner',
      {
        resourceType: 'Practitioner',
        identifier: [{ system: HPR_SYSTEM, value: pki.demoCard.hpr }],
        name: [{ family: 'Lege', given: ['Demo'], text: `${pki.demoCard.name} (TEST)` }],
      },
      { ifNoneExist: [['identifier', `${HPR_SYSTEM}|${pki.demoCard.hpr}`]] },
    );
    // A role names the organisation it is held at; an empty demo journal gets one of its own.
    const organisation =
      (await seeder.search('Organization', [['_count', '1']])).matches[0] ??
      (await seeder.create('Organization', { resourceType: 'Organization', active: true, name: 'Demo legekontor' })).stored;
    const { stored: role } = await seeder.create(
      'PractitionerRole',
      {
        resourceType: 'PractitionerRole',
        practitioner: { reference: `Practitioner/${practitioner.id}` },
        organization: { reference: `Organization/${organisation.id}` },
        code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'physician', display: 'Lege' }] }],
      },
      { ifNoneExist: [['practitioner', `Practitioner/${practitioner.id}`]] },
    );

    const others = await addTheDemoStaff(seeder, pki.demoCards, organisation.id);
    if (firstFill) {
      await giveTheDemoGpAList(seeder, practitioner.id, role.id);
      await giveTheOthersTheirPatients(seeder, others);
      writeFileSync(filledMarker, `${new Date().toISOString()} ${patients} patients\n`);
    }

    try {
      await server.listen({ port, host: '127.0.0.1' });
    } catch (error) {
      throw new DemoListenError(port, error);
    }
  } catch (error) {
    // The journal's folder is locked while it is open: let it go, so a retry can open it.
    await server.close().catch(() => undefined);
    folderLock.release();
    throw error;
  }
  const ready: DemoReady = {
    journalUrl: baseUrl().replace(/\/fhir$/, ''),
    testCard: pki.demoCard.file,
    pin: pki.demoCard.pin,
    clinician: pki.demoCard.name,
    trustAnchors: [pki.demoCaCertFile, pki.hospitalCaCertFile],
    trustCrls: [pki.demoCrlFile, pki.hospitalCrlFile],
  };
  logStream.write(`Demo TEST cards (PIN ${pki.demoCard.pin}), see README "Demo cards": ${pki.demoCards.map((card) => `${card.name} ${card.hpr}`).join(', ')}.\n`);
  return {
    ready,
    close: async () => {
      try {
        await server.close();
      } finally {
        folderLock.release();
      }
    },
  };
};
