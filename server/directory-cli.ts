import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from './db/database';
import { DataDirLockedError } from './db/data-dir-lock';
import { migrate } from './db/migration';
import { migrations } from './db/migrations';
import { openPgliteDatabase } from './db/pglite-database';
import { openPostgresDatabase } from './db/postgres-database';
import { addOrganization, addPractitioner, addRole, listDirectory, setActive } from './directory/directory-commands';
import { FhirError } from './fhir/operation-outcome';
import { createNeedPolicy } from './access/need-policy';
import { databaseAuditWriter } from './pipeline/audit-writer';
import { createJournal } from './pipeline/journal';
import { systemPrincipal } from './pipeline/principal';
import { ResourceStore } from './store/resource-store';

const USAGE = `npm run directory -- <command> [--data ./journal-data]   (or DATABASE_URL=postgres://...)
  list
  add-organization --name NAME [--her-id N]
  add-practitioner --hpr N --family NAME --given NAME
  add-role --hpr N --organization ID --role physician|nurse|secretary|privacy-officer
  deactivate-practitioner --hpr N      activate-practitioner --hpr N
  deactivate-role --id ID              activate-role --id ID`;

/**
 * The journal's directory (Practitioner, PractitionerRole, Organization) is written here and by the
 * seed, never through a clinician's login. It runs as the administrative principal
 * `system:directory:<OS user>` through the journal's pipeline, so every change is validated and
 * audited with who made it. On PGlite the journal server must be stopped first (one process per
 * data folder); on PostgreSQL it runs beside the server.
 */
const main = async (): Promise<void> => {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: 'string', default: './journal-data' },
      name: { type: 'string' },
      'her-id': { type: 'string' },
      hpr: { type: 'string' },
      family: { type: 'string' },
      given: { type: 'string' },
      organization: { type: 'string' },
      role: { type: 'string' },
      id: { type: 'string' },
    },
    strict: true,
  });
  const need = (name: keyof typeof values): string => {
    const value = values[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`${command ?? ''} needs --${name}.\n${USAGE}`);
    }
    return value.trim();
  };
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = process.env.DATABASE_URL;
  const database: Database = url ? await openPostgresDatabase(url) : await openPgliteDatabase(resolve(values.data));
  try {
    await migrate(database, migrations);
    const session = createJournal({ store: new ResourceStore(database), policy: createNeedPolicy(), audit: databaseAuditWriter(database) }).as(
      systemPrincipal(`directory:${userInfo().username}`),
    );
    const run = async (): Promise<string> => {
      switch (command) {
        case 'list':
          return listDirectory(session);
        case 'add-organization':
          return addOrganization(session, { name: need('name'), ...(values['her-id'] ? { herId: values['her-id'] } : {}) });
        case 'add-practitioner':
          return addPractitioner(session, { hpr: need('hpr'), family: need('family'), given: need('given') });
        case 'add-role':
          return addRole(session, { hpr: need('hpr'), organization: need('organization'), role: need('role') });
        case 'deactivate-practitioner':
        case 'activate-practitioner':
          return setActive(session, { hpr: need('hpr') }, command === 'activate-practitioner');
        case 'deactivate-role':
        case 'activate-role':
          return setActive(session, { roleId: need('id') }, command === 'activate-role');
        default:
          throw new Error(`Unknown command "${command}".\n${USAGE}`);
      }
    };
    process.stdout.write(`${await run()}\n`);
  } finally {
    await database.close();
  }
};

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`The directory was not changed: ${message}\n`);
  process.exit(error instanceof FhirError || error instanceof DataDirLockedError ? 2 : 1);
});
